#!/usr/bin/env python3
"""Sizes of the release site bundle: raw, gzip -9 and brotli -q 11 (the copies the release
build writes beside each file, which the server sends).

    bench/sizes.py target/site/pkg [--record RESULTS.jsonl]
        every file of the bundle, the totals per kind, and each module a page starts with
    bench/sizes.py target/site/pkg --base http://127.0.0.1:3000 [--record RESULTS.jsonl]
        for a few pages: the WASM and JS a browser fetches to hydrate the page, i.e. the
        files the page's HTML preloads (the main module and the page's own chunks),
        and the bytes the server actually sends for them to a browser accepting brotli
"""

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import urllib.request

PAGES = {
    "home": "/",
    "help": "/help",
    "catalogue": "/catalogue",
    "product": "/catalogue/office-ltsc-standard-2024",
    "login": "/login",
}


def sizes(path):
    data = open(path, "rb").read()
    # The release build's own copies (scripts/setup.sh, precompress_site) when it wrote them.
    if os.path.exists(path + ".br") and os.path.exists(path + ".gz"):
        return len(data), os.path.getsize(path + ".gz"), os.path.getsize(path + ".br")
    br = subprocess.run(["brotli", "-q", "11", "-c", path], capture_output=True, check=True).stdout
    return len(data), len(gzip.compress(data, 9)), len(br)


def sent_bytes(url):
    """The length of the body the server sends to a browser that accepts brotli and gzip."""
    request = urllib.request.Request(url, headers={"accept-encoding": "br, gzip"})
    with urllib.request.urlopen(request) as response:
        return len(response.read())


def record(out, name, value, unit):
    print(f"  {name:40} {value} {unit}")
    if out:
        with open(out, "a") as f:
            f.write(json.dumps({"name": name, "value": value, "unit": unit}) + "\n")


def kb(n):
    return round(n / 1024, 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pkg")
    parser.add_argument("--record")
    parser.add_argument("--base")
    args = parser.parse_args()
    # The bundle itself, not the .br and .gz copies the build writes beside each file.
    files = sorted(f for f in os.listdir(args.pkg) if f.endswith((".wasm", ".js", ".css")))
    table = {f: sizes(os.path.join(args.pkg, f)) for f in files}

    if not args.base:
        print(f"{'file':52} {'raw':>11} {'gzip':>11} {'brotli':>11}")
        for f, (raw, gz, br) in table.items():
            print(f"{f:52} {kb(raw):>8} KB {kb(gz):>8} KB {kb(br):>8} KB")
        for kind in ("wasm", "js", "css"):
            chosen = [v for f, v in table.items() if f.endswith("." + kind)]
            record(args.record, f"size.{kind}.files", len(chosen), "")
            record(args.record, f"size.{kind}.total.raw", kb(sum(v[0] for v in chosen)), "KB")
            record(args.record, f"size.{kind}.total.br", kb(sum(v[2] for v in chosen)), "KB")
        # Each module a page starts with: the whole app's (`portal`, without the chunks it
        # loads per page) and the islands' modules (the storefront's, and those of the pages
        # that are one island each, app::ui::islands::MODULES). The chunks' names and the
        # split pages' have an underscore, the modules' none.
        for f, (_, _, br) in table.items():
            module = re.fullmatch(r"([a-z]+)\.[A-Za-z0-9_-]{22}\.wasm", f)
            if module:
                record(args.record, f"size.module.{module.group(1)}.br", kb(br), "KB")
        return

    for key, path in PAGES.items():
        html = urllib.request.urlopen(args.base + path).read().decode()
        wanted = sorted(set(re.findall(r'(?:href|src)="/pkg/([^"?]+\.(?:wasm|js))"', html)))
        missing = [f for f in wanted if f not in table]
        if missing:
            sys.exit(f"{path} refers to files not in {args.pkg}: {missing}")
        wasm = [table[f] for f in wanted if f.endswith(".wasm")]
        js = [table[f] for f in wanted if f.endswith(".js")]
        record(args.record, f"size.initial.{key}.wasm.br", kb(sum(v[2] for v in wasm)), "KB")
        # On the wire: what the server sends for them with `Accept-Encoding: br`.
        wire = sum(sent_bytes(args.base + "/pkg/" + f) for f in wanted if f.endswith(".wasm"))
        record(args.record, f"size.initial.{key}.wasm.wire", kb(wire), "KB")
        record(args.record, f"size.initial.{key}.wasm.files", len(wasm), "")
        record(args.record, f"size.initial.{key}.js.br", kb(sum(v[2] for v in js)), "KB")


if __name__ == "__main__":
    main()
