#!/usr/bin/env python3
"""Sizes of the release site bundle: raw, gzip -9 and brotli -q 11 (what the compression
layer can serve).

    bench/sizes.py target/site/pkg [--record RESULTS.jsonl]
        every file of the bundle, and the totals per kind
    bench/sizes.py target/site/pkg --base http://127.0.0.1:3000 [--record RESULTS.jsonl]
        for a few pages: the WASM and JS a browser fetches to hydrate the page, i.e. the
        files the page's HTML preloads (the main module and the page's own chunks)
"""

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import urllib.request

PAGES = {"home": "/", "catalogue": "/catalogue", "product": "/catalogue/office-ltsc-standard-2024", "login": "/login"}


def sizes(path):
    data = open(path, "rb").read()
    br = subprocess.run(["brotli", "-q", "11", "-c", path], capture_output=True, check=True).stdout
    return len(data), len(gzip.compress(data, 9)), len(br)


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
        record(args.record, f"size.initial.{key}.wasm.files", len(wasm), "")
        record(args.record, f"size.initial.{key}.js.br", kb(sum(v[2] for v in js)), "KB")


if __name__ == "__main__":
    main()
