#!/usr/bin/env python3
"""A hostile login burst against a running portal: how many password guesses does it verify?

    bench/hostile_limits.py --base http://127.0.0.1:3000 [--identifier biblio] [--password demo-dons-2026]

Sends 100 logins for one demo account at once (issue 21, item 2): 99 wrong passwords, then the
right one. Every login is a reservation taken before the password is hashed, so at most the
limit (5 per account and 15 minutes) are verified, however many arrive together; the right
password past the limit is refused with 429 like the rest. Prints

    hostile: login_burst_verified N guesses (limit 5)

where N counts the wrong passwords the server verified (answered 422), and exits non-zero when
N passes the limit or any call fails (5xx, no answer). Bounded: 100 requests, each with a
30-second timeout; loopback addresses only. The account stays locked for 15 minutes after it
(use another demo login, or a fresh database, to run it again).
"""

import argparse
import concurrent.futures
import ipaddress
import socket
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

BURST = 100
LIMIT = 5
TIMEOUT_SECONDS = 30


def loopback_only(base):
    host = urllib.parse.urlsplit(base).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as error:
        sys.exit(f"hostile: cannot resolve {host!r}: {error}")
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        sys.exit(f"hostile: {base} is not a loopback address; this script only probes a local server")


def login(base, identifier, password, start):
    body = urllib.parse.urlencode({"identifier": identifier, "password": password}).encode()
    request = urllib.request.Request(
        f"{base}/api/login",
        data=body,
        headers={"content-type": "application/x-www-form-urlencoded", "accept": "application/json"},
        method="POST",
    )
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the portal, e.g. http://127.0.0.1:3000")
    parser.add_argument("--identifier", default="biblio", help="a demo login (username or e-mail)")
    parser.add_argument("--password", default="demo-dons-2026", help="its password (the demo data's)")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    loopback_only(base)

    passwords = [f"wrong guess {i}" for i in range(BURST - 1)] + [args.password]
    start = threading.Event()
    with concurrent.futures.ThreadPoolExecutor(max_workers=BURST) as pool:
        futures = [pool.submit(login, base, args.identifier, p, start) for p in passwords]
        start.set()
        statuses = [f.result() for f in futures]

    wrong, right = statuses[:-1], statuses[-1]
    verified = sum(1 for s in wrong if s == 422)
    refused = sum(1 for s in wrong if s == 429)
    failed = [s for s in statuses if s == 0 or s >= 500]
    print(f"hostile: login_burst_verified {verified} guesses (limit {LIMIT})")
    print(f"hostile: login_burst wrong passwords: {verified} verified, {refused} refused (429); right password: {right}")
    if failed:
        print(f"hostile: {len(failed)} calls failed (no answer or 5xx): {sorted(set(failed))}")
    return 1 if verified > LIMIT or failed else 0


if __name__ == "__main__":
    sys.exit(main())
