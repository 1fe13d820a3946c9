#!/usr/bin/env bash
# Prints the size of the release site bundle (WASM, JS, CSS): raw, gzip -9 and brotli -q 11,
# as the compression layer can serve them. Run after `cargo leptos build --release`.
source "$(dirname "$0")/../scripts/setup.sh"
command -v brotli >/dev/null || apt_install brotli
PKG="$ROOT/target/site/pkg"
[ -d "$PKG" ] || { echo "no $PKG: run cargo leptos build --release first" >&2; exit 1; }
printf '%-28s %12s %12s %12s\n' file raw gzip brotli
for f in "$PKG"/*; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -q 11 -c "$f" | wc -c)
  awk -v n="$(basename "$f")" -v r="$raw" -v g="$gz" -v b="$br" \
    'BEGIN { printf "%-28s %10.1f KB %10.1f KB %10.1f KB\n", n, r / 1024, g / 1024, b / 1024 }'
done
