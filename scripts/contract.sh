#!/usr/bin/env bash
# Contract test of the partner API: schemathesis (from PyPI, pinned) generates requests from
# the OpenAPI document the running server serves at /api/v1/openapi.json and checks every
# answer against it: no server error, only documented status codes, headers and bodies
# matching their schemas, refused invalid input, enforced authentication.
#
#   scripts/contract.sh http://127.0.0.1:3000     (a server started with DEMO_DATA=true)
#
# It logs in as the demo staff user, creates an API client for the run (a high rate limit,
# so that generated requests are not answered 429), and prints one line of figures.
source "$(dirname "$0")/setup.sh"
BASE="${1:?usage: scripts/contract.sh BASE_URL}"
ensure_schemathesis

WORK="$(mktemp -d /tmp/portal-contract.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

say "creating an API client for the contract run"
curl -fsS -c "$WORK/cookies" -o /dev/null -H 'accept: application/json' \
  --data-urlencode identifier=staff --data-urlencode password=demo-dons-2026 "$BASE/api/login"
# Staff sign in with a second factor: the code of the demo secret (README: demo logins).
CODE="$(python3 - <<'PY'
import base64, hashlib, hmac, struct, time
key = base64.b32decode("DONSDEMODONSDEMODONSDEMODONSDEMO")
mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = mac[-1] & 0x0F
print(f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000:06d}")
PY
)"
curl -fsS -b "$WORK/cookies" -c "$WORK/cookies" -o /dev/null -H 'accept: application/json' \
  --data-urlencode "code=$CODE" "$BASE/api/verify_mfa"
curl -fsS -b "$WORK/cookies" -o "$WORK/client.json" -H 'accept: application/json' \
  --data-urlencode "name=Contract test $(date +%s)" --data-urlencode partner_id=google \
  --data-urlencode rate_per_minute=100000 "$BASE/api/create_partner_client"
KEY="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["key"])' "$WORK/client.json")"

say "schemathesis against $BASE/api/v1/openapi.json"
STATUS=0
cd "$WORK" # schemathesis keeps a cache folder where it runs
"$SCHEMATHESIS_VENV/bin/schemathesis" run "$BASE/api/v1/openapi.json" --url "$BASE" \
  --header "Authorization: Bearer $KEY" \
  --checks all --max-examples "${CONTRACT_EXAMPLES:-300}" --seed 20261127 \
  --generation-database none --no-color \
  --report junit --report-junit-path "$WORK/junit.xml" | tee "$WORK/output.txt" || STATUS=$?

# Figures for SECURITY.md: requests sent, failures, and server errors seen in the output.
python3 - "$WORK/junit.xml" "$WORK/output.txt" <<'PY'
import re, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
operations = sum(int(s.get("tests", 0)) for s in suites)
failures = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
output = open(sys.argv[2], encoding="utf-8", errors="replace").read()
cases = re.search(r"Test cases:\s*([0-9,]+) generated", output)
server_errors = len(re.findall(r"Server error", output))
print(f"contract: {operations} operations, {cases.group(1) if cases else '?'} test cases, "
      f"{failures} failing operations, {server_errors} server errors")
PY
exit "$STATUS"
