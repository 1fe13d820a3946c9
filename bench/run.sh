#!/usr/bin/env bash
# The benchmark suite, in one command. It prints every figure against its budget
# (bench/budgets.json) and writes the table to target/bench/report.md.
#
#   ./bench/run.sh           full: 15 s loads, 3 throttled loads per page (every staff page
#                            too), 100,000 organisations and 1,000,000 order lines (about
#                            19 minutes)
#   ./bench/run.sh --short   what CI runs: 3 s loads and one throttled load per page, the
#                            same scale data; fails only past the loose CI limits
#
# It uses the release build (built first when missing; BENCH_BUILD=1 rebuilds), starts the
# server on throwaway SQLite files with the demo data, and loads it from other processes:
# wrk (Debian) for throughput, bench/load.mjs (Node) for latency at a fixed rate, Chromium
# through Playwright for the web vitals. wrk, Node and the server share this machine's cores.
source "$(dirname "$0")/../scripts/setup.sh"
cd "$ROOT"

MODE=full
[ "${1:-}" = "--short" ] && MODE=short
if [ "$MODE" = short ]; then
  SECONDS_PER_LOAD=3 RUNS=1 ORGANISATIONS=100000 LINES=1000000
else
  SECONDS_PER_LOAD=15 RUNS=3 ORGANISATIONS=100000 LINES=1000000
fi

ensure_rust_tools
ensure_node_packages
ensure_chromium
ensure_bench_tools
# SERVER_BIN (scripts/setup.sh) names another server build: the test command's short run
# passes its test build, and the speed figures are then printed but not held to the CI
# limits (report.py --build test).
BUILD=release
# The fixed-rate latency probe of the SSR pages: 500 requests a second against the release
# build; the test build serves the catalogue at some 340 a second, so it is probed at 100 (a
# figure with no budget: the budget is for 500).
FIXED_RATE=500
if [ "$SERVER_BIN" != "$ROOT/target/release/server" ]; then
  BUILD=test
  FIXED_RATE=100
elif [ -n "${BENCH_BUILD:-}" ] || [ ! -x target/release/server ] || [ ! -f target/release/hash.txt ]; then
  build_release
fi
export_site_env

WORK="$(mktemp -d /tmp/portal-bench.XXXXXX)"
RESULTS="$WORK/results.jsonl"
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
PORT="$(free_port)"
BARE_PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
BARE="http://127.0.0.1:$BARE_PORT"

# record NAME VALUE [UNIT]
record() {
  printf '{"name": "%s", "value": %s, "unit": "%s"}\n' "$1" "$2" "${3:-}" >>"$RESULTS"
  printf '  %-40s %s %s\n' "$1" "$2" "${3:-}"
}

start_server() { # DATABASE_URL
  rm -f "$WORK"/cookie-* # sessions of the previous server's database
  # Every load comes from this one address, which makes far more failed logins (the timing
  # comparison) than a client may: the per-address login limit is lifted; the per-account one
  # (5) stays, and the hostile login burst measures it.
  LOGIN_ATTEMPTS_PER_CLIENT=1000000 \
  DATABASE_URL="$1" DEMO_DATA=true LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
    BENCH_BARE_ADDR="127.0.0.1:$BARE_PORT" RUST_LOG=warn \
    "$SERVER_BIN" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 150); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.2
  done
  cat "$WORK/server.log"
  echo "the server did not start" >&2
  exit 1
}

# The TOTP code the demo staff's authenticator app shows now (README: demo logins).
demo_totp() {
  python3 - <<'PY'
import base64, hashlib, hmac, struct, time
key = base64.b32decode("DONSDEMODONSDEMODONSDEMODONSDEMO")
mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = mac[-1] & 0x0F
print(f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000:06d}")
PY
}

# The session cookie of a demo user, as a Cookie header value. Staff answer the second step
# with their code. Each user logs in once per server and the session is reused: a code is
# accepted once, and the pages below would ask several within one 30-second step.
cookie_for() { # USERNAME
  if [ ! -s "$WORK/cookie-$1" ]; then
    curl -fsS -c "$WORK/jar-$1" -o "$WORK/login-$1.json" -H 'accept: application/json' \
      --data-urlencode "identifier=$1" --data-urlencode password=demo-dons-2026 "$BASE/api/login"
    if grep -q '"mfa"' "$WORK/login-$1.json"; then
      curl -fsS -b "$WORK/jar-$1" -c "$WORK/jar-$1" -o /dev/null -H 'accept: application/json' \
        --data-urlencode "code=$(demo_totp)" "$BASE/api/verify_mfa"
    fi
    awk '!/^#/ && NF >= 7 && $7 != "" { printf "%s%s=%s", sep, $6, $7; sep = "; " } /^#HttpOnly_/ && $7 != "" { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$WORK/jar-$1" >"$WORK/cookie-$1"
  fi
  cat "$WORK/cookie-$1"
}

# wrk_run URL [COOKIE] -> "requests_per_second p50_ms p99_ms non_2xx"
wrk_run() {
  local out
  if [ -n "${2:-}" ]; then
    out="$(wrk -t1 -c16 -d"${SECONDS_PER_LOAD}s" --latency -H "Cookie: $2" "$1")"
  else
    out="$(wrk -t1 -c16 -d"${SECONDS_PER_LOAD}s" --latency "$1")"
  fi
  echo "$out" >>"$WORK/wrk.log"
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 } /Non-2xx or 3xx responses:/ { bad = $5 }
    END { printf "%.1f %.2f %.2f %d\n", rps, p50, p99, bad + 0 }'
}

json_field() { # JSON FIELD
  node -e 'const o = JSON.parse(process.argv[1]); console.log(o[process.argv[2]])' "$1" "$2"
}

# Each section's heading says when it started, so that the suite's time can be split.
BENCH_START="$(date +%s)"
say() { printf '\033[1m==> %s\033[0m (at %d s)\n' "$*" "$(($(date +%s) - BENCH_START))"; }

say "benchmark suite ($MODE mode): $SECONDS_PER_LOAD s loads, $RUNS throttled load(s) per page"
say "sizes of the release bundle"
python3 bench/sizes.py target/site/pkg --record "$RESULTS"

start_server "sqlite://$WORK/small.db"
say "bundle the browser downloads for each page (main module and the chunks the page preloads)"
python3 bench/sizes.py target/site/pkg --record "$RESULTS" --base "$BASE"

say "web vitals in Chromium, Lighthouse's mobile throttling"
(cd end2end && BASE_URL="$BASE" VITALS_OUT="$RESULTS" VITALS_RUNS="$RUNS" npx playwright test -c vitals.config.ts)
if [ "$MODE" = full ]; then
  # Every staff page (the short run measures a sample of them above): about 7 minutes.
  say "web vitals of every staff page (bench/staff_pages.spec.ts)"
  (cd end2end && BASE_URL="$BASE" VITALS_OUT="$RESULTS" VITALS_RUNS="$RUNS" npx playwright test -c staff-vitals.config.ts)
fi
grep '"vitals\.' "$RESULTS" | node -e '
  require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse)
    .forEach((r) => console.log(`  ${r.name.padEnd(40)} ${r.value} ${r.unit}`));'

# Pages that the scale run compares, with the user who sees them.
SCALE_PAGES=(
  "home||/"
  "catalogue||/catalogue"
  "requests|amis|/requests"
  "donations|amis|/donations"
  "staff_dashboard|staff|/admin"
  "review_queue|staff|/admin/reviews"
  "staff_orders|staff|/admin/orders"
  "payments|staff|/admin/payments"
  "directory_name|agent|/admin/organisations?q=Biblioth%C3%A9que%20publique"
  "directory_number|agent|/admin/organisations?q=BE%200876%20543%20270"
  "directory_reference|agent|/admin/organisations?q=DEMO-2026-0004"
)
measure_pages() { # PREFIX
  local entry key user path cookie stats
  for entry in "${SCALE_PAGES[@]}"; do
    IFS='|' read -r key user path <<<"$entry"
    cookie=""
    [ -n "$user" ] && cookie="$(cookie_for "$user")"
    read -r rps p50 p99 bad < <(wrk_run "$BASE$path" "$cookie")
    [ "$bad" = 0 ] || { echo "$path answered $bad non-2xx responses"; exit 1; }
    record "$1.$key.p50" "$p50" ms
    record "$1.$key.rps" "$rps" req/s
  done
}
say "pages on the demo data (the small-data reference for the scale run)"
measure_pages small

# Throughput against the bare handlers says how fast the release build renders: every figure
# of this section is a speed figure, which a test build's run does not judge, so the test
# command (SERVER_BIN = its test build) spends its half-minute of both cores elsewhere.
if [ "$BUILD" = release ]; then
  say "SSR pages against bare axum + sqlx JSON handlers reading the same rows (kept pages, then rendered every time)"
  for entry in "home|/" "catalogue|/catalogue" "product|/catalogue/office-ltsc-standard-2024"; do
    IFS='|' read -r key path <<<"$entry"
    read -r rps p50 p99 bad < <(wrk_run "$BASE$path")
    read -r bare_rps bare_p50 bare_p99 bare_bad < <(wrk_run "$BARE$path")
    [ "$bad$bare_bad" = 00 ] || { echo "$path: $bad / $bare_bad non-2xx responses"; exit 1; }
    record "ssr.$key.rps" "$rps" req/s
    record "ssr.$key.p50" "$p50" ms
    record "ssr.$key.p99" "$p99" ms
    record "bare.$key.rps" "$bare_rps" req/s
    record "ssr.$key.ratio" "$(awk -v a="$rps" -v b="$bare_rps" 'BEGIN { printf "%.3f", a / b }')"
    # The same page rendered on every request: a cookie other than the language's keeps a
    # visitor out of the kept pages (app::page_cache), so this is the renderer's own speed.
    read -r render_rps _ _ render_bad < <(wrk_run "$BASE$path" "bench=render-every-time")
    [ "$render_bad" = 0 ] || { echo "$path, rendered every time: $render_bad non-2xx responses"; exit 1; }
    record "render.$key.rps" "$render_rps" req/s
    record "render.$key.ratio" "$(awk -v a="$render_rps" -v b="$bare_rps" 'BEGIN { printf "%.3f", a / b }')"
    fixed="$(node bench/load.mjs --url "$BASE$path" --rate "$FIXED_RATE" --seconds "$SECONDS_PER_LOAD")"
    echo "$fixed" >>"$WORK/load.log"
    [ "$(json_field "$fixed" unexpected)" = 0 ] || { echo "$path at $FIXED_RATE req/s: $fixed"; exit 1; }
    record "ssr.$key.p99_at_$FIXED_RATE" "$(json_field "$fixed" p99_ms)" ms
    record "ssr.$key.achieved_rate" "$(json_field "$fixed" achieved_rate)" req/s
  done
else
  say "SSR pages against bare axum + sqlx JSON handlers: measured on the release build only (./bench/run.sh)"
fi

say "server functions under load (Les Amis du Quartier)"
AMIS="$(cookie_for amis)"
verify="$(node bench/load.mjs --url "$BASE/api/verify_qualification" --method POST --cookie "$AMIS" \
  --rate 100 --seconds "$SECONDS_PER_LOAD" \
  --body 'lines[0][slug]=office-ltsc-standard-2024&lines[0][quantity]=1&lines[1][slug]=zoom-workplace-business-1-year-50&lines[1][quantity]=2')"
echo "$verify" >>"$WORK/load.log"
[ "$(json_field "$verify" unexpected)" = 0 ] || { echo "verify_qualification: $verify"; exit 1; }
record fn.verify_qualification.p50 "$(json_field "$verify" p50_ms)" ms
record fn.verify_qualification.p99 "$(json_field "$verify" p99_ms)" ms
checkout="$(node bench/load.mjs --url "$BASE/api/checkout" --method POST --cookie "$AMIS" \
  --rate 20 --seconds "$SECONDS_PER_LOAD" \
  --body "idempotency_key=bench-$(date +%s)-{n}&lines[0][slug]=adobe-creative-cloud-all-apps-discount&lines[0][quantity]=1&lines[0][named_user]=bench-$(date +%s)-{n}@bench.example.org")"
echo "$checkout" >>"$WORK/load.log"
[ "$(json_field "$checkout" unexpected)" = 0 ] || { echo "checkout: $checkout"; exit 1; }
record fn.checkout.p50 "$(json_field "$checkout" p50_ms)" ms
record fn.checkout.p99 "$(json_field "$checkout" p99_ms)" ms

# Issue 26: Leptos' streaming lost a <Suspense> wake-up in 1-5 of 400 renders; the watchdog
# then ended the page after 8 s without its late parts.
say "4,000 page renders, 64 at a time: does every stream arrive whole? (SQLite)"
python3 bench/renders.py --base "$BASE" --holder-cookie "$(cookie_for amis)" --staff-cookie "$(cookie_for staff)" \
  --engine sqlite --record "$RESULTS" | tee -a "$WORK/renders.log"

# Issue 21 first, on an account no other load has touched: a 100-login burst against it
# (99 wrong passwords and the right one at once) verifies at most its 5 allowed guesses.
say "hostile load: a burst of 100 logins against one account"
python3 bench/hostile_limits.py --base "$BASE" --identifier lumiere >"$WORK/hostile_limits.log"

say "failed logins: an existing account against a missing one (no enumeration by timing)"
timing="$(node bench/login_timing.mjs --url "$BASE" --users amis,amis-membre,biblio,debrug,tournesols,staff,agent)"
echo "$timing" >>"$WORK/load.log"
[ "$(json_field "$timing" gap_percent)" != undefined ] || { echo "login timing: $timing"; exit 1; }
record auth.login_failed.existing.p50 "$(json_field "$timing" existing_p50_ms)" ms
record auth.login_failed.missing.p50 "$(json_field "$timing" missing_p50_ms)" ms
record auth.login_failed.gap "$(json_field "$timing" gap_percent)" %

# Issue 21. Each script prints `hostile: NAME VALUE UNIT (limit L)` lines and fails past its
# own limits; the short mode gives the timing one a loose limit (budgets.json has both).
say "hostile load: slow and half-open connections, parallel 15 MiB posts"
HOSTILE_ARGS=()
[ "$MODE" = short ] && HOSTILE_ARGS=(--short --healthz-limit-ms 500)
record_hostile() { # LOG: records its `hostile: NAME VALUE UNIT (limit …)` lines
  awk '$1 == "hostile:" && $5 == "(limit" { print $2, $3, $4 }' "$1" | while read -r name value unit; do
    record "hostile.$name" "$value" "$unit"
  done
}
python3 bench/hostile_http.py --base "$BASE" --pid "$SERVER_PID" "${HOSTILE_ARGS[@]}" >"$WORK/hostile_http.log"
record_hostile "$WORK/hostile_http.log"
record_hostile "$WORK/hostile_limits.log"
stop_server

# The same renders on PostgreSQL, where the test command has a cluster running
# (BENCH_POSTGRES_URL=postgres://user@host:port, a server where a database may be created).
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  say "4,000 page renders, 64 at a time: does every stream arrive whole? (PostgreSQL)"
  RENDERS_DB="bench_renders_$$"
  psql "$BENCH_POSTGRES_URL/postgres" -qAt -c "create database $RENDERS_DB" >/dev/null
  start_server "$BENCH_POSTGRES_URL/$RENDERS_DB"
  python3 bench/renders.py --base "$BASE" --holder-cookie "$(cookie_for amis)" --staff-cookie "$(cookie_for staff)" \
    --engine postgres --record "$RESULTS" | tee -a "$WORK/renders.log"
  stop_server
  psql "$BENCH_POSTGRES_URL/postgres" -qAt -c "drop database $RENDERS_DB" >/dev/null
fi

say "hostile load: a password reset e-mail behind 1,000 poisoned messages in the outbox"
python3 bench/hostile_mail.py --server "$SERVER_BIN" --poisoned 1000 | tee "$WORK/hostile_mail.log" |
  while read -r line; do
    echo "$line" >>"$RESULTS"
    node -e 'const r = JSON.parse(process.argv[1]); console.log(`  ${r.name.padEnd(40)} ${r.value} ${r.unit}`)' "$line"
  done

say "hostile load: writes after a full disk is freed (the database on a small tmpfs)"
python3 bench/hostile_disk.py --server "$SERVER_BIN" >"$WORK/hostile_disk.log" ||
  { cat "$WORK/hostile_disk.log"; exit 1; }
record_hostile "$WORK/hostile_disk.log"

# The generated database takes some 1.2 GB at the default scale (bench/scale.py prints it).
say "scale: $ORGANISATIONS organisations and $LINES order lines ($(df -h --output=avail "$WORK" | tail -n 1 | tr -d ' ') free on the disk of $WORK)"
start_server "sqlite://$WORK/large.db" # migrates and loads the demo data
stop_server
python3 bench/scale.py "$WORK/large.db" --organisations "$ORGANISATIONS" --lines "$LINES" | tee -a "$WORK/scale.log"
start_server "sqlite://$WORK/large.db"
measure_pages large
stop_server
for entry in "${SCALE_PAGES[@]}"; do
  key="${entry%%|*}"
  python3 - "$RESULTS" "$key" <<'PY'
import json, sys
results = {r["name"]: r["value"] for r in map(json.loads, open(sys.argv[1]))}
key = sys.argv[2]
ratio = results[f"large.{key}.p50"] / max(results[f"small.{key}.p50"], 0.001)
with open(sys.argv[1], "a") as out:
    out.write(json.dumps({"name": f"scale.{key}.ratio", "value": round(ratio, 2), "unit": "×"}) + "\n")
print(f"  {'scale.' + key + '.ratio':40} {ratio:.2f} ×")
PY
done

mkdir -p target/bench
cp "$RESULTS" "target/bench/results-$MODE.jsonl"
python3 bench/report.py "$RESULTS" bench/budgets.json --mode "$MODE" --build "$BUILD" \
  --machine "$(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, $(rustc --version | cut -d' ' -f1-2)" \
  --out "target/bench/report-$MODE.md"
