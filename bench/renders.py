#!/usr/bin/env python3
"""Many page renders at once: does every streamed page arrive whole?

Leptos' out-of-order streaming could lose the wake-up of a `<Suspense>` under concurrent load:
the page's shell went out, a late part never did, and the server's watchdog ended the page
after 8 s of silence (SECURITY.md). This sends N renders of ten pages (visitor, holder and
staff; French, Dutch and English in turn, every one rendered) with C in flight, and counts:

  complete   200, and the stream's closing marker arrived (`__INCOMPLETE_CHUNKS=`, the last
             thing Leptos writes)
  stalled    a 200 without it (the watchdog's cut: the shell, not its late parts), a timeout
             or a dropped connection
  refused    any other status (the server's connection cap answers 503 past its limit)

    python3 bench/renders.py --base http://127.0.0.1:3000 --holder-cookie '…' \
        --staff-cookie '…' --engine sqlite [--renders 4000] [--concurrency 64] [--record FILE]

Prints `renders: ENGINE N complete, S stalled, p50/p99/max ms` and records
`renders.ENGINE.stalled` (budget 0) and `renders.ENGINE.max_ms`.
"""
import argparse
import concurrent.futures
import http.client
import json
import sys
import time
import urllib.parse

VISITS = [
    ("", "/"),
    ("", "/catalogue"),
    ("", "/login"),
    ("holder", "/"),
    ("holder", "/account"),
    ("holder", "/account/tokens"),
    ("holder", "/requests"),
    ("holder", "/donations"),
    ("staff", "/admin/reviews"),
    ("staff", "/admin/orders"),
]
LANGUAGES = ["fr", "nl-BE,nl;q=0.9", "en"]
MARKER = b"__INCOMPLETE_CHUNKS="


def render(base, path, cookie, language, timeout):
    url = urllib.parse.urlsplit(base)
    started = time.monotonic()
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        headers = {"accept-language": language, "accept": "text/html"}
        if cookie:
            headers["cookie"] = cookie
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        return path, "stalled", f"{type(error).__name__}: {error}", time.monotonic() - started
    finally:
        connection.close()
    elapsed = time.monotonic() - started
    if status != 200:
        return path, "refused", f"status {status}: {body[:80]!r}", elapsed
    if MARKER not in body:
        return path, "stalled", f"{len(body)} bytes, ends {body[-120:]!r}", elapsed
    return path, "complete", "", elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--holder-cookie", required=True)
    parser.add_argument("--staff-cookie", required=True)
    parser.add_argument("--engine", required=True)
    parser.add_argument("--renders", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--record")
    args = parser.parse_args()
    # The visitor sends a cookie of no meaning: a visitor without one would get home and the
    # catalogue from the kept pages (app::page_cache), and the question here is the renders.
    cookies = {"": "bench=render-every-time", "holder": args.holder_cookie, "staff": args.staff_cookie}

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        futures = []
        for n in range(args.renders):
            who, path = VISITS[n % len(VISITS)]
            language = LANGUAGES[(n // len(VISITS)) % len(LANGUAGES)]
            futures.append(pool.submit(render, args.base, path, cookies[who], language, args.timeout))
        results = [f.result() for f in futures]
    wall = time.monotonic() - started

    count = {kind: sum(1 for _, k, _, _ in results if k == kind) for kind in ("complete", "stalled", "refused")}
    times = sorted(elapsed * 1000 for *_, elapsed in results)
    p50 = times[len(times) // 2]
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(
        f"renders: {args.engine} {count['complete']} complete, {count['stalled']} stalled, "
        f"{count['refused']} refused of {len(results)} ({args.concurrency} at once, {wall:.1f} s); "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {times[-1]:.1f} ms"
    )
    for path, kind, why, _ in [r for r in results if r[1] != "complete"][:10]:
        print(f"  {kind}: {path}: {why}")
    if args.record:
        with open(args.record, "a") as out:
            for name, value, unit in [
                (f"renders.{args.engine}.stalled", count["stalled"], ""),
                (f"renders.{args.engine}.refused", count["refused"], ""),
                (f"renders.{args.engine}.max_ms", round(times[-1], 1), "ms"),
            ]:
                out.write(json.dumps({"name": name, "value": value, "unit": unit}) + "\n")
    # Without --record, the exit status is the verdict; with it, bench/budgets.json's.
    sys.exit(1 if count["complete"] != len(results) and args.record is None else 0)


if __name__ == "__main__":
    main()
