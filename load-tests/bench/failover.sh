#!/usr/bin/env bash
# What clients of pgmux see when its PostgreSQL restarts or is down for a while, under pgbench load.
#
#   load-tests/bench/failover.sh                       # from the repository root; builds pgmux first
#   PGMUX_JAR=proxy-server/target/pgmux.jar load-tests/bench/failover.sh
#
# For each failover_hold_timeout in FAILOVER_HOLDS (default "0s 30s"; 0s is the behaviour without the hold:
# server_login_retry after every failed login), twice: `pg_ctl restart -m fast` in the middle of a pgbench run, and
# a stop of OUTAGE seconds (default 10) then a start. pgbench runs CLIENTS (default 50) clients of the built-in
# TPC-B-like script through pgmux (transaction pooling, pool size 20, server_login_retry 15s) for RUN seconds
# (default 30); the event starts at second 10. Reported per case: transactions, clients pgbench aborted (a client
# that meets any error stops), seconds of the run with no transaction, and the time from PostgreSQL accepting
# connections again (pg_ctl start returned) to the first transaction committed through pgmux, from pgbench's
# per-transaction log.
#
# Needs: bash, python3, psql, pgbench, the PostgreSQL server binaries (PG_BINDIR, default the newest
# /usr/lib/postgresql/*/bin), a JDK 17+, Maven (unless PGMUX_JAR). As root, PostgreSQL runs as `postgres` (or
# `nobody`) through setpriv. Everything listens on 127.0.0.1 in a temporary directory removed at the end.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
FAILOVER_HOLDS=${FAILOVER_HOLDS:-"0s 30s"}
CLIENTS=${CLIENTS:-50}
RUN=${RUN:-30}
OUTAGE=${OUTAGE:-10}
EVENT_AT=10

die() { echo "failover.sh: $*" >&2; exit 1; }
log() { echo "[failover.sh] $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if [ -z "${PG_BINDIR:-}" ]; then
  PG_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
fi
[ -x "$PG_BINDIR/pg_ctl" ] || die "no PostgreSQL server binaries (set PG_BINDIR)"
RUNAS=()
if [ "$(id -u)" = 0 ]; then
  if id postgres >/dev/null 2>&1; then svc=postgres; else svc=nobody; fi
  RUNAS=(setpriv --reuid="$(id -u $svc)" --regid="$(id -g $svc)" --clear-groups)
fi

WORK=$(mktemp -d)
chmod 755 "$WORK"
PGMUX_PID=
cleanup() {
  [ -n "$PGMUX_PID" ] && kill "$PGMUX_PID" 2>/dev/null || true
  "${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$WORK/pgdata" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "${PGMUX_JAR:-}" ]; then
  cp "$PGMUX_JAR" "$WORK/pgmux.jar"
else
  log "building pgmux (mvn -q -B package -DskipTests)"
  (cd "$REPO" && mvn -q -B package -DskipTests) >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; die "build failed"; }
  cp "$REPO/proxy-server/target/pgmux.jar" "$WORK/pgmux.jar"
fi

PG_PORT=$(free_port)
pg_ctl() { "${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$WORK/pgdata" -l "$WORK/postgresql.log" -w -t 60 "$@" >/dev/null; }
mkdir -p "$WORK/pgdata"
touch "$WORK/postgresql.log"
if [ ${#RUNAS[@]} -gt 0 ]; then
  chown "$svc" "$WORK/pgdata" "$WORK/postgresql.log"
fi
"${RUNAS[@]}" "$PG_BINDIR/initdb" -D "$WORK/pgdata" -U postgres --auth=trust -E UTF8 --locale=C >"$WORK/initdb.log"
cat >>"$WORK/pgdata/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 200
EOF
pg_ctl start
pgbench -q -i -s 10 -h 127.0.0.1 -p "$PG_PORT" -U postgres postgres >/dev/null 2>&1

now_ms() { python3 -c 'import time; print(int(time.time()*1000))'; }

echo "| failover_hold_timeout | event | transactions | clients aborted | seconds without a transaction | first commit after PostgreSQL was up |"
echo "|---|---|---|---|---|---|"
for hold in $FAILOVER_HOLDS; do
  for event in restart outage; do
    PORT=$(free_port)
    cat >"$WORK/pgmux.yaml" <<EOF
listen: 127.0.0.1:$PORT
auth_type: trust
pool: {mode: transaction, default_pool_size: 20}
timeouts: {server_login_retry: 15s, query_wait_timeout: 60s}
databases:
  postgres: {host: 127.0.0.1, port: $PG_PORT, user: postgres, failover_hold_timeout: $hold}
EOF
    java -jar "$WORK/pgmux.jar" --config "$WORK/pgmux.yaml" >"$WORK/pgmux-$hold-$event.log" 2>&1 &
    PGMUX_PID=$!
    for _ in $(seq 100); do psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres -c 'select 1' postgres >/dev/null 2>&1 && break; sleep 0.1; done
    rm -f "$WORK"/pgbench_log.*
    # pgbench 15 was seen to stop reading some of its connections after other clients aborted: bounded.
    (cd "$WORK" && timeout $((RUN + 60)) pgbench -n -c "$CLIENTS" -j 2 -T "$RUN" -l -h 127.0.0.1 -p "$PORT" \
      -U postgres postgres >"$WORK/pgbench.out" 2>&1; echo "exit $?" >>"$WORK/pgbench.out") &
    BENCH=$!
    sleep "$EVENT_AT"
    if [ "$event" = restart ]; then
      pg_ctl -m fast restart
    else
      pg_ctl -m fast stop
      sleep "$OUTAGE"
      pg_ctl start
    fi
    UP_MS=$(now_ms)
    wait "$BENCH" || true
    kill "$PGMUX_PID"; wait "$PGMUX_PID" 2>/dev/null || true; PGMUX_PID=
    python3 - "$WORK" "$UP_MS" "$hold" "$event" <<'EOF'
import glob, re, sys
work, up_ms, hold, event = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
times = []
for name in glob.glob(work + "/pgbench_log.*"):
    for line in open(name):
        f = line.split()
        if len(f) >= 6 and f[2] != "failed" and f[2] != "skipped":
            times.append(int(f[4]) * 1000 + int(f[5]) // 1000)
times.sort()
out = open(work + "/pgbench.out").read()
aborted = len(re.findall(r"client \d+ script \d+ aborted", out))
seconds = set(t // 1000 for t in times)
first, last = times[0] // 1000, times[-1] // 1000
idle = sum(1 for s in range(first, last + 1) if s not in seconds)
after = [t for t in times if t >= up_ms]
first_after = f"{after[0] - up_ms} ms" if after else "none"
hung = " (pgbench hung, killed; its log may lack the last transactions)" if "exit 124" in out else ""
print(f"| {hold} | {event} | {len(times)} | {aborted} | {idle} | {first_after}{hung} |")
EOF
  done
done
