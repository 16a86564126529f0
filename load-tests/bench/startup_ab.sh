#!/usr/bin/env bash
# Start-up A/B: process start to the first answered "select 1", for several ways of starting pgmux, interleaved
# round by round so that a busy machine slows every variant alike. Prints, per variant, the median, min and max of
# the wall time and of the process's CPU time (all threads, user + system) at that moment.
#
#   load-tests/bench/startup_ab.sh ROUNDS "label|command" ...
#   BACKEND=postgresql://bench:benchpw@127.0.0.1:5432/bench load-tests/bench/startup_ab.sh 9 \
#     "before|java -jar pgmux-before.jar" "after|java -jar pgmux-after.jar" \
#     "after, launcher|env PGMUX_JAR=pgmux-after.jar deploy/pgmux"
#
# Each command gets pgmux's arguments appended (--backend $BACKEND --listen 127.0.0.1:PORT, transaction pooling,
# pool size 20) and must exec java itself (deploy/pgmux does), so that its pid is the JVM's. Before each start the
# script waits up to 10 s for the machine's other load to fall below a quarter of a core. A launcher that makes a
# CDS archive on its first run should be run once beforehand. Needs python3 and a running PostgreSQL at $BACKEND.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BACKEND=${BACKEND:?set BACKEND=postgresql://USER:PASSWORD@HOST:PORT/DB}
ROUNDS=$1; shift
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgmux-startup.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
read -r USER_PASSWORD HOST_PORT_DB <<<"$(echo "${BACKEND#postgresql://}" | tr '@' ' ')"
DB_USER=${USER_PASSWORD%%:*} DB_PASSWORD=${USER_PASSWORD#*:} DB=${HOST_PORT_DB#*/}

quiet() {   # other load below 25 % of one core over 1 s, or 10 s passed
  local i u n s idle io b1 t1 b2 t2
  for i in 1 2 3 4 5; do
    read -r _ u n s idle io _ </proc/stat; b1=$((u + n + s)); t1=$((b1 + idle + io))
    sleep 1
    read -r _ u n s idle io _ </proc/stat; b2=$((u + n + s)); t2=$((b2 + idle + io))
    [ $(((b2 - b1) * 100 * $(nproc) / (t2 - t1))) -lt 25 ] && return 0
    sleep 1
  done
}

one() {     # one PORT COMMAND...: prints "wall_ms cpu_ms"
  local port=$1 t0 pid ms cpu; shift
  t0=$(date +%s%N)
  # shellcheck disable=SC2068
  $@ --backend "$BACKEND" --listen "127.0.0.1:$port" --pool-mode transaction --pool-size 20 \
    >>"$WORK/pgmux-$port.log" 2>&1 &
  pid=$!
  ms=$(python3 "$HERE/idle_clients.py" probe --port "$port" --user "$DB_USER" --password "$DB_PASSWORD" \
    --dbname "$DB" --t0-ns "$t0" --timeout 60) || { tail -20 "$WORK/pgmux-$port.log" >&2; kill "$pid"; exit 1; }
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo "$ms $cpu"
}

stats() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {
  m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
  printf "median %d (min %d, max %d, n %d)", m, a[1], a[NR], NR }'; }

declare -A WALL CPU
for round in $(seq 1 "$ROUNDS"); do
  i=0
  for v in "$@"; do
    i=$((i + 1)); label=${v%%|*}
    quiet
    read -r ms cpu < <(one $((26500 + i)) ${v#*|})
    WALL[$label]="${WALL[$label]:-} $ms"; CPU[$label]="${CPU[$label]:-} $cpu"
  done
  echo "round $round/$ROUNDS done" >&2
done
for v in "$@"; do
  label=${v%%|*}
  echo "$label: wall $(stats <<<"${WALL[$label]}") | cpu $(stats <<<"${CPU[$label]}")"
  echo "  wall ms:${WALL[$label]}"
done
