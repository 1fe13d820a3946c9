#!/usr/bin/env python3
"""Writes after a full disk is freed (issue 21, item 5).

    bench/hostile_disk.py [--server target/release/server] [--size-mib 48] [--writes 100]

Loopback only, Python 3 standard library; needs root (it mounts a tmpfs). Starts the server
with its SQLite database on a small tmpfs of its own, with the demo data, and logs in as the
demo member `amis`. Then:

1. fills the tmpfs to the last byte with a file of its own, and sends writes ("Ajouter au
   panier", four at a time) while it is full: they must fail cleanly (an error answer, no hang-up) and
   `/readyz` must say the database does not accept writes;
2. deletes the file, and sends WRITES more writes one after the other, as soon as the space is
   back: every one must succeed. Before issue 21, 12–37 % of them still failed 60 s later
   (`attempted to call begin_with at non-zero transaction depth`): a failed COMMIT left its
   connection inside a transaction, and the pool handed it out again.

Prints `hostile: NAME VALUE UNIT (limit L)` lines, as bench/run.sh records them, and exits
non-zero past a limit.
"""

import argparse
import concurrent.futures
import http.cookiejar
import ipaddress
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill(path):
    """Writes `path` until the file system refuses another byte; returns the bytes written."""
    written = 0
    with open(path, "wb", buffering=0) as f:
        for chunk in (1 << 20, 1 << 12, 1):
            block = b"\0" * chunk
            while True:
                try:
                    f.write(block)
                    written += chunk
                except OSError:
                    break
    return written


class Client:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def post(self, path, fields):
        request = urllib.request.Request(
            f"{self.base}{path}",
            data=urllib.parse.urlencode(fields).encode(),
            headers={
                "content-type": "application/x-www-form-urlencoded",
                "accept": "application/json",
                "origin": self.base,
            },
            method="POST",
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, OSError):
            return 0  # no answer: a hang-up or a timeout

    def get(self, path):
        try:
            with self.opener.open(f"{self.base}{path}", timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, OSError):
            return 0


def report(name, value, unit, limit, ok):
    print(f"hostile: {name} {value} {unit} (limit {limit})")
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", default="target/release/server")
    parser.add_argument("--size-mib", type=int, default=48)
    parser.add_argument("--writes", type=int, default=100)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("hostile_disk: needs root, to mount a tmpfs that can be filled")

    mount = tempfile.mkdtemp(prefix="hostile-disk.")
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size_mib}m", "tmpfs", mount], check=True)
    server = None
    try:
        db_file = os.path.join(mount, "portal.db")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        assert ipaddress.ip_address("127.0.0.1").is_loopback
        env = dict(
            os.environ,
            DATABASE_URL=f"sqlite://{db_file}",
            DEMO_DATA="true",
            LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
            RUST_LOG="error",
        )
        log = open(os.path.join(tempfile.gettempdir(), "hostile_disk.server.log"), "wb")
        server = subprocess.Popen([args.server], env=env, stdout=log, stderr=subprocess.STDOUT)
        client = Client(base)
        for _ in range(600):
            if client.get("/healthz") == 200:
                break
            time.sleep(0.1)
        else:
            sys.exit("hostile_disk: the server did not start")

        db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=30)
        (slug,) = db.execute(
            "select p.slug from product p "
            "join qualification q on q.partner_id = p.partner_id and q.status = 'qualified' "
            "join membership m on m.organisation_id = q.organisation_id "
            "join person pe on pe.person_id = m.person_id "
            "where pe.username = 'amis' and p.active = 1 and p.kind <> 'validation_only' "
            "order by p.slug limit 1"
        ).fetchone()
        db.close()
        if client.post("/api/login", {"identifier": "amis", "password": "demo-dons-2026"}) != 200:
            sys.exit("hostile_disk: the demo login failed")

        def write():
            return client.post("/api/add_to_cart", {"slug": slug, "quantity": "1"})

        if write() != 200:
            sys.exit("hostile_disk: a write failed before the disk was filled")
        filler = os.path.join(mount, "filler")
        fill(filler)
        # Four at a time, as a busy portal would: failed COMMITs on several pooled connections.
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            while_full = list(pool.map(lambda _: write(), range(20)))
        ready_while_full = client.get("/readyz")
        os.remove(filler)
        freed = time.monotonic()
        after = [write() for _ in range(args.writes)]
        seconds = time.monotonic() - freed
        ready_after = client.get("/readyz")

        hung_up = sum(1 for s in while_full if s == 0)
        errors_after = sum(1 for s in after if s != 200)
        ok = True
        ok &= report("disk_full_writes_refused", sum(1 for s in while_full if s != 200), "of_20", "≥ 1", any(s != 200 for s in while_full))
        ok &= report("disk_full_writes_without_answer", hung_up, "of_20", 0, hung_up == 0)
        ok &= report("disk_full_readyz_status", ready_while_full, "http", 503, ready_while_full == 503)
        ok &= report("write_errors_after_disk_freed", errors_after, f"of_{args.writes}", 0, errors_after == 0)
        ok &= report("readyz_status_after_disk_freed", ready_after, "http", 200, ready_after == 200)
        print(json.dumps({"statuses_while_full": sorted(set(while_full)), "statuses_after": sorted(set(after)), "after_seconds": round(seconds, 2)}))
        if not ok:
            sys.exit(1)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        subprocess.run(["umount", "-l", mount], check=False)
        os.rmdir(mount)


if __name__ == "__main__":
    main()
