#!/usr/bin/env bash
# Prints the size of every file of the release site bundle (WASM chunks, JS, CSS): raw, gzip -9
# and brotli -q 11. Run after the release build (`./bench/run.sh` includes it).
source "$(dirname "$0")/../scripts/setup.sh"
command -v brotli >/dev/null || apt_install brotli
PKG="$ROOT/target/site/pkg"
[ -d "$PKG" ] || { echo "no $PKG: build the release first (./scripts/run.sh or ./bench/run.sh)" >&2; exit 1; }
python3 "$ROOT/bench/sizes.py" "$PKG"
