#!/usr/bin/env bash
# Trains the JDK 25 AOT cache (JEP 483/514/515) the container image starts pgmux with: runs pgmux.jar with
# -XX:AOTCacheOutput against a throw-away PostgreSQL while the load-test tool storms it, then stops it, which writes
# the cache. The cache holds pgmux's classes loaded and linked and the method profiles of the storm, so a new replica
# skips class loading and warms up faster. It is only valid for the same JDK build and the same pgmux.jar.
#
#   deploy/aot-training.sh PGMUX_JAR LOADTEST_JAR SCENARIO CACHE_FILE
#
# Needs a JDK 25+ `java` on the PATH (or $JAVA). Runs on 127.0.0.1 only.
set -euo pipefail
PGMUX_JAR=$1 LOADTEST_JAR=$2 SCENARIO=$3 CACHE=$4
JAVA=${JAVA:-java}
PG_PORT=${TRAINING_PG_PORT:-54329}
PGMUX_PORT=${TRAINING_PGMUX_PORT:-64329}
OPTIONS_FILE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/jvm.options

PGMUX_AUTH_TYPE=scram-sha-256 PGMUX_LOG_LEVEL=WARN "$JAVA" @"$OPTIONS_FILE" -XX:AOTCacheOutput="$CACHE" \
  -jar "$PGMUX_JAR" --backend "postgresql://postgres:postgres@127.0.0.1:$PG_PORT/postgres" \
  --listen "127.0.0.1:$PGMUX_PORT" --pool-mode transaction --pool-size 10 &
PGMUX_PID=$!
trap 'kill -KILL "$PGMUX_PID" 2>/dev/null || true' EXIT

"$JAVA" -jar "$LOADTEST_JAR" -s "$SCENARIO" --start-postgres --no-docker --postgres-port "$PG_PORT" \
  -U postgres --password postgres -d postgres --target "pgmux=127.0.0.1:$PGMUX_PORT" --pause 0s \
  --out "$(mktemp -d)" >/dev/null

kill -TERM "$PGMUX_PID"
wait "$PGMUX_PID" || true   # the cache is written as the JVM exits
trap - EXIT
[ -s "$CACHE" ] || { echo "aot-training: no cache was written" >&2; exit 1; }
echo "aot-training: $(du -h "$CACHE" | cut -f1) AOT cache in $CACHE"
