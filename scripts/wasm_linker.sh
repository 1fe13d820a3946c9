#!/usr/bin/env bash
# The linker of every WASM module of the site (.cargo/config.toml): rust-lld as rustc calls it,
# less the exports that a module's link arguments ask it to leave out. Those arguments are
# read, and removed, here:
#
#   --no-split-points   the exports of the app's split points (the islands' modules, built by
#                       compile_islands_module in scripts/setup.sh). They are compiled with the
#                       same features of `app` as the whole app's module, so that all share one
#                       compiled `app`; there each page group's `#[lazy]` function is an export
#                       (`__wasm_split_00<group>00_export_…`, for the splitter), and an export
#                       links what it reaches: every page.
#   --islands=A,B       of the app's islands, only A and B. Every `#[island]` of `app` is an
#                       export (`Name_<hash>_<hash>`, with wasm-bindgen's
#                       `__wbindgen_describe_Name_…`), which links the island and what it uses.
#   --islands-without=A,B   every island but A and B.
#   --no-islands        no island: the whole app's module (frontend/build.rs), which calls them
#                       as components where it renders them and never hydrates an island page.
#
# Without any of them the link is rust-lld's own.
set -euo pipefail
keep="" drop="" no_islands="" no_split_points=""
for arg in "$@"; do
  case "$arg" in
    --islands=*) keep=",${arg#--islands=}," ;;
    --islands-without=*) drop=",${arg#--islands-without=}," ;;
    --no-islands) no_islands=1 ;;
    --no-split-points) no_split_points=1 ;;
  esac
done
island_export='^(__wbindgen_describe_)?([A-Z][A-Za-z0-9]*)_[0-9]+_[0-9a-f]+$'
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --export ] && [ $# -gt 1 ]; then
    if [ -n "$no_split_points" ] && [[ "$2" == __wasm_split_00* ]]; then
      shift 2
      continue
    fi
    if [[ "$2" =~ $island_export ]]; then
      island="${BASH_REMATCH[2]}"
      if [ -n "$no_islands" ] || { [ -n "$keep" ] && [[ "$keep" != *",$island,"* ]]; } || [[ "$drop" == *",$island,"* ]]; then
        shift 2
        continue
      fi
    fi
  fi
  case "$1" in
    @*) echo "wasm_linker.sh: arguments in a file ($1) are not read" >&2; exit 1 ;;
    --islands=* | --islands-without=* | --no-islands | --no-split-points) shift; continue ;;
  esac
  args+=("$1")
  shift
done
exec "$(rustc --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld" "${args[@]}"
