#!/usr/bin/env python3
"""Summarise one pgbench run for the benchmark harness (standard library only).

Reads pgbench's console output (stdout and stderr in one file) and its per-transaction logs
(written with --log --log-prefix=PREFIX: files PREFIX.<pid> and PREFIX.<pid>.<thread>), and prints
one tab-separated line:

  status  tps  avg_latency_ms  p99_latency_ms  avg_connection_ms  transactions  failed  error

status is "ok", or "FAILED" when pgbench exited non-zero or reported aborted clients; error is the
first error line pgbench printed ("-" if none).  Numbers pgbench did not print are "-".

Per-transaction log line format (pgbench 15, no --sampling-rate):
  client_id transaction_no time_us script_no time_epoch time_us_part [schedule_lag]
where the third field is the transaction latency in microseconds, or "failed"/"skipped".
"""

import argparse
import glob
import re
import sys


def parse_output(text: str) -> dict:
    out = {}
    patterns = {
        "tps": r"^tps = ([0-9.]+)",
        "avg": r"^latency average = ([0-9.]+) ms",
        "conn": r"^average connection time = ([0-9.]+) ms",
        "txns": r"^number of transactions actually processed: ([0-9]+)",
        "failed": r"^number of failed transactions: ([0-9]+)",
    }
    for key, pat in patterns.items():
        m = re.search(pat, text, re.M)
        if m:
            out[key] = m.group(1)
    errors = [line.strip() for line in text.splitlines()
              if line.startswith("pgbench: error:") or re.match(r"^client [0-9]+ (aborted|script)", line)
              or "FATAL:" in line or line.startswith("pgbench: fatal:")]
    # Prefer a message that names the server's complaint; fall back to the first error line.
    detail = [e for e in errors if "FATAL" in e or "ERROR" in e]
    out["error"] = (detail or errors or ["-"])[0]
    out["aborted"] = bool(re.search(r"Run was aborted|aborted in command|could not create connection", text))
    return out


def p99_from_logs(prefix: str):
    latencies = []
    for path in glob.glob(prefix + ".*"):
        with open(path, "r", errors="replace") as f:
            for line in f:
                parts = line.split(None, 4)
                if len(parts) >= 3 and parts[2].isdigit():
                    latencies.append(int(parts[2]))
    if not latencies:
        return None, 0
    latencies.sort()
    idx = max(0, -(-99 * len(latencies) // 100) - 1)  # nearest-rank 99th percentile
    return latencies[idx] / 1000.0, len(latencies)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--output", required=True, help="file with pgbench's stdout and stderr")
    ap.add_argument("--log-prefix", required=True)
    ap.add_argument("--exit-code", type=int, default=0)
    args = ap.parse_args()
    with open(args.output, "r", errors="replace") as f:
        res = parse_output(f.read())
    p99, logged = p99_from_logs(args.log_prefix)
    status = "ok" if args.exit_code == 0 and not res["aborted"] else "FAILED"
    fields = [
        status,
        res.get("tps", "-"),
        res.get("avg", "-"),
        "%.3f" % p99 if p99 is not None else "-",
        res.get("conn", "-"),
        res.get("txns", str(logged) if logged else "-"),
        res.get("failed", "-"),
        res["error"].replace("\t", " ").replace("|", "/")[:200],
    ]
    print("\t".join(fields))
    return 0


if __name__ == "__main__":
    sys.exit(main())
