#!/usr/bin/env python3
"""Minimal PostgreSQL v3 protocol client for the benchmark harness (standard library only).

Two modes:

  hold   Open N connections, authenticate each (trust, cleartext, md5 or SCRAM-SHA-256), wait for
         ReadyForQuery, then hold them idle.  Prints one line "READY <ok> <failed> <seconds>" (plus
         "ERROR <text>" lines for the first few failures) once every connection has either reached
         ReadyForQuery or failed, then waits until it receives SIGTERM/SIGINT or --hold-seconds pass,
         closes everything and exits.

  probe  Connect, authenticate and run "select 1" in a tight loop until it succeeds.  Prints the
         number of milliseconds between --t0-ns (a CLOCK_REALTIME timestamp in nanoseconds, e.g.
         `date +%s%N` taken just before the server process was started) and the first successful
         answer.  Exits 1 if --timeout seconds pass first.
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import os
import signal
import struct
import sys
import time


class PgError(Exception):
    pass


def _msg(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack("!I", len(payload) + 4) + payload


def _startup(user: str, database: str) -> bytes:
    body = struct.pack("!I", 196608)
    for k, v in (("user", user), ("database", database), ("application_name", "bench_idle")):
        body += k.encode() + b"\0" + v.encode() + b"\0"
    body += b"\0"
    return struct.pack("!I", len(body) + 4) + body


async def _read_msg(reader: asyncio.StreamReader):
    head = await reader.readexactly(5)
    kind = head[:1]
    (length,) = struct.unpack("!I", head[1:])
    payload = await reader.readexactly(length - 4) if length > 4 else b""
    return kind, payload


def _error_text(payload: bytes) -> str:
    fields = {}
    for part in payload.split(b"\0"):
        if part:
            fields[part[:1]] = part[1:].decode(errors="replace")
    return "%s: %s" % (fields.get(b"S", "ERROR"), fields.get(b"M", "?"))


class _Scram:
    def __init__(self, user: str, password: str):
        self.password = password.encode()
        self.nonce = base64.b64encode(os.urandom(18)).decode()
        self.first_bare = "n=,r=" + self.nonce
        self.server_signature = b""

    def first(self) -> bytes:
        return ("n,," + self.first_bare).encode()

    def final(self, server_first: bytes) -> bytes:
        attrs = dict(p.split("=", 1) for p in server_first.decode().split(","))
        nonce, salt, iters = attrs["r"], base64.b64decode(attrs["s"]), int(attrs["i"])
        if not nonce.startswith(self.nonce):
            raise PgError("SCRAM: server nonce does not extend the client nonce")
        salted = hashlib.pbkdf2_hmac("sha256", self.password, salt, iters)
        client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
        stored_key = hashlib.sha256(client_key).digest()
        without_proof = "c=biws,r=" + nonce
        auth_message = ",".join((self.first_bare, server_first.decode(), without_proof)).encode()
        signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
        self.server_signature = hmac.new(server_key, auth_message, hashlib.sha256).digest()
        return (without_proof + ",p=" + base64.b64encode(proof).decode()).encode()


async def connect(host, port, user, password, database):
    """Open one connection and log in; returns (reader, writer) positioned after ReadyForQuery."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(_startup(user, database))
        await writer.drain()
        scram = None
        while True:
            kind, payload = await _read_msg(reader)
            if kind == b"E":
                raise PgError(_error_text(payload))
            if kind == b"R":
                (code,) = struct.unpack("!I", payload[:4])
                if code == 0:
                    continue
                if code == 3:
                    writer.write(_msg(b"p", password.encode() + b"\0"))
                elif code == 5:
                    inner = hashlib.md5((password + user).encode()).hexdigest().encode()
                    outer = hashlib.md5(inner + payload[4:8]).hexdigest()
                    writer.write(_msg(b"p", b"md5" + outer.encode() + b"\0"))
                elif code == 10:
                    mechanisms = [m for m in payload[4:].split(b"\0") if m]
                    if b"SCRAM-SHA-256" not in mechanisms:
                        raise PgError("no supported SASL mechanism in %r" % mechanisms)
                    scram = _Scram(user, password)
                    first = scram.first()
                    writer.write(_msg(b"p", b"SCRAM-SHA-256\0" + struct.pack("!I", len(first)) + first))
                elif code == 11:
                    writer.write(_msg(b"p", scram.final(payload[4:])))
                elif code == 12:
                    if base64.b64decode(payload[4:].decode().split("v=", 1)[1]) != scram.server_signature:
                        raise PgError("SCRAM: bad server signature")
                    continue
                else:
                    raise PgError("unsupported authentication request %d" % code)
                await writer.drain()
            elif kind == b"Z":
                return reader, writer
            # ParameterStatus, BackendKeyData, NoticeResponse: ignored
    except BaseException:
        writer.close()
        raise


async def simple_query(reader, writer, sql: str):
    writer.write(_msg(b"Q", sql.encode() + b"\0"))
    await writer.drain()
    error = None
    while True:
        kind, payload = await _read_msg(reader)
        if kind == b"E":
            error = _error_text(payload)
        elif kind == b"Z":
            if error:
                raise PgError(error)
            return


async def hold(args) -> int:
    sem = asyncio.Semaphore(args.concurrency)
    conns, errors = [], []
    started = time.monotonic()

    async def one():
        async with sem:
            try:
                conns.append(await asyncio.wait_for(
                    connect(args.host, args.port, args.user, args.password, args.dbname), args.timeout))
            except Exception as e:  # noqa: BLE001 - every failure is counted and reported
                errors.append("%s: %s" % (type(e).__name__, e))

    await asyncio.gather(*(one() for _ in range(args.n)))
    elapsed = time.monotonic() - started
    for text in sorted(set(errors))[:5]:
        print("ERROR " + text.replace("\n", " "), flush=True)
    print("READY %d %d %.1f" % (len(conns), len(errors), elapsed), flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), args.hold_seconds)
    except asyncio.TimeoutError:
        pass
    for _, writer in conns:
        try:
            writer.write(_msg(b"X", b""))
            writer.close()
        except Exception:  # noqa: BLE001 - closing best effort
            pass
    return 0 if not errors else 2


async def probe(args) -> int:
    deadline = time.monotonic() + args.timeout
    last = "no attempt"
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.wait_for(
                connect(args.host, args.port, args.user, args.password, args.dbname), args.timeout)
            try:
                await simple_query(reader, writer, "select 1")
            finally:
                writer.close()
            now_ns = time.time_ns()
            print("%.0f" % ((now_ns - args.t0_ns) / 1e6), flush=True)
            return 0
        except (OSError, PgError, asyncio.IncompleteReadError, asyncio.TimeoutError) as e:
            last = "%s: %s" % (type(e).__name__, e)
            await asyncio.sleep(0.002)
    print("probe timed out; last error: " + last, file=sys.stderr)
    return 1


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=("hold", "probe"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", default="")
    p.add_argument("--dbname", required=True)
    p.add_argument("-n", type=int, default=1000, help="hold: number of connections")
    p.add_argument("--concurrency", type=int, default=200, help="hold: connections being opened at once")
    p.add_argument("--hold-seconds", type=float, default=300, help="hold: exit after this long at the latest")
    p.add_argument("--timeout", type=float, default=30, help="per connection (hold) / overall (probe), seconds")
    p.add_argument("--t0-ns", type=int, default=0, help="probe: start timestamp, ns since the epoch")
    args = p.parse_args()
    if args.mode == "probe" and not args.t0_ns:
        args.t0_ns = time.time_ns()
    return asyncio.run(hold(args) if args.mode == "hold" else probe(args))


if __name__ == "__main__":
    sys.exit(main())
