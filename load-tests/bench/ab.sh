#!/usr/bin/env bash
# A/B comparison of two pgmux builds: proxy CPU per transaction and tps, interleaved rounds, one PostgreSQL.
#
#   load-tests/bench/ab.sh OLD.jar NEW.jar        # e.g. the pgmux.jar of two commits
#
# Each round starts each jar in turn (transaction pooling, pool of 20), warms it with 10 s of pgbench -S, then runs
# pgbench -S -c 50 for AB_SECONDS (default 15) in simple and in prepared mode and prints the proxy's CPU (utime +
# stime from /proc) per transaction. Rounds alternate the jars so that noise on a shared machine hits both alike;
# compare medians over AB_ROUNDS (default 3). Uses 127.0.0.1 ports AB_PG_PORT (55432) and AB_PGMUX_PORT (56432).
# Needs initdb/pg_ctl (newest /usr/lib/postgresql/*/bin), psql, pgbench, bc, java; as root it runs PostgreSQL as
# the postgres user.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OLD.jar NEW.jar [more.jar...]" >&2; exit 2; }
ROUNDS=${AB_ROUNDS:-3}
SECS=${AB_SECONDS:-15}
PG_PORT=${AB_PG_PORT:-55432}
PROXY_PORT=${AB_PGMUX_PORT:-56432}
W=$(mktemp -d /tmp/pgmux-ab.XXXX)
PGB=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
RUN=()
if [ "$(id -u)" = 0 ]; then chown postgres "$W"; RUN=(setpriv --reuid=postgres --regid=postgres --init-groups); fi
"${RUN[@]}" "$PGB/initdb" -D "$W/pg" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
cat >>"$W/pg/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 200
shared_buffers = 256MB
password_encryption = md5
CONF
printf 'host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 md5\n' >"$W/pg/pg_hba.conf"
"${RUN[@]}" "$PGB/pg_ctl" -D "$W/pg" -l "$W/pg.log" -w start >/dev/null
trap '"${RUN[@]}" "$PGB/pg_ctl" -D "$W/pg" -m fast stop >/dev/null; rm -rf "$W"' EXIT
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE ROLE bench LOGIN PASSWORD 'benchpw'" \
  -c "CREATE DATABASE bench OWNER bench"
export PGPASSWORD=benchpw
pgbench -i -q -s 10 -h 127.0.0.1 -p "$PG_PORT" -U bench bench >/dev/null 2>&1
TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for round in $(seq 1 "$ROUNDS"); do
  for jar in "$@"; do
    java -jar "$jar" --backend "postgresql://bench:benchpw@127.0.0.1:$PG_PORT/bench" \
      --listen "127.0.0.1:$PROXY_PORT" --pool-mode transaction --pool-size 20 >"$W/pgmux.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p "$PROXY_PORT" && break; sleep 0.1; done
    pgbench -S -c 50 -j 2 -T 10 -h 127.0.0.1 -p "$PROXY_PORT" -U bench bench >/dev/null 2>&1
    for mode in simple prepared; do
      c0=$(cpu_ticks "$pid")
      out=$(pgbench -S -M "$mode" -c 50 -j 2 -T "$SECS" -h 127.0.0.1 -p "$PROXY_PORT" -U bench bench 2>&1)
      c1=$(cpu_ticks "$pid")
      tx=$(echo "$out" | awk -F': ' '/actually processed/ {split($2, a, "/"); print a[1]}')
      tps=$(echo "$out" | awk '/^tps/ {printf "%.0f", $3; exit}')
      us=$(echo "($c1 - $c0) * 1000000 / $TCK / $tx" | bc -l)
      printf 'round %s  %-28s %-8s tps %6s  proxy CPU %5.1f us/tx\n' "$round" "$(basename "$jar")" "$mode" "$tps" "$us"
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
