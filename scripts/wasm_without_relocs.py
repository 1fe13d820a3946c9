#!/usr/bin/env python3
"""Copies a WASM module without its `linking` and `reloc.*` custom sections.

    scripts/wasm_without_relocs.py IN.wasm OUT.wasm

The release WASM is linked with `--emit-relocs` (cargo-leptos asks for it when it splits the
app's module into chunks); the islands' module is linked with the same flags, to share the
compiled dependencies, but is not split, and wasm-opt cannot optimise a module that still
has those sections ("binaryen cannot handle this properly").
"""

import sys


def leb128(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def main(source, target):
    data = open(source, "rb").read()
    if data[:4] != b"\0asm":
        sys.exit(f"{source} is not a WASM module")
    out = bytearray(data[:8])
    at = 8
    while at < len(data):
        start = at
        section_id = data[at]
        size, body = leb128(data, at + 1)
        end = body + size
        if section_id == 0:
            name_length, name_at = leb128(data, body)
            name = data[name_at : name_at + name_length].decode()
            if name == "linking" or name.startswith("reloc."):
                at = end
                continue
        out += data[start:end]
        at = end
    open(target, "wb").write(out)


if __name__ == "__main__":
    main(*sys.argv[1:3])
