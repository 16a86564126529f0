#!/usr/bin/env bash
# One SELECT 1 from a fresh client over each way in: TCP + TLS login (pgbench -C), WebSocket over TLS (the
# @neondatabase/serverless Client, a new WebSocket and login per query) and HTTPS (the query endpoint, a new
# connection per request and one kept alive). Reports queries per second, latency, and pgmux CPU per query
# (utime + stime of the pgmux process over the measured queries).
#
#   PGMUX_JAR=proxy-server/target/pgmux.jar load-tests/bench/transports.sh    # from the repository root
#
# QUERIES (default 2000) per way, CONCURRENCY (default 4) clients at once, after a warm-up of the same size. Needs
# bash, python3, openssl, pgbench, node and npm (the driver is installed from the test fixture's lockfile), the
# PostgreSQL server binaries (PG_BINDIR), a JDK 17+. As root, PostgreSQL runs as `postgres` through setpriv.
# Everything listens on 127.0.0.1 in a temporary directory removed at the end.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
QUERIES=${QUERIES:-2000}
CONCURRENCY=${CONCURRENCY:-4}
JAR=${PGMUX_JAR:-$REPO/proxy-server/target/pgmux.jar}
[ -f "$JAR" ] || { echo "transports.sh: no $JAR (mvn -B package -DskipTests)" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PG_BINDIR=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
RUNAS=()
if [ "$(id -u)" = 0 ]; then
  RUNAS=(setpriv --reuid="$(id -u postgres)" --regid="$(id -g postgres)" --clear-groups)
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

PG_PORT=$(free_port); PORT=$(free_port); WS_PORT=$(free_port); HTTP_PORT=$(free_port)
mkdir -p "$WORK/pgdata"; touch "$WORK/pg.log"
[ ${#RUNAS[@]} -gt 0 ] && chown postgres "$WORK/pgdata" "$WORK/pg.log"
"${RUNAS[@]}" "$PG_BINDIR/initdb" -D "$WORK/pgdata" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
printf "listen_addresses='127.0.0.1'\nport=$PG_PORT\nunix_socket_directories=''\n" >>"$WORK/pgdata/postgresql.conf"
"${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$WORK/pgdata" -l "$WORK/pg.log" -w start >/dev/null
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE USER bench PASSWORD 'benchpw'" -c "CREATE DATABASE bench OWNER bench" postgres
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 \
  -subj "/CN=127.0.0.1" >/dev/null 2>&1
cat >"$WORK/pgmux.yaml" <<YAML
listen: 127.0.0.1:$PORT
websocket_listen: 127.0.0.1:$WS_PORT
http_listen: 127.0.0.1:$HTTP_PORT
client_tls_cert_file: $WORK/cert.pem
client_tls_key_file: $WORK/key.pem
auth_type: md5
users: {bench: {password: benchpw}}
pool: {mode: transaction, default_pool_size: 5}
databases:
  bench: {host: 127.0.0.1, port: $PG_PORT, user: bench, password: benchpw}
YAML
java ${PGMUX_JAVA_OPTS:-@$REPO/deploy/jvm.options} -jar "$JAR" --config "$WORK/pgmux.yaml" >"$WORK/pgmux.log" 2>&1 &
PGMUX_PID=$!
for _ in $(seq 100); do
  PGPASSWORD=benchpw psql -X -q -h 127.0.0.1 -p "$PORT" -U bench -c 'select 1' bench >/dev/null 2>&1 && break; sleep 0.1
done

mkdir "$WORK/node"
cp "$REPO/proxy-server/src/test/node/neon/package.json" "$REPO/proxy-server/src/test/node/neon/package-lock.json" \
  "$HERE/transports-client.mjs" "$WORK/node/"
(cd "$WORK/node" && npm ci --silent --no-audit --no-fund >/dev/null)
echo 'SELECT 1;' >"$WORK/q.sql"
export DATABASE_URL="postgresql://bench:benchpw@127.0.0.1/bench" PGMUX_WEBSOCKET="127.0.0.1:$WS_PORT" \
  PGMUX_HTTP="127.0.0.1:$HTTP_PORT" NODE_TLS_REJECT_UNAUTHORIZED=0

cpu_ticks() { awk '{print $14 + $15}' "/proc/$PGMUX_PID/stat"; }
tcp_tls() {
  (cd "$WORK" && rm -f pgbench_log.* && PGPASSWORD=benchpw pgbench -n -C -l -f q.sql -c "$CONCURRENCY" -j 2 \
    -t $(($1 / CONCURRENCY)) "host=127.0.0.1 port=$PORT dbname=bench user=bench sslmode=require" >pgbench.out 2>&1)
  python3 - "$WORK" <<'PY'
import glob, json, re, sys
lat = sorted(int(l.split()[2]) / 1000 for f in glob.glob(sys.argv[1] + "/pgbench_log.*") for l in open(f))
out = open(sys.argv[1] + "/pgbench.out").read()
tps = float(re.search(r"tps = ([0-9.]+)", out).group(1))
print(json.dumps({"mode": "tcp+tls", "queries": len(lat), "qps": tps, "mean_ms": sum(lat) / len(lat),
                  "p50_ms": lat[len(lat) // 2], "p99_ms": lat[min(len(lat) - 1, int(0.99 * len(lat)))]}))
PY
}
run() {
  if [ "$1" = tcp+tls ]; then tcp_tls "$2"; else (cd "$WORK/node" && node transports-client.mjs "$1" "$2" "$CONCURRENCY"); fi
}

echo "| way in | queries | queries/s | latency mean ms | p50 ms | p99 ms | pgmux CPU per query µs |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for mode in tcp+tls ws http-fresh http-keepalive; do
  run "$mode" "$QUERIES" >/dev/null  # warm-up: the JIT, the pool, TLS session state
  before=$(cpu_ticks)
  result=$(run "$mode" "$QUERIES")
  after=$(cpu_ticks)
  python3 - "$result" "$before" "$after" "$(getconf CLK_TCK)" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); ticks = int(sys.argv[3]) - int(sys.argv[2]); hz = int(sys.argv[4])
cpu_us = ticks / hz * 1e6 / r["queries"]
print(f"| {r['mode']} | {r['queries']} | {r['qps']:.0f} | {r['mean_ms']:.2f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {cpu_us:.0f} |")
PY
done
