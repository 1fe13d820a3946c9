#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ (the parsers of registration numbers, structured
# communications, token codes, camt.053 and CODA statements), each for SECONDS seconds (default 30),
# one after the other, starting from the seeds in fuzz/seeds/ and the corpus of earlier runs.
#   ./scripts/fuzz.sh            # 30 s per target, as the test command does
#   ./scripts/fuzz.sh 3600       # an hour per target, by hand
#   ./scripts/fuzz.sh 600 camt053
# Stable Rust: no sanitizer (that needs nightly); Rust's own checks, overflow checks included,
# and the targets' assertions make the failures. A crash leaves its input in
# fuzz/artifacts/<target>/ and stops the script with the fuzzer's exit status.
# Ends with one line per target: runs made, corpus size, and what libFuzzer measured.
source "$(dirname "$0")/setup.sh"
cd "$ROOT/fuzz"

SECONDS_PER_TARGET="${1:-30}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(enterprise_number structured_communication token_code camt053 coda)

ensure_cargo_fuzz
# Without a sanitizer, cargo fuzz passes only stable -C flags (the coverage instrumentation),
# so the machine's one stable toolchain builds the targets.
say "building the fuzz targets"
cargo fuzz build --sanitizer none

SUMMARY=()
for target in "${TARGETS[@]}"; do
  say "fuzzing $target for ${SECONDS_PER_TARGET}s"
  corpus="$ROOT/fuzz/corpus/$target"
  mkdir -p "$corpus"
  log="$(mktemp)"
  status=0
  cargo fuzz run --sanitizer none "$target" "$corpus" "$ROOT/fuzz/seeds/$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -print_final_stats=1 2>"$log" || status=$?
  tail -n 20 "$log"
  runs="$(awk '/stat::number_of_executed_units/ { print $NF }' "$log")"
  rm -f "$log"
  SUMMARY+=("fuzz: $target ${runs:-?} runs in ${SECONDS_PER_TARGET}s, corpus $(find "$corpus" -type f | wc -l) inputs, exit $status")
  if [ "$status" != 0 ]; then
    printf '%s\n' "${SUMMARY[@]}"
    echo "fuzz: $target failed; the input is in fuzz/artifacts/$target/"
    exit "$status"
  fi
done
printf '%s\n' "${SUMMARY[@]}"
