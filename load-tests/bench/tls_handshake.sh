#!/usr/bin/env bash
# New TLS connections per second through pgmux and PgBouncer: pgbench -C -S (one new connection per
# transaction) with sslmode=require and, for comparison, without TLS.
#
#   BENCH_SECONDS=20 load-tests/bench/tls_handshake.sh
#
# Settings (environment):
#   BENCH_SECONDS  seconds per measurement (default 20)
#   BENCH_WARMUP   seconds of warm-up per target and mode (default 8)
#   BENCH_CLIENTS  pgbench clients (default 8)
#   PGMUX_JAR      benchmark this jar instead of building one
#   PG_BINDIR      directory holding initdb/pg_ctl (default: PATH, then the newest /usr/lib/postgresql/*/bin)
# Needs: bash, python3, openssl, psql, pgbench, pg_isready, a PostgreSQL server, a JDK 17+, Maven (unless
# PGMUX_JAR is given), pgbouncer (optional). Run as root, PostgreSQL and PgBouncer run as `postgres` via setpriv.
# Both proxies: transaction pooling, pool size 20, md5 logins, TLS 1.3 with a 2048-bit RSA certificate, backends
# without TLS. Proxy CPU is read from /proc. Everything runs on 127.0.0.1 in a temporary directory.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BENCH_SECONDS=${BENCH_SECONDS:-20}
BENCH_WARMUP=${BENCH_WARMUP:-8}
BENCH_CLIENTS=${BENCH_CLIENTS:-8}
DB=bench DB_USER=bench DB_PASSWORD=benchpw
if [ -n "${PGMUX_JAR:-}" ]; then case $PGMUX_JAR in /*) ;; *) PGMUX_JAR="$PWD/$PGMUX_JAR" ;; esac; fi
CLK_TCK=$(getconf CLK_TCK)
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgmux-tls-bench.XXXXXX")
chmod 755 "$WORK"
cd "$WORK"
PIDS=()
PG_STARTED=0
cleanup() {
  local rc=$?
  set +e
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  [ "$PG_STARTED" = 1 ] && "${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$WORK/pgdata" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for tool in python3 openssl psql pgbench pg_isready java; do command -v "$tool" >/dev/null || die "$tool not found"; done
if [ -z "${PG_BINDIR:-}" ]; then
  if command -v initdb >/dev/null; then PG_BINDIR=$(dirname "$(command -v initdb)")
  else PG_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true); fi
fi
[ -x "$PG_BINDIR/initdb" ] || die "no PostgreSQL server found (install postgresql or set PG_BINDIR)"
PGBOUNCER=$(command -v pgbouncer || true)
RUNAS=()
svc_owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
  svc_owner=postgres; id postgres >/dev/null 2>&1 || svc_owner=nobody
  RUNAS=(setpriv --reuid="$(id -u $svc_owner)" --regid="$(id -g $svc_owner)" --clear-groups)
fi
read -r PG_PORT BOUNCER_PORT PGMUX_PORT <<<"$(python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')"
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

if [ -n "${PGMUX_JAR:-}" ]; then cp "$PGMUX_JAR" "$WORK/pgmux.jar"
else
  log "building pgmux (mvn -q -B package -DskipTests)"
  (cd "$REPO" && mvn -q -B package -DskipTests) >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; die "build failed"; }
  cp "$REPO/proxy-server/target/pgmux.jar" "$WORK/pgmux.jar"
fi
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)

log "test certificate"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -keyout "$WORK/server.key" \
  -out "$WORK/server.crt" >/dev/null 2>&1
chown "$svc_owner" "$WORK/server.key" "$WORK/server.crt"; chmod 600 "$WORK/server.key"

log "PostgreSQL on 127.0.0.1:$PG_PORT"
mkdir -p "$WORK/pgdata"; chown "$svc_owner" "$WORK/pgdata"
"${RUNAS[@]}" "$PG_BINDIR/initdb" -D "$WORK/pgdata" -U postgres --auth=trust -E UTF8 --locale=C >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
cat >>"$WORK/pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 100
password_encryption = md5
CONF
printf 'host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 md5\n' >"$WORK/pgdata/pg_hba.conf"
touch "$WORK/pg.log"; chown "$svc_owner" "$WORK/pg.log"
"${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$WORK/pgdata" -l "$WORK/pg.log" -w start >/dev/null || die "PostgreSQL did not start"
PG_STARTED=1
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" \
  -c "CREATE DATABASE $DB OWNER $DB_USER" >/dev/null
export PGPASSWORD=$DB_PASSWORD PGCONNECT_TIMEOUT=15
pgbench -i -q -s 1 -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" "$DB" >/dev/null 2>&1

wait_port() { for _ in $(seq 1 200); do pg_isready -q -h 127.0.0.1 -p "$1" && return 0; sleep 0.1; done; die "nothing on port $1"; }
TARGETS=()
if [ -n "$PGBOUNCER" ]; then
  mkdir -p "$WORK/bouncer"
  cat >"$WORK/bouncer/pgbouncer.ini" <<CONF
[databases]
$DB = host=127.0.0.1 port=$PG_PORT dbname=$DB
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = md5
auth_file = $WORK/bouncer/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 1000
logfile = $WORK/bouncer/pgbouncer.log
client_tls_sslmode = prefer
client_tls_key_file = $WORK/server.key
client_tls_cert_file = $WORK/server.crt
CONF
  printf '"%s" "%s"\n' "$DB_USER" "$DB_PASSWORD" >"$WORK/bouncer/userlist.txt"
  chown -R "$svc_owner" "$WORK/bouncer"; chmod 600 "$WORK/bouncer/userlist.txt"
  "${RUNAS[@]}" "$PGBOUNCER" -q "$WORK/bouncer/pgbouncer.ini" >>"$WORK/bouncer/stdout.log" 2>&1 &
  BOUNCER_PID=$!; PIDS+=("$BOUNCER_PID"); wait_port "$BOUNCER_PORT"; TARGETS+=(pgbouncer)
else
  log "pgbouncer is not on the PATH: no PgBouncer rows"
fi
java -jar "$WORK/pgmux.jar" --backend "postgresql://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB" \
  --listen "127.0.0.1:$PGMUX_PORT" --pool-mode transaction --pool-size 20 \
  --client-tls-cert "$WORK/server.crt" --client-tls-key "$WORK/server.key" >"$WORK/pgmux.log" 2>&1 &
PGMUX_PID=$!; PIDS+=("$PGMUX_PID"); wait_port "$PGMUX_PORT"; TARGETS+=(pgmux)

port_of() { case $1 in pgbouncer) echo "$BOUNCER_PORT" ;; pgmux) echo "$PGMUX_PORT" ;; esac; }
pid_of() { case $1 in pgbouncer) echo "$BOUNCER_PID" ;; pgmux) echo "$PGMUX_PID" ;; esac; }
# measure TARGET SSLMODE SECONDS: prints "tps cpu_us_per_connection"
measure() {
  local port pid t0 t1 out tps
  port=$(port_of "$1"); pid=$(pid_of "$1")
  t0=$(cpu_ticks "$pid")
  out=$(PGSSLMODE=$2 pgbench -n -C -S -c "$BENCH_CLIENTS" -j 2 -T "$3" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB" 2>&1) \
    || { echo "$out" >&2; die "pgbench failed against $1 ($2)"; }
  t1=$(cpu_ticks "$pid")
  tps=$(echo "$out" | awk '/^tps/ {print $3; exit}')
  python3 -c "import sys; tps=float(sys.argv[1]); cpu=(int(sys.argv[2])-int(sys.argv[3]))/int(sys.argv[4]); \
print(f'{tps:.0f} {cpu*1e6/(tps*int(sys.argv[5])):.0f}')" "$tps" "$t1" "$t0" "$CLK_TCK" "$3"
}

RESULT="| target | sslmode | new connections/s | proxy CPU per connection (µs) |
|---|---|---|---|"
for mode in require disable; do
  for target in "${TARGETS[@]}"; do
    log "$target, sslmode=$mode: warm-up ${BENCH_WARMUP}s, then ${BENCH_SECONDS}s"
    measure "$target" "$mode" "$BENCH_WARMUP" >/dev/null
    read -r tps cpu <<<"$(measure "$target" "$mode" "$BENCH_SECONDS")"
    RESULT="$RESULT
| $target | $mode | $tps | $cpu |"
  done
done
echo "pgmux $COMMIT, $(nproc) cores, $(java -version 2>&1 | head -1), ${PGBOUNCER:+$($PGBOUNCER --version | head -1), }pgbench -C -S -c $BENCH_CLIENTS -j 2 -T $BENCH_SECONDS, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "$RESULT"
