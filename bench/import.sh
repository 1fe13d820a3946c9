#!/usr/bin/env bash
# The migration import at the issue's scale: generates 20,000 organisations with 600,000 order
# lines in the documented CSV format (bench/migration_data.py), then imports them into a fresh
# SQLite database with `server import-migration` (the staff page's code), printing the time of
# each phase; then runs it again (idempotent: everything unchanged) and prints that time too.
#
#   bench/import.sh                 debug build (the default: what the test target holds)
#   BUILD=release bench/import.sh   release build
#   ORGS=2000 LINES=60000 bench/import.sh
#   INVITE=0 bench/import.sh        without queuing the 40,000 invitation e-mails
#   SERVER=target/release/server bench/import.sh
#                                   a server binary already built (scripts/test.sh's release)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
ORGS="${ORGS:-20000}"
LINES="${LINES:-600000}"
WORK="$(mktemp -d /tmp/migration-bench.XXXXXX)"
PROFILE_FLAG=""
[ "${BUILD:-debug}" = release ] && PROFILE_FLAG="--release"
if [ -n "${SERVER:-}" ]; then
  BIN="$SERVER"
else
  BIN="${CARGO_TARGET_DIR:-target}/${BUILD:-debug}/server"
  cargo build --quiet $PROFILE_FLAG -p server --bin server
fi
start=$(date +%s.%N)
python3 bench/migration_data.py "$WORK/files" --organisations "$ORGS" --lines "$LINES"
echo "generate: $(python3 -c "print(round(($(date +%s.%N) - $start) * 1000))") ms"
du -sh "$WORK/files"
FLAGS=()
[ "${INVITE:-1}" = 0 ] && FLAGS+=(--no-invitations)
export DATABASE_URL="sqlite://$WORK/portal.db" DEMO_DATA=true RUST_LOG=warn
echo "== import ($BIN) into $DATABASE_URL"
/usr/bin/time -f "wall %e s, max RSS %M KiB" "$BIN" import-migration "$WORK/files" "${FLAGS[@]}" --report "$WORK/report.csv" || true
echo "== the same files again (nothing to write)"
/usr/bin/time -f "wall %e s, max RSS %M KiB" "$BIN" import-migration "$WORK/files" "${FLAGS[@]}" || true
ls -la "$WORK/portal.db"
echo "files and database left in $WORK"
