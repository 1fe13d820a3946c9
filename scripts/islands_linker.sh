#!/usr/bin/env bash
# The linker of the islands' module (compile_islands_module in scripts/setup.sh): rust-lld as
# rustc calls it, without the exports of the app's split points.
#
# The islands' module is compiled with the same features of `app` as the whole app's module,
# so that both share one compiled `app`. There each page group's `#[lazy]` function is an
# export (`__wasm_split_00<group>00_export_…`, for the splitter), and an export links what it
# reaches: every page. Without those exports the linker keeps the islands and what they use.
set -euo pipefail
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --export ] && [ $# -gt 1 ] && [[ "$2" == __wasm_split_00* ]]; then
    shift 2
    continue
  fi
  case "$1" in
    @*) echo "islands_linker.sh: arguments in a file ($1) are not read" >&2; exit 1 ;;
  esac
  args+=("$1")
  shift
done
exec "$(rustc --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld" "${args[@]}"
