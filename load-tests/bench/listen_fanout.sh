#!/usr/bin/env bash
# LISTEN/NOTIFY fan-out benchmark: LISTEN_CLIENTS listening clients through pgmux (pool of POOL_SIZE backends,
# pool.listen: fan-out), NOTIFY_RATE notifications per second sent straight to PostgreSQL for LISTEN_SECONDS.
#
#   load-tests/bench/listen_fanout.sh            # from the repository root; builds pgmux first
#   PGMUX_JAR=proxy-server/target/pgmux.jar load-tests/bench/listen_fanout.sh
#
# Environment: LISTEN_CLIENTS (default 1000), POOL_SIZE (5), NOTIFY_RATE (1000 per second), LISTEN_SECONDS (30),
# PGMUX_JAR (benchmark this jar instead of building one), PG_BINDIR (initdb/pg_ctl; default PATH, then the newest
# /usr/lib/postgresql/*/bin), BENCH_KEEP=1 (keep the temporary directory and its logs).
#
# Reports: notifications sent and delivered (every listener should get every one), delivery latency p50/p99/max
# (NOTIFY sent to a notification read by the client), pgmux CPU per delivered notification (utime+stime of the
# pgmux process over the sending phase, /proc), and the most backends PostgreSQL showed for the benchmark user.
# Everything listens on 127.0.0.1; PostgreSQL runs as `postgres` (or `nobody`) when started as root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LISTEN_CLIENTS=${LISTEN_CLIENTS:-1000}
POOL_SIZE=${POOL_SIZE:-5}
NOTIFY_RATE=${NOTIFY_RATE:-1000}
LISTEN_SECONDS=${LISTEN_SECONDS:-30}
BENCH_KEEP=${BENCH_KEEP:-0}
DB=bench
DB_USER=bench
DB_PASSWORD=benchpw
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgmux-listen.XXXXXX")
chmod 755 "$WORK"
cd "$WORK"
PIDS=()
PG_STARTED=0
cleanup() {
  local rc=$?
  set +e
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  done
  if [ "$PG_STARTED" = 1 ]; then
    "${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$WORK/pgdata" -m immediate -w -t 30 stop >/dev/null 2>&1
  fi
  if [ "$BENCH_KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${PG_BINDIR:-}" ]; then
  if command -v initdb >/dev/null; then PG_BINDIR=$(dirname "$(command -v initdb)");
  else PG_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true); fi
fi
[ -x "$PG_BINDIR/initdb" ] || die "no PostgreSQL server found (set PG_BINDIR)"
RUNAS=()
svc_owner="$(id -un)"
if [ "$(id -u)" = 0 ]; then
  if id postgres >/dev/null 2>&1; then svc_owner=postgres; else svc_owner=nobody; fi
  RUNAS=(setpriv --reuid="$(id -u "$svc_owner")" --regid="$(id -g "$svc_owner")" --clear-groups)
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
read -r PG_PORT PGMUX_PORT ADMIN_PORT <<<"$(python3 -c '
import socket; s=[socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1", 0)) for x in s]; print(" ".join(str(x.getsockname()[1]) for x in s))')"
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

if [ -n "${PGMUX_JAR:-}" ]; then
  case $PGMUX_JAR in /*) ;; *) PGMUX_JAR="$REPO/$PGMUX_JAR" ;; esac
  cp "$PGMUX_JAR" "$WORK/pgmux.jar"
else
  log "building pgmux (mvn -q -B package -DskipTests)"
  (cd "$REPO" && mvn -q -B package -DskipTests) >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; die "build failed"; }
  cp "$REPO/proxy-server/target/pgmux.jar" "$WORK/pgmux.jar"
fi
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)

log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
mkdir -p "$WORK/pgdata"; chown "$svc_owner" "$WORK/pgdata" 2>/dev/null || true
"${RUNAS[@]}" "$PG_BINDIR/initdb" -D "$WORK/pgdata" -U postgres --auth=trust -E UTF8 --locale=C >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
cat >>"$WORK/pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 100
CONF
touch "$WORK/postgresql.log"; chown "$svc_owner" "$WORK/postgresql.log" 2>/dev/null || true
"${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$WORK/pgdata" -l "$WORK/postgresql.log" -w -t 60 start >/dev/null \
  || { tail -20 "$WORK/postgresql.log" >&2; die "PostgreSQL did not start"; }
PG_STARTED=1
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE $DB OWNER $DB_USER" >/dev/null
PG_VERSION=$(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DB" -c 'show server_version')

log "starting pgmux on 127.0.0.1:$PGMUX_PORT (pool of $POOL_SIZE, trust for clients)"
PGMUX_AUTH_TYPE=trust PGMUX_LOG_LEVEL=WARN java -jar "$WORK/pgmux.jar" --admin-listen "127.0.0.1:$ADMIN_PORT" \
  --backend "postgresql://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB" --listen "127.0.0.1:$PGMUX_PORT" \
  --pool-mode transaction --pool-size "$POOL_SIZE" --max-client-conn $((LISTEN_CLIENTS + 100)) >"$WORK/pgmux.log" 2>&1 &
PGMUX_PID=$!
PIDS+=("$PGMUX_PID")
for _ in $(seq 1 120); do
  psql -X -At -h 127.0.0.1 -p "$PGMUX_PORT" -U "$DB_USER" -d "$DB" -c 'select 1' >/dev/null 2>&1 && break
  sleep 0.5
done

max_backends=0
sample_backends() {
  while true; do
    n=$(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
      -c "SELECT count(*) FROM pg_stat_activity WHERE usename = '$DB_USER'" 2>/dev/null || echo 0)
    echo "$n" >>"$WORK/backends.txt"
    sleep 1
  done
}
sample_backends &
PIDS+=("$!")

log "$LISTEN_CLIENTS listeners, $NOTIFY_RATE NOTIFY/s for $LISTEN_SECONDS s"
javac -d "$WORK/classes" "$HERE/ListenBench.java"
( java -cp "$WORK/classes" ListenBench "$PGMUX_PORT" "$PG_PORT" "$DB_USER" "$DB" "$LISTEN_CLIENTS" "$NOTIFY_RATE" \
    "$LISTEN_SECONDS" >"$WORK/result.txt" 2>"$WORK/client.log" ) &
CLIENT_PID=$!
PIDS+=("$CLIENT_PID")
until grep -q "listeners ready" "$WORK/client.log" 2>/dev/null; do
  kill -0 "$CLIENT_PID" 2>/dev/null || { cat "$WORK/client.log" >&2; die "the benchmark client failed"; }
  sleep 0.2
done
ticks_before=$(cpu_ticks "$PGMUX_PID")
wait "$CLIENT_PID" || { cat "$WORK/client.log" >&2; die "the benchmark client failed"; }
ticks_after=$(cpu_ticks "$PGMUX_PID")
max_backends=$(sort -n "$WORK/backends.txt" | tail -1)

result=$(cat "$WORK/result.txt")
notify_figures=$(python3 -c '
import sys, urllib.request
text = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1]).read().decode()
print(" ".join(l.replace(" ", "=") for l in text.splitlines() if l.startswith("pgmux_notify_")))' "$ADMIN_PORT")
delivered=$(sed -n 's/.*delivered=\([0-9]*\).*/\1/p' <<<"$result")
clk=$(getconf CLK_TCK)
cpu_us=$(( (ticks_after - ticks_before) * 1000000 / clk ))
per_notification=$(awk -v c="$cpu_us" -v d="$delivered" 'BEGIN { if (d > 0) printf "%.2f", c / d; else print "n/a" }')
cat <<REPORT
pgmux $COMMIT, PostgreSQL $PG_VERSION, $(nproc) CPUs, load before: $(cut -d' ' -f1-3 /proc/loadavg)
$result
pgmux_cpu_us=$cpu_us cpu_us_per_delivered=$per_notification max_backends_seen=$max_backends
$notify_figures
REPORT
