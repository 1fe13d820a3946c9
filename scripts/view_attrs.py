#!/usr/bin/env python3
"""Fails when a `view!` attribute's value holds a bare `<` or `>` outside braces.

    python3 scripts/view_attrs.py [DIR ...]   # default: app/src

In Leptos' `view!`, an unbraced attribute value ends at the first `>`: `disabled=page + 1 >=
pages` became `disabled=page + 1`, and `= pages on:click=…` was rendered as the button's
text (issue 22: "Mes demandes" could not reach page 2). Write such values in braces:
`disabled={page + 1 >= pages}`. The check looks at every unbraced, unquoted attribute value
(`name=value`, also `move || …`) on a line after a `view! {` and flags a comparison operator
(`<`, `>`, `<=`, `>=`) that stands between spaces after it (generics such as
`collect::<Vec<_>>()` have no spaces and pass). The test command runs it.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# An attribute, `name=value` after a space, the value not braced, quoted or an `=>`.
ATTRIBUTE = re.compile(r"(?<=\s)[a-z][\w:-]*=(?![{\"=>])(.+)$")
COMPARISON = re.compile(r"\s(?:<|>|<=|>=)\s")


def offences(path: Path):
    inside = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if "view! {" in line:
            inside += 1
        if inside and (m := ATTRIBUTE.search(line)) and COMPARISON.search(m.group(1)):
            yield number, line.strip()


def main(args):
    dirs = [ROOT / d for d in (args or ["app/src"])]  # an absolute DIR stays as it is
    found = [(f, n, text) for d in dirs for f in sorted(d.rglob("*.rs")) for n, text in offences(f)]
    for f, n, text in found:
        print(f"view_attrs: {f}:{n}: brace this attribute's value: {text}")
    print(f"view_attrs: {len(found)} unbraced comparison(s) in view! attributes")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
