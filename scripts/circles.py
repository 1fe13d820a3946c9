#!/usr/bin/env python3
"""Fails when the source files of a crate import each other in a circle.

    python3 scripts/circles.py [CRATE_SRC_DIR ...]   # default: app/src crates/domain/src

Each `.rs` file is a module (`order/model.rs` is `crate::order::model`, `order/mod.rs` is
`crate::order`). A file depends on another when it names one of its items through
`crate::…` (in a `use` or inline) or `super::…`. Test modules are left out: they may import
what they like. Every group of files that reach each other (a strongly connected component
of more than one file) is printed with the names that tie it, and the exit status is 1.
The test command runs it, so a new circle fails the run.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def module_path(src: Path, file: Path) -> tuple:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def without_tests(text: str) -> str:
    """Drops `#[cfg(test)]`/`#[cfg(all(test, …))]` modules (from the attribute to the end of
    the file: by convention they close the file)."""
    match = re.search(r"^\s*#\[cfg\((all\()?test\b.*\n\s*(pub(\(\w+\))? )?mod \w+", text, re.M)
    text = text[: match.start()] if match else text
    # Comments name paths in prose (`[`crate::x`]` links); they import nothing.
    return re.sub(r"//.*", "", text)


def expand_use(tree: str) -> list:
    """`a::{b, c::{d, e}}` → ["a::b", "a::c::d", "a::c::e"]."""
    tree = re.sub(r"\s+", "", tree)
    depth, start = 0, None
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                prefix, inner, rest = tree[:start], tree[start + 1 : i], tree[i + 1 :]
                items, d, cur = [], 0, ""
                for c in inner:
                    if c == "," and d == 0:
                        items.append(cur)
                        cur = ""
                        continue
                    d += c == "{"
                    d -= c == "}"
                    cur += c
                items.append(cur)
                out = []
                for item in filter(None, items):
                    out += expand_use(prefix + item + rest)
                return out
    return [tree]


def references(text: str, me: tuple) -> list:
    paths = []
    for use in re.findall(r"\buse\s+([^;]+);", text):
        paths += expand_use(use)
    paths += re.findall(r"(?<![\w:])(?:crate|super)(?:::\w+)+", text)
    resolved = []
    for path in paths:
        path = re.sub(r"\s+as\s+\w+$", "", path).split("::")
        if path[0] == "crate":
            resolved.append(tuple(path[1:]))
        elif path[0] == "super":
            base = list(me)
            while path and path[0] == "super":
                base = base[:-1]
                path = path[1:]
            resolved.append(tuple(base + path))
    return resolved


def graph(src: Path) -> dict:
    files = {module_path(src, f): f for f in sorted(src.rglob("*.rs"))}
    edges = {}
    for me, file in files.items():
        ties = {}
        for path in references(without_tests(file.read_text()), me):
            # The longest prefix that is a file is the module that defines the name.
            for n in range(len(path), 0, -1):
                target = path[:n]
                if target in files and target != me and target != ():
                    name = path[n] if n < len(path) else target[-1]
                    ties.setdefault(target, set()).add(name)
                    break
        # A module's parent (its mod.rs) only declares it: an arrow from a child to its own
        # parent's re-exports is not a dependency back.
        edges[me] = {t: names for t, names in ties.items() if t != me[: len(t)]}
    return files, edges


def components(edges: dict) -> list:
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    sys.setrecursionlimit(10000)
    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def main() -> int:
    sources = [Path(a).resolve() for a in sys.argv[1:]] or [ROOT / "app/src", ROOT / "crates/domain/src"]
    found = 0
    for src in sources:
        if not src.is_dir():
            print(f"circles: no such folder {src}")
            return 2
        files, edges = graph(src)
        groups = components(edges)
        for group in groups:
            found += 1
            print(f"circle in {src.relative_to(ROOT)}: " + ", ".join(str(files[m].relative_to(ROOT)) for m in group))
            for m in group:
                for t, names in sorted(edges[m].items()):
                    if t in group:
                        print(f"  {files[m].relative_to(ROOT)} -> {files[t].relative_to(ROOT)}: {', '.join(sorted(names))}")
        print(f"circles: {src.relative_to(ROOT)}: {len(files)} files, {sum(map(len, edges.values()))} imports between them, {len(groups)} circles")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
