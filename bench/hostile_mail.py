#!/usr/bin/env python3
"""How long a password-reset e-mail waits behind poisoned messages in the outbox (issue 21).

    bench/hostile_mail.py [--server target/release/server] [--poisoned 1000]

Loopback only, Python 3 standard library. Starts the server on a throwaway SQLite file with
the demo data and SMTP_URL pointing to a small SMTP sink of its own (below), which refuses
every recipient named `refused…` (550, permanent) or `busy…` (451, transient). Once the server
is up it writes POISONED messages into the outbox, older than anything else: a third to an
address the mailer cannot parse (`"x,y"@example.org`, as an old form let in), a third refused
for good, a third refused for now. Then it asks for a password reset for the demo holder
`amis` and measures how long until the sink receives it. Before issue 21 each failure ended
the worker's round (3 poisoned messages delayed a reset by 76 s); now it should arrive within
one worker period (5 s) plus the time to go through the poisoned ones once.
Prints one JSON line per figure, as bench/report.py reads them.
"""

import argparse
import asyncio
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """A minimal SMTP server: records (recipient, arrival time) of each accepted message."""

    def __init__(self):
        self.received = []

    async def handle(self, reader, writer):
        try:
            await self.converse(reader, writer)
        except (ConnectionError, asyncio.CancelledError):
            pass  # The server went away (it is stopped at the end).
        finally:
            writer.close()

    async def converse(self, reader, writer):
        writer.write(b"220 sink ESMTP\r\n")
        rcpt, in_data = "", False
        while line := await reader.readline():
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            if in_data:
                if text == ".":
                    in_data = False
                    self.received.append((rcpt, time.monotonic()))
                    writer.write(b"250 queued\r\n")
                continue
            cmd = text.upper()
            if cmd.startswith(("EHLO", "HELO")):
                writer.write(b"250 sink\r\n")
            elif cmd.startswith("RCPT"):
                rcpt = text.split("<", 1)[-1].rstrip(">")
                if rcpt.startswith("refused"):
                    writer.write(b"550 no such mailbox\r\n")
                elif rcpt.startswith("busy"):
                    writer.write(b"451 try again later\r\n")
                else:
                    writer.write(b"250 ok\r\n")
            elif cmd.startswith("DATA"):
                in_data = True
                writer.write(b"354 go on\r\n")
            elif cmd.startswith("QUIT"):
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", default="target/release/server")
    parser.add_argument("--poisoned", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    sink = Sink()
    smtp = await asyncio.start_server(sink.handle, "127.0.0.1", 0)
    smtp_port = smtp.sockets[0].getsockname()[1]
    work = tempfile.mkdtemp(prefix="hostile-mail.")
    db_file = os.path.join(work, "portal.db")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite://{db_file}",
        DEMO_DATA="true",
        LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
        SMTP_URL=f"smtp://127.0.0.1:{smtp_port}",
        RUST_LOG="error",
    )
    server = subprocess.Popen([args.server], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                await asyncio.sleep(0.1)
        else:
            sys.exit("the server did not start")

        db = sqlite3.connect(db_file, timeout=30)
        (old,) = db.execute("select min(created_at) from organisation").fetchone()
        (reset_to,) = db.execute("select email from person where username = 'amis'").fetchone()
        kinds = ['"x,y"@example.org', "refused{}@example.org", "busy{}@example.org"]
        rows = [
            (str(uuid.uuid4()), kinds[i % 3].format(i), "Poison", "x", old)
            for i in range(args.poisoned)
        ]
        db.executemany(
            "insert into outgoing_email (outgoing_email_id, to_address, subject, body_text, status, attempts, created_at) "
            "values (?, ?, ?, ?, 'pending', 0, ?)",
            rows,
        )
        db.commit()

        asked = time.monotonic()
        request = urllib.request.Request(
            f"{base}/api/request_password_reset",
            data=b"identifier=amis",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": base},
        )
        urllib.request.urlopen(request, timeout=10).read()
        while time.monotonic() - asked < args.timeout:
            arrived = [t for (to, t) in sink.received if to == reset_to]
            if arrived:
                delay = arrived[0] - asked
                break
            await asyncio.sleep(0.05)
        else:
            delay = float("inf")
        (dead,) = db.execute("select count(*) from outgoing_email where status = 'failed'").fetchone()
        print(json.dumps({"name": f"mail.reset_delay_behind_{args.poisoned}_poisoned", "value": round(delay, 2), "unit": "s"}))
        print(json.dumps({"name": "mail.dead_letters_after_first_round", "value": dead, "unit": ""}))
        if delay == float("inf"):
            sys.exit(f"the reset e-mail did not arrive within {args.timeout} s")
    finally:
        server.terminate()
        server.wait(timeout=30)
        smtp.close()


if __name__ == "__main__":
    asyncio.run(main())
