#!/usr/bin/env python3
"""What one anonymous client can do to the portal's HTTP layer, measured (issue 21):

    bench/hostile_http.py --base http://127.0.0.1:3000 --pid PID [--short]

(a) opens many slow and half-open connections from 127.0.0.1 (half send the start of a request
    head and then nothing, half send nothing at all) and, while they are open, measures how
    long /healthz takes from 127.0.0.2, then how long until the server has closed them all;
(b) sends parallel 15 MiB POSTs (declared with Content-Length, then chunked) to a server
    function and to an unknown path, and reads the server's resident memory (VmRSS of --pid)
    meanwhile.

Each figure is one line: `hostile: NAME VALUE UNIT (limit LIMIT)`; the script exits 1 if a
figure is past its limit. Loopback only (the base URL must name 127.0.0.1 or localhost),
bounded in connections and in time: about 30 s in full, 20 s with --short. Python 3 standard
library only.
"""

import argparse
import resource
import socket
import statistics
import sys
import threading
import time
import urllib.parse

MIB = 1024 * 1024


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the server, e.g. http://127.0.0.1:3000")
    parser.add_argument("--pid", type=int, help="the server's process id, for its memory (b)")
    parser.add_argument("--short", action="store_true", help="fewer connections and posts")
    parser.add_argument("--header-timeout", type=float, default=10.0,
                        help="the server's HTTP_HEADER_READ_TIMEOUT_SECS (default 10)")
    parser.add_argument("--healthz-limit-ms", type=float, default=100.0)
    # What the posts add to the server's memory, not its size at rest (which depends on the
    # build: 144 MB for the release binary with the demo data, 180 MB for the test build). The
    # bug this guards against (the NUL check buffering each body) took 80 + 80 posts from
    # 40 MB to 1.28 GB; release grows some 10 MB with 40 posts, 26 MB with 160.
    parser.add_argument("--rss-growth-limit-mb", type=float, default=100.0)
    args = parser.parse_args()
    url = urllib.parse.urlsplit(args.base)
    if url.scheme != "http" or url.hostname not in ("127.0.0.1", "localhost"):
        parser.error("--base must be http://127.0.0.1:PORT or http://localhost:PORT (loopback only)")
    args.host, args.port = "127.0.0.1", url.port or 80
    return args


failures = []


def figure(name, value, unit, limit, higher_is_worse=True):
    past = limit is not None and (value > limit if higher_is_worse else value < limit)
    shown = "none" if limit is None else f"{limit:g}"
    value_shown = f"{value}" if isinstance(value, int) else f"{value:.1f}"
    print(f"hostile: {name} {value_shown} {unit} (limit {shown})", flush=True)
    if past:
        failures.append(name)


def connect(args, source, timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect((args.host, args.port))
    return s


def healthz_ms(args, source="127.0.0.2"):
    started = time.monotonic()
    s = connect(args, source)
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n")
        answer = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
    finally:
        s.close()
    elapsed = (time.monotonic() - started) * 1000
    if not answer.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"/healthz from {source} answered {answer[:40]!r}")
    return elapsed


def slow_connections(args):
    count = 200 if args.short else 1000
    slow = []
    for i in range(count):
        try:
            s = connect(args, "127.0.0.1")
        except OSError as error:
            print(f"# connection {i} not opened: {error}", file=sys.stderr)
            break
        if i % 2 == 0:
            s.sendall(b"GET / HTTP/1.1\r\nHost: portal\r\nX-Slow: ")
        s.setblocking(False)
        slow.append(s)
    opened = time.monotonic()
    # /healthz from another address while they are open.
    latencies = []
    for _ in range(20):
        latencies.append(healthz_ms(args))
        time.sleep(0.05)
    figure("slow_connections_opened", len(slow), "connections", None)
    figure("healthz_during_slow_connections_max", max(latencies), "ms", args.healthz_limit_ms)
    figure("healthz_during_slow_connections_median", statistics.median(latencies), "ms", None)
    # Then wait until the server has closed every one (an end of stream or a reset).
    deadline = opened + args.header_timeout + 10
    open_ = set(slow)
    refused = 0
    while open_ and time.monotonic() < deadline:
        for s in list(open_):
            try:
                data = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if data.startswith(b"HTTP/1.1 503"):
                refused += 1
            if not data or data.startswith(b"HTTP/1.1"):
                # A 503 is followed by the close; count the connection as closed.
                open_.discard(s)
                s.close()
        time.sleep(0.05)
    closed_after = time.monotonic() - opened
    for s in open_:
        s.close()
    figure("slow_connections_refused_503", refused, "connections", None)
    figure("slow_connections_still_open", len(open_), "connections", 0)
    figure("slow_connections_all_closed_after", closed_after, "s", args.header_timeout + 2)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def big_post(args, path, chunked, statuses):
    """Sends up to 15 MiB to `path` while the server lets it, and records the status."""
    try:
        s = connect(args, "127.0.0.1", timeout=10)
    except OSError as error:
        statuses.append(f"connect: {error}")
        return
    try:
        framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {15 * MIB}"
        s.sendall((f"POST {path} HTTP/1.1\r\nHost: portal\r\n"
                   f"Content-Type: application/x-www-form-urlencoded\r\n{framing}\r\n\r\n").encode())
        block = b"a" * (64 * 1024)
        if chunked:
            block = b"%x\r\n" % len(block) + block + b"\r\n"
        sent = 0
        try:
            while sent < 15 * MIB:
                s.sendall(block)
                sent += 64 * 1024
            if chunked:
                s.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed before the whole body: what it should do
        try:
            answer = s.recv(64)
        except OSError:
            answer = b""
        statuses.append(answer[:12].decode(errors="replace") or "closed")
    finally:
        s.close()


def parallel_posts(args):
    if args.pid is None:
        print("# no --pid: the memory figures are skipped", file=sys.stderr)
        return
    posts = 20 if args.short else 80
    baseline = rss_mb(args.pid)
    peak = [baseline]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            try:
                peak[0] = max(peak[0], rss_mb(args.pid))
            except (OSError, RuntimeError):
                pass
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    statuses = []
    started = time.monotonic()
    for chunked in (False, True):
        threads = [threading.Thread(target=big_post, args=(args, ["/api/login", "/nowhere"][i % 2], chunked, statuses))
                   for i in range(posts)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    elapsed = time.monotonic() - started
    time.sleep(0.5)
    stop.set()
    sampler.join()
    refused = sum(1 for s in statuses if s.startswith("HTTP/1.1 413"))
    figure("rss_before_posts", baseline, "MB", None)
    figure("rss_peak_during_parallel_15mib_posts", peak[0], "MB", None)
    figure("rss_growth_during_parallel_15mib_posts", peak[0] - baseline, "MB", args.rss_growth_limit_mb)
    figure("parallel_15mib_posts_refused_413", refused, "posts", 2 * posts, higher_is_worse=False)
    figure("parallel_15mib_posts_duration", elapsed, "s", None)


def main():
    args = parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4096 and hard > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    healthz_ms(args)  # the server is up
    slow_connections(args)
    parallel_posts(args)
    if failures:
        print(f"hostile: past their limits: {', '.join(failures)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
