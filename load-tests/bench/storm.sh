#!/usr/bin/env bash
# Connection-storm comparison: PostgreSQL directly vs PgBouncer vs pgmux, in one run of the storm generator.
#
#   load-tests/bench/storm.sh                                  # the shipped `storm` scenario
#   STORM_SCENARIO=load-tests/scenarios/steady.yaml load-tests/bench/storm.sh
#   STORM_ARGS="--arrival burst:500:2s" load-tests/bench/storm.sh   # a short run while developing
#   STORM_PGMUX_AGAIN=1 load-tests/bench/storm.sh               # a second pgmux run, on a warmed-up JVM
#   STORM_PGMUX_ARGS="--config fair.yaml" load-tests/bench/storm.sh  # more pgmux settings (e.g. fair queueing)
#   PGMUX_WARMUP=0 load-tests/bench/storm.sh                    # pgmux without its start-up warm-up
#   PGMUX_JAR=other.jar load-tests/bench/storm.sh               # another pgmux build
#
# It starts an embedded PostgreSQL with max_connections=100 (the generator's --start-postgres), PgBouncer (when
# `pgbouncer` is on the PATH) and pgmux, both in transaction mode with a pool of 20, runs the scenario against
# the three targets one after another, writes the JSON and HTML reports to STORM_OUT (default
# loadtest-results/storm-<timestamp>) and, when rsvg-convert is installed (Debian: librsvg2-bin), a PNG of the
# report's first chart (successful functions per second) next to them. pgmux is stormed once its /health/ready
# says ready (after its start-up warm-up, see `warmup` in docs/configuration.md); the time that took is logged.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SCENARIO=${STORM_SCENARIO:-$REPO/load-tests/scenarios/storm.yaml}
OUT=${STORM_OUT:-$REPO/loadtest-results/storm-$(date +%Y%m%d-%H%M%S)}
POOL_SIZE=20
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgmux-storm.XXXXXX")
chmod 755 "$WORK"
PIDS=()
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
read -r PG_PORT BOUNCER_PORT PGMUX_PORT ADMIN_PORT <<<"$(python3 -c '
import socket
s = [socket.socket() for _ in range(4)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')"

PGMUX_JAR=${PGMUX_JAR:-$REPO/proxy-server/target/pgmux.jar}
if [ ! -f "$PGMUX_JAR" ] || [ ! -f "$REPO/load-tests/target/pgmux-loadtest.jar" ]; then
  log "building (mvn -q -B package -DskipTests)"
  (cd "$REPO" && mvn -q -B package -DskipTests) >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; die "build failed"; }
fi

log "pgmux on 127.0.0.1:$PGMUX_PORT, pool of $POOL_SIZE, in front of 127.0.0.1:$PG_PORT"
# shellcheck disable=SC2086
PGMUX_STARTED=$(date +%s%N)
java -jar "$PGMUX_JAR" \
  --backend "postgresql://postgres:postgres@127.0.0.1:$PG_PORT/postgres" \
  --listen "127.0.0.1:$PGMUX_PORT" --admin-listen "127.0.0.1:$ADMIN_PORT" \
  --pool-mode transaction --pool-size "$POOL_SIZE" ${STORM_PGMUX_ARGS:-} >"$WORK/pgmux.log" 2>&1 &
PIDS+=($!)

TARGETS=(--target direct=postgres)
if command -v pgbouncer >/dev/null; then
  RUNAS=()
  if [ "$(id -u)" = 0 ]; then
    svc=$(id postgres >/dev/null 2>&1 && echo postgres || echo nobody)
    RUNAS=(setpriv --reuid="$(id -u "$svc")" --regid="$(id -g "$svc")" --clear-groups)
    chown "$svc" "$WORK"
  fi
  cat >"$WORK/pgbouncer.ini" <<INI
[databases]
postgres = host=127.0.0.1 port=$PG_PORT dbname=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = plain
auth_file = $WORK/userlist.txt
pool_mode = transaction
default_pool_size = $POOL_SIZE
max_client_conn = 12000
; idle server connections close before the next target runs, so its backend count is its own
server_idle_timeout = 2
; the deadline scenarios send -c pgmux.wait_deadline, which PgBouncer would otherwise refuse
ignore_startup_parameters = options
logfile = $WORK/pgbouncer.log
INI
  echo '"postgres" "postgres"' >"$WORK/userlist.txt"
  [ "$(id -u)" = 0 ] && chown "$svc" "$WORK/pgbouncer.ini" "$WORK/userlist.txt"
  "${RUNAS[@]}" pgbouncer -q "$WORK/pgbouncer.ini" >>"$WORK/pgbouncer.out" 2>&1 &
  PIDS+=($!)
  TARGETS+=(--target "pgbouncer=127.0.0.1:$BOUNCER_PORT")
  log "PgBouncer $(pgbouncer --version | head -1 | awk '{print $NF}') on 127.0.0.1:$BOUNCER_PORT, pool of $POOL_SIZE"
else
  log "pgbouncer is not on the PATH: no PgBouncer target"
fi
TARGETS+=(--target "pgmux=127.0.0.1:$PGMUX_PORT,metrics=http://127.0.0.1:$ADMIN_PORT/metrics")
# Readiness, not only the port: a just-started pgmux warms up first (unless PGMUX_WARMUP=0).
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$ADMIN_PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.05
done
curl -sf "http://127.0.0.1:$ADMIN_PORT/health/ready" >/dev/null 2>&1 || die "pgmux did not become ready"
log "pgmux ready $(( ($(date +%s%N) - PGMUX_STARTED) / 1000000 )) ms after its start" \
  "$(grep -o 'warm-up done in [^;]*' "$WORK/pgmux.log" | head -1)"
if [ "${STORM_PGMUX_AGAIN:-0}" = 1 ]; then
  # The same storm once more against the same pgmux: a sidecar's JVM is warm, a freshly started one is not.
  TARGETS+=(--target "pgmux-again=127.0.0.1:$PGMUX_PORT,metrics=http://127.0.0.1:$ADMIN_PORT/metrics")
fi

mkdir -p "$OUT"
# shellcheck disable=SC2086
java -jar "$REPO/load-tests/target/pgmux-loadtest.jar" -s "$SCENARIO" \
  --start-postgres --no-docker --postgres-port "$PG_PORT" --max-connections 100 \
  -U postgres --password postgres -d postgres "${TARGETS[@]}" --pause 8s --out "$OUT" ${STORM_ARGS:-} | tee "$OUT/console.txt"

if command -v rsvg-convert >/dev/null; then
  html=$(ls -t "$OUT"/*.html | head -1)
  python3 - "$html" "$OUT/throughput.svg" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
open(sys.argv[2], "w", encoding="utf-8").write(svg)
PY
  rsvg-convert -b white -z 1.5 "$OUT/throughput.svg" -o "$OUT/throughput.png"
  log "chart: $OUT/throughput.png"
fi
log "reports in $OUT"
