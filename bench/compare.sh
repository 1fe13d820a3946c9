#!/usr/bin/env bash
# Two server binaries side by side, on the same demo data and the same machine, in
# alternating rounds (A, B, A, B…) so that the machine's drift falls on both.
#
#   ./bench/compare.sh OLD_BINARY NEW_BINARY [ROUNDS] [PATH]
#
# For example, before a change: `cp target/release/server /tmp/server-old`; rebuild
# (`(source scripts/setup.sh; build_release)`), then
# `./bench/compare.sh /tmp/server-old target/release/server 3 /catalogue`.
#
# Each round, each binary, fresh database: the server's CPU time per request under wrk
# (16 connections, 5 s; read from /proc, so wrk's own CPU does not count), wrk's throughput,
# and bench/load.mjs's p99 at 500 req/s (5 s). Prints one line per measurement and the
# medians. Needs the release site (target/site) for the static files.
source "$(dirname "$0")/../scripts/setup.sh"
cd "$ROOT"

[ $# -ge 2 ] || { echo "usage: $0 OLD_BINARY NEW_BINARY [ROUNDS] [PATH]" >&2; exit 2; }
BINARIES=("$1" "$2")
ROUNDS="${3:-3}"
PAGE="${4:-/catalogue}"
export_site_env

WORK="$(mktemp -d /tmp/portal-compare.XXXXXX)"
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT$PAGE"

start() { # BINARY
  rm -f "$WORK"/db*
  DATABASE_URL="sqlite://$WORK/db" DEMO_DATA=true LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn \
    "$1" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS -o /dev/null "$URL" || { cat "$WORK/server.log"; echo "$1 did not serve $URL" >&2; exit 1; }
  wrk -t1 -c16 -d2s "$URL" >/dev/null # warm-up
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }

for round in $(seq 1 "$ROUNDS"); do
  for which in 0 1; do
    start "${BINARIES[$which]}"
    before="$(cpu_ticks)"
    out="$(wrk -t1 -c16 -d5s "$URL")"
    after="$(cpu_ticks)"
    requests="$(echo "$out" | awk '/requests in/ { print $1 }')"
    rps="$(echo "$out" | awk '/Requests\/sec/ { print $2 }')"
    cpu="$(awk -v a="$before" -v b="$after" -v n="$requests" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%.3f", (b - a) * 1000 / hz / n }')"
    p99="$(node bench/load.mjs --url "$URL" --rate 500 --seconds 5 |
      node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(r.unexpected ? "errors" : r.p99_ms)')"
    label=$([ "$which" = 0 ] && echo A || echo B)
    printf '%s round %s: %s cpu-ms/request, %s req/s, p99 at 500 req/s %s ms\n' "$label" "$round" "$cpu" "$rps" "$p99"
    echo "$label $cpu $rps $p99" >>"$WORK/figures"
    stop_server
  done
done

echo "medians over $ROUNDS rounds, $PAGE (A = $1, B = $2):"
for label in A B; do
  awk -v l="$label" '$1 == l { print $2, $3, $4 }' "$WORK/figures" | python3 -c '
import statistics, sys
rows = [line.split() for line in sys.stdin]
cols = list(zip(*rows))
med = [statistics.median(map(float, c)) for c in cols]
print(f"  {sys.argv[1]}: {med[0]:.3f} cpu-ms/request, {med[1]:.1f} req/s, p99 at 500 req/s {med[2]:.2f} ms")
' "$label"
done
