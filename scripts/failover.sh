#!/usr/bin/env bash
# Failover test of the scale-out shape: two instances ($SERVER_BIN, the release build unless
# the caller names another: scripts/setup.sh) on one PostgreSQL database behind
# HAProxy with deploy/haproxy.cfg. Under a steady load of page requests through the proxy, one
# instance is killed (SIGKILL), started again, and the other is stopped as a rolling deploy
# stops it (SIGTERM). Every request must be answered 200, except at most one or two whose
# answer had begun to arrive when its instance was SIGKILLed: the proxy retries a request that
# never reached an instance or got nothing back, but cannot take back half a page it has
# already passed on (at 100 pages a second and ~10 ms a page, about one is in flight).
#
#   scripts/failover.sh postgres://postgres@127.0.0.1:5432     (a server where it may create
#                                                             a database; release build first)
#
# Prints one line: `failover: N requests, M not answered 200`; exits non-zero when M > 2.
source "$(dirname "$0")/setup.sh"
PG="${1:?usage: scripts/failover.sh postgres://user@host:port}"
cd "$ROOT"
ensure_haproxy
export_site_env

WORK="$(mktemp -d /tmp/portal-failover.XXXXXX)"
PIDS=()
stop_all() {
  local p
  for p in "${PIDS[@]}"; do { kill -9 "$p"; wait "$p"; } 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap stop_all EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
DB="failover_$(date +%s)_$$"
psql "$PG/postgres" -qAt -c "create database $DB" >/dev/null
DATABASE_URL="$PG/$DB"
PORT_1="$(free_port)" PORT_2="$(free_port)" PROXY_PORT="$(free_port)"

start_instance() { # NUMBER PORT: starts it, waits until it answers, sets INSTANCE_PID
  DATABASE_URL="$DATABASE_URL" DEMO_DATA=true LEPTOS_SITE_ADDR="127.0.0.1:$2" RUST_LOG=warn \
    CLIENT_IP_SOURCE=RightmostXForwardedFor HTTP_MAX_CONNECTIONS_PER_ADDRESS=0 "$SERVER_BIN" >>"$WORK/instance-$1.log" 2>&1 &
  INSTANCE_PID=$!
  PIDS+=("$INSTANCE_PID")
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$2/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$INSTANCE_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$WORK/instance-$1.log"; echo "instance $1 did not start"; exit 1
}
# One after the other: the first loads the demo data, the second finds it there.
start_instance 1 "$PORT_1"; PID_1=$INSTANCE_PID
start_instance 2 "$PORT_2"; PID_2=$INSTANCE_PID

LISTEN="127.0.0.1:$PROXY_PORT" INSTANCE_1="127.0.0.1:$PORT_1" INSTANCE_2="127.0.0.1:$PORT_2" \
  haproxy -db -f deploy/haproxy.cfg >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$PROXY_PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
sleep 1.5 # both instances pass their first checks

# 12 s at 100 pages a second through the proxy; the instances die and come back meanwhile.
node bench/load.mjs --url "http://127.0.0.1:$PROXY_PORT/catalogue" --rate 100 --seconds 12 --warmup 0 \
  >"$WORK/load.json" &
LOAD_PID=$!
sleep 2
{ kill -9 "$PID_1"; wait "$PID_1" || true; } 2>/dev/null; echo "failover: instance 1 killed (SIGKILL)"
sleep 2
start_instance 1 "$PORT_1"; echo "failover: instance 1 started again"
sleep 3 # HAProxy sees it up after two checks
kill -TERM "$PID_2"; echo "failover: instance 2 stopped (SIGTERM)"
wait "$LOAD_PID"
read -r REQUESTS UNEXPECTED STATUSES < <(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(r.requests, r.unexpected, JSON.stringify(r.statuses));' "$WORK/load.json")
echo "failover: $REQUESTS requests, $UNEXPECTED not answered 200 (answers: $STATUSES; at most 2 allowed)"
if [ "$UNEXPECTED" -gt 2 ]; then
  echo "--- haproxy ---"; tail -n 20 "$WORK/haproxy.log"
  exit 1
fi
