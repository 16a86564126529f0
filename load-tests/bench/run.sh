#!/usr/bin/env bash
# Reproducible pgmux benchmark: PostgreSQL direct vs PgBouncer vs pgmux, in one run.
#
#   load-tests/bench/run.sh                      # from the repository root; builds pgmux first
#   BENCH_SECONDS=10 load-tests/bench/run.sh     # shorter pgbench runs while developing
#
# What it does (everything on 127.0.0.1, in a temporary directory that is removed at the end):
#   1. initdb + start a PostgreSQL (max_connections=200, SCRAM password user), pgbench -i -s 10
#   2. start PgBouncer (if `pgbouncer` is on the PATH) and pgmux, both transaction pooling, pool size 20,
#      both authenticating clients with SCRAM-SHA-256 and neither logging each connection
#   3. pgmux start-up time (process start -> first "select 1" answered) for several JVM option sets
#   4. pgbench scenarios against every target: tps, average and p99 latency, proxy CPU per transaction
#   5. RSS growth per idle authenticated client for each proxy
#   6. a Markdown report on stdout and in the results file
#
# Environment:
#   BENCH_SECONDS        pgbench -T for every scenario (default 30)
#   BENCH_WARMUP         seconds of pgbench -S (then half as long -S -C) against each target before
#                        measuring (default 10)
#   BENCH_STARTUP_RUNS   pgmux starts per JVM option set (default 5)
#   BENCH_IDLE_CLIENTS   idle client counts for the memory test (default "2000 10000")
#   BENCH_SCALE          pgbench -i scale (default 10)
#   BENCH_SCENARIOS      numbers of the pgbench scenarios to run, e.g. "1 2" (default: all six); "none" skips
#                        every pgbench run, warm-ups and pgmux variants included (the memory test alone)
#   BENCH_VARIANTS       0: pgmux runs with PGMUX_JAVA_OPTS only, not also with the other option sets (the first
#                        scenario again, and the memory test with -XX:+UseSerialGC and PGMUX_TRANSPORT=epoll)
#                        (default 1)
#   BENCH_RESULTS        where to write the Markdown report
#                        (default load-tests/bench/results/results-<timestamp>.md)
#   BENCH_QUIET_WAIT     on a shared machine: before each measurement wait up to this many seconds until
#                        other processes use less than BENCH_QUIET_PCT (default 25) % of one CPU
#                        (default 0: do not wait)
#   BENCH_KEEP=1         keep the temporary directory (logs, pgbench per-transaction logs)
#   PGMUX_JAR            benchmark this jar instead of building proxy-server/target/pgmux.jar
#   PGMUX_COMMIT         commit to report for PGMUX_JAR (default: git rev-parse --short HEAD)
#   PGMUX_JAVA_OPTS      JVM options for the throughput and memory runs (default: the shipped settings,
#                        @deploy/jvm.options; set it empty for none). With -XX:NativeMemoryTracking=summary
#                        the report adds the JVM's native memory summary and smaps_rollup with the idle clients
#   PGMUX_ENV            environment of every pgmux process (default MALLOC_ARENA_MAX=2, which deploy/pgmux and
#                        the container image set; set it empty for none)
#   PG_BINDIR            directory holding initdb/pg_ctl/postgres (default: PATH, then the newest
#                        /usr/lib/postgresql/*/bin)
#
# Needs: bash, python3, psql, pgbench, pg_isready, a PostgreSQL server (initdb, pg_ctl), a JDK 17+,
# Maven (unless PGMUX_JAR is given), optionally pgbouncer. PostgreSQL and PgBouncer refuse to run as
# root: when run as root they are started as the `postgres` user (or `nobody`) via setpriv.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

BENCH_SECONDS=${BENCH_SECONDS:-30}
BENCH_WARMUP=${BENCH_WARMUP:-10}
BENCH_STARTUP_RUNS=${BENCH_STARTUP_RUNS:-5}
BENCH_IDLE_CLIENTS=${BENCH_IDLE_CLIENTS:-"2000 10000"}
BENCH_SCALE=${BENCH_SCALE:-10}
BENCH_KEEP=${BENCH_KEEP:-0}
PGMUX_JAVA_OPTS=${PGMUX_JAVA_OPTS-@$REPO/deploy/jvm.options}
PGMUX_ENV=${PGMUX_ENV-MALLOC_ARENA_MAX=2}
BENCH_VARIANTS=${BENCH_VARIANTS:-1}
POOL_SIZE=20
DB=bench
DB_USER=bench
DB_PASSWORD=benchpw
STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS=${BENCH_RESULTS:-$HERE/results/results-$STAMP.md}
case $RESULTS in /*) ;; *) RESULTS="$PWD/$RESULTS" ;; esac
if [ -n "${PGMUX_JAR:-}" ]; then case $PGMUX_JAR in /*) ;; *) PGMUX_JAR="$PWD/$PGMUX_JAR" ;; esac; fi
CLK_TCK=$(getconf CLK_TCK)
py_client() { python3 "$HERE/idle_clients.py" "$@"; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# temp dir, process bookkeeping, cleanup
# ---------------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgmux-bench.XXXXXX")
chmod 755 "$WORK"
cd "$WORK"   # a directory the PostgreSQL/PgBouncer user can enter; every other path is absolute
PIDS=()
PG_STARTED=0

cleanup() {
  local rc=$?
  set +e
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null; fi
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  done
  if [ "$PG_STARTED" = 1 ]; then
    "${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$WORK/pgdata" -m immediate -w -t 30 stop >/dev/null 2>&1
  fi
  if [ "$BENCH_KEEP" = 1 ]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

forget_pid() { # remove a pid from PIDS once we stopped it ourselves
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  PIDS=("${keep[@]+"${keep[@]}"}")
}

stop_pid() { # stop_pid PID: TERM, wait up to 15 s, then KILL
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "pid $pid ignored TERM; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
  forget_pid "$pid"
}

# ---------------------------------------------------------------------------------------------
# tools
# ---------------------------------------------------------------------------------------------
for tool in python3 psql pgbench pg_isready java getconf setpriv; do
  command -v "$tool" >/dev/null || { [ "$tool" = setpriv ] && [ "$(id -u)" != 0 ]; } || die "$tool not found"
done
if [ -z "${PG_BINDIR:-}" ]; then
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    PG_BINDIR=$(dirname "$(command -v initdb)")
  else
    PG_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  fi
fi
[ -x "$PG_BINDIR/initdb" ] && [ -x "$PG_BINDIR/pg_ctl" ] || die "no PostgreSQL server found (install postgresql or set PG_BINDIR)"
PGBOUNCER=$(command -v pgbouncer || true)

RUNAS=()
if [ "$(id -u)" = 0 ]; then
  if id postgres >/dev/null 2>&1; then svc_user=postgres; else svc_user=nobody; fi
  RUNAS=(setpriv --reuid="$(id -u $svc_user)" --regid="$(id -g $svc_user)" --clear-groups)
  svc_owner="$svc_user"
else
  svc_owner="$(id -un)"
fi

# raise the open-file limit as far as allowed (10,000 idle clients need ~10,050 descriptors)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT=$(ulimit -n)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

free_ports() { # free_ports N: N distinct free TCP ports on 127.0.0.1
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}
read -r PG_PORT BOUNCER_PORT PGMUX_PORT <<<"$(free_ports 3)"

cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }  # utime + stime
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# ---------------------------------------------------------------------------------------------
# pgmux jar
# ---------------------------------------------------------------------------------------------
if [ -n "${PGMUX_JAR:-}" ]; then
  [ -f "$PGMUX_JAR" ] || die "PGMUX_JAR=$PGMUX_JAR does not exist"
  cp "$PGMUX_JAR" "$WORK/pgmux.jar"
else
  log "building pgmux (mvn -q -B package -DskipTests)"
  (cd "$REPO" && mvn -q -B package -DskipTests) >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; die "build failed"; }
  cp "$REPO/proxy-server/target/pgmux.jar" "$WORK/pgmux.jar"
fi
JAR="$WORK/pgmux.jar"
if [ -z "${PGMUX_COMMIT:-}" ]; then
  PGMUX_COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -z "${PGMUX_JAR:-}" ] && [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    PGMUX_COMMIT="$PGMUX_COMMIT+uncommitted changes"
  fi
fi

# ---------------------------------------------------------------------------------------------
# 1. PostgreSQL
# ---------------------------------------------------------------------------------------------
log "starting PostgreSQL on 127.0.0.1:$PG_PORT ($PG_BINDIR)"
mkdir -p "$WORK/pgdata"
chown "$svc_owner" "$WORK/pgdata" 2>/dev/null || true
"${RUNAS[@]}" "$PG_BINDIR/initdb" -D "$WORK/pgdata" -U postgres --auth=trust -E UTF8 --locale=C \
  >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
cat >>"$WORK/pgdata/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 200
shared_buffers = 256MB
password_encryption = scram-sha-256
EOF
cat >"$WORK/pgdata/pg_hba.conf" <<EOF
host all postgres 127.0.0.1/32 trust
host all all      127.0.0.1/32 scram-sha-256
EOF
touch "$WORK/postgresql.log"; chown "$svc_owner" "$WORK/postgresql.log" 2>/dev/null || true
"${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$WORK/pgdata" -l "$WORK/postgresql.log" -w -t 60 start >/dev/null \
  || { tail -20 "$WORK/postgresql.log" >&2; die "PostgreSQL did not start"; }
PG_STARTED=1
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE $DB OWNER $DB_USER" >/dev/null
export PGPASSWORD=$DB_PASSWORD PGCONNECT_TIMEOUT=15
# The same footing for both proxies: clients authenticate with SCRAM-SHA-256 (PgBouncer from the SCRAM secret in
# pg_authid, pgmux from the password), and neither logs each connection (pgmux logs logins and disconnects at INFO).
export PGMUX_AUTH_TYPE=scram-sha-256 PGMUX_LOG_LEVEL=WARN
SCRAM_SECRET=$(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
  -c "SELECT rolpassword FROM pg_authid WHERE rolname = '$DB_USER'")
log "pgbench -i -s $BENCH_SCALE"
pgbench -i -q -s "$BENCH_SCALE" -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" "$DB" >"$WORK/pgbench-init.log" 2>&1 \
  || { cat "$WORK/pgbench-init.log" >&2; die "pgbench -i failed"; }
PG_VERSION=$(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$DB" -c 'show server_version')

# ---------------------------------------------------------------------------------------------
# 2. proxies
# ---------------------------------------------------------------------------------------------
BOUNCER_PID=""
start_pgbouncer() {
  mkdir -p "$WORK/pgbouncer"
  cat >"$WORK/pgbouncer/pgbouncer.ini" <<EOF
[databases]
$DB = host=127.0.0.1 port=$PG_PORT dbname=$DB

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = scram-sha-256
log_connections = 0
log_disconnections = 0
auth_file = $WORK/pgbouncer/userlist.txt
pool_mode = transaction
default_pool_size = $POOL_SIZE
max_client_conn = 12000
logfile = $WORK/pgbouncer/pgbouncer.log
EOF
  printf '"%s" "%s"\n' "$DB_USER" "$SCRAM_SECRET" >"$WORK/pgbouncer/userlist.txt"
  chown -R "$svc_owner" "$WORK/pgbouncer" 2>/dev/null || true
  chmod 600 "$WORK/pgbouncer/userlist.txt"
  "${RUNAS[@]}" "$PGBOUNCER" -q "$WORK/pgbouncer/pgbouncer.ini" >>"$WORK/pgbouncer/stdout.log" 2>&1 &
  BOUNCER_PID=$!
  PIDS+=("$BOUNCER_PID")
  for _ in $(seq 1 100); do
    pg_isready -q -h 127.0.0.1 -p "$BOUNCER_PORT" && return 0
    kill -0 "$BOUNCER_PID" 2>/dev/null || break
    sleep 0.1
  done
  tail -20 "$WORK/pgbouncer/pgbouncer.log" >&2 || true
  die "PgBouncer did not start"
}

PGMUX_PID=""
PGMUX_FIRST_MS=""
# start_pgmux [PGMUX_*=value...] [JVM options...]: starts pgmux (PGMUX_* words become its environment,
# e.g. PGMUX_TRANSPORT=epoll), sets PGMUX_PID and PGMUX_FIRST_MS (ms from process start until the
# first client got an answer to "select 1")
start_pgmux() {
  local t0 a envs=() jopts=()
  # shellcheck disable=SC2206
  envs=($PGMUX_ENV)
  for a in "$@"; do
    case $a in PGMUX_*=*) envs+=("$a") ;; *) jopts+=("$a") ;; esac
  done
  t0=$(date +%s%N)
  env "${envs[@]+"${envs[@]}"}" java "${jopts[@]+"${jopts[@]}"}" -jar "$JAR" \
    --backend "postgresql://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB" \
    --listen "127.0.0.1:$PGMUX_PORT" --pool-mode transaction --pool-size "$POOL_SIZE" \
    --max-client-conn 12000 >>"$WORK/pgmux.log" 2>&1 &
  PGMUX_PID=$!
  PIDS+=("$PGMUX_PID")
  if ! PGMUX_FIRST_MS=$(py_client probe --port "$PGMUX_PORT" --user "$DB_USER" --password "$DB_PASSWORD" \
      --dbname "$DB" --t0-ns "$t0" --timeout 60); then
    tail -30 "$WORK/pgmux.log" >&2
    die "pgmux did not serve a client (options: $*)"
  fi
  [ "${WARM_WAIT:-1}" = 0 ] || await_warm_up "$PGMUX_PID"
}

# await_warm_up PID (skipped with WARM_WAIT=0): measurements start once pgmux's start-up warm-up (the `warmup`
# setting, on by default, at most 20 s) has ended, so that its work and memory are not counted as the clients'.
# The log cannot tell (these runs log at WARN), the thread names can: the warm-up's threads are named
# pgmux-warmup* and pgmux-private-*.
await_warm_up() {
  local waited=0
  while grep -qs "^pgmux-warmup\|^pgmux-private" /proc/"$1"/task/*/comm; do
    sleep 0.2
    waited=$((waited + 1))
    [ "$waited" -lt 300 ] || { log "pgmux's warm-up did not end within 60 s; measuring anyway"; return 0; }
  done
}

# quiet_wait: with BENCH_QUIET_WAIT=S, wait up to S seconds until other processes on the machine use less
# than BENCH_QUIET_PCT (default 25) percent of one CPU, measured over 2 s; then go on regardless.
quiet_wait() {
  local limit=${BENCH_QUIET_WAIT:-0} waited=0 other top
  [ "$limit" -gt 0 ] || return 0
  while :; do
    python3 "$HERE/procstat.py" snap "$WORK/quiet-a.json" ""
    sleep 2
    python3 "$HERE/procstat.py" snap "$WORK/quiet-b.json" ""
    IFS=$'\t' read -r other top < <(python3 "$HERE/procstat.py" foreign "$WORK/quiet-a.json" "$WORK/quiet-b.json" \
      $$ "$(head -1 "$WORK/pgdata/postmaster.pid" 2>/dev/null || true)") || true
    if [ "${other:-0}" -lt "${BENCH_QUIET_PCT:-25}" ]; then return 0; fi
    if [ "$waited" -ge "$limit" ]; then log "machine still busy (${other}% of a CPU: $top); going on"; return 0; fi
    [ "$waited" = 0 ] && log "waiting for other load to settle (${other}% of a CPU: $top)"
    sleep 5
    waited=$((waited + 7))
  done
}

# ---------------------------------------------------------------------------------------------
# 3. pgmux start-up time
# ---------------------------------------------------------------------------------------------
log "pgmux start-up measurements ($BENCH_STARTUP_RUNS runs per option set, interleaved)"
WARM_WAIT=0 start_pgmux; stop_pid "$PGMUX_PID"   # untimed: brings the jar into the page cache

# AppCDS: a dynamic archive of the classes loaded while serving a few clients
CDS="$WORK/pgmux-app.jsa"
start_pgmux -XX:ArchiveClassesAtExit="$CDS"
pgbench -S -c 4 -j 2 -T 2 -h 127.0.0.1 -p "$PGMUX_PORT" -U "$DB_USER" "$DB" >/dev/null 2>&1 || true
pgbench -S -M extended -c 2 -j 2 -T 1 -h 127.0.0.1 -p "$PGMUX_PORT" -U "$DB_USER" "$DB" >/dev/null 2>&1 || true
stop_pid "$PGMUX_PID"
[ -s "$CDS" ] || log "AppCDS archive was not written; skipping the AppCDS variants"

# label|options (options are split on spaces; the label "AppCDS" stands for -XX:SharedArchiveFile=<archive>)
STARTUP_VARIANTS=(
  "(none)|"
  "-Xshare:off (no CDS at all, for reference)|-Xshare:off"
  "-XX:TieredStopAtLevel=1|-XX:TieredStopAtLevel=1"
  "-XX:+UseSerialGC|-XX:+UseSerialGC"
  "PGMUX_TRANSPORT=epoll|PGMUX_TRANSPORT=epoll"
  "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC|-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
  "deploy/jvm.options (the shipped settings)|@$REPO/deploy/jvm.options"
)
if [ -s "$CDS" ]; then
  STARTUP_VARIANTS+=(
    "AppCDS|-XX:SharedArchiveFile=$CDS"
    "deploy/jvm.options + AppCDS (as deploy/pgmux runs it)|@$REPO/deploy/jvm.options -XX:SharedArchiveFile=$CDS"
    "AppCDS -XX:+UseSerialGC|-XX:SharedArchiveFile=$CDS -XX:+UseSerialGC"
    "AppCDS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC|-XX:SharedArchiveFile=$CDS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
    "AppCDS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC PGMUX_TRANSPORT=epoll|-XX:SharedArchiveFile=$CDS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC PGMUX_TRANSPORT=epoll"
  )
fi
SAMPLES_DIR="$WORK/startup"
mkdir -p "$SAMPLES_DIR"
for round in $(seq 1 "$BENCH_STARTUP_RUNS"); do   # rounds over all variants, so machine noise hits all alike
  quiet_wait
  i=0
  for v in "${STARTUP_VARIANTS[@]}"; do
    i=$((i + 1))
    # shellcheck disable=SC2206
    opts=(${v#*|})
    WARM_WAIT=0 start_pgmux "${opts[@]+"${opts[@]}"}"   # the first answer is what counts here
    echo "$PGMUX_FIRST_MS" >>"$SAMPLES_DIR/$i"
    stop_pid "$PGMUX_PID"
  done
  log "start-up round $round/$BENCH_STARTUP_RUNS done"
done
STARTUP_TSV="$WORK/startup.tsv"
: >"$STARTUP_TSV"
i=0
for v in "${STARTUP_VARIANTS[@]}"; do
  i=$((i + 1))
  [ -s "$SAMPLES_DIR/$i" ] || continue   # BENCH_STARTUP_RUNS=0
  sort -n "$SAMPLES_DIR/$i" | awk -v label="${v%%|*}" '
    {a[NR] = $1}
    END {med = (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)
         s = a[1]; for (k = 2; k <= NR; k++) s = s " " a[k]
         printf "%s\t%s\t%s\t%s\t%s\n", label, med, a[1], a[NR], s}' >>"$STARTUP_TSV"
done
while IFS=$'\t' read -r label med min max all; do
  log "start-up [$label]: median $med ms (samples: $all)"
done <"$STARTUP_TSV"

# ---------------------------------------------------------------------------------------------
# 4. pgbench scenarios
# ---------------------------------------------------------------------------------------------
# shellcheck disable=SC2206
JAVA_OPTS_ARR=($PGMUX_JAVA_OPTS)
PGBENCH_RUNS=1
[ "${BENCH_SCENARIOS:-}" = none ] && PGBENCH_RUNS=0
TARGETS=()
if [ "$PGBENCH_RUNS" = 1 ]; then
  start_pgmux "${JAVA_OPTS_ARR[@]+"${JAVA_OPTS_ARR[@]}"}"
  TARGETS=(direct)
  [ -n "$PGBOUNCER" ] && { start_pgbouncer; TARGETS+=(pgbouncer); }
  TARGETS+=(pgmux)
fi
[ -n "$PGBOUNCER" ] || log "pgbouncer is not on the PATH: PgBouncer rows are skipped"

target_port() { case $1 in direct) echo "$PG_PORT" ;; pgbouncer) echo "$BOUNCER_PORT" ;; pgmux) echo "$PGMUX_PORT" ;; esac; }
target_pid() { case $1 in direct) echo "" ;; pgbouncer) echo "$BOUNCER_PID" ;; pgmux) echo "$PGMUX_PID" ;; esac; }

SCENARIOS=(
  "select-only, 50 clients|-S -c 50 -j 2"
  "select-only, new connection per tx (-C), 100 clients|-S -C -c 100 -j 2"
  "select-only, 1000 clients|-S -c 1000 -j 2"
  "TPC-B-like (default script), 50 clients|-c 50 -j 2"
  "select-only -M prepared, 50 clients|-M prepared -S -c 50 -j 2"
  "select-only -M extended, 50 clients|-M extended -S -c 50 -j 2"
)

RUNS_TSV="$WORK/runs.tsv"
THREADS_TSV="$WORK/threads.tsv"
: >"$RUNS_TSV"
: >"$THREADS_TSV"
postmaster_pid() { head -1 "$WORK/pgdata/postmaster.pid" 2>/dev/null || true; }
RUN_NO=0
# run_scenario NAME TARGET_LABEL PORT PROXY_PID [pgbench args...]
run_scenario() {
  local name=$1 label=$2 port=$3 pid=$4; shift 4
  local dir before="" after="" rc=0 status tps avg p99 conn txns failed err cpu="-" other other_top threads
  RUN_NO=$((RUN_NO + 1))
  dir="$WORK/runs/$RUN_NO"
  mkdir -p "$dir"
  quiet_wait
  log "[$name] -> $label: pgbench $* -T $BENCH_SECONDS"
  python3 "$HERE/procstat.py" snap "$dir/before.json" "$pid"
  [ -n "$pid" ] && before=$(cpu_ticks "$pid")
  timeout -k 10 $((BENCH_SECONDS + 150)) \
    pgbench "$@" -T "$BENCH_SECONDS" --log --log-prefix="$dir/tx" \
    -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB" >"$dir/pgbench.out" 2>&1 || rc=$?
  [ -n "$pid" ] && after=$(cpu_ticks "$pid")
  python3 "$HERE/procstat.py" snap "$dir/after.json" "$pid"
  IFS=$'\t' read -r other other_top < <(
    python3 "$HERE/procstat.py" foreign "$dir/before.json" "$dir/after.json" $$ "$(postmaster_pid)") || true
  threads="-"
  if [ -n "$pid" ] && [ "$pid" = "$PGMUX_PID" ]; then
    threads=$(python3 "$HERE/procstat.py" threads "$dir/before.json" "$dir/after.json")
  fi
  IFS=$'\t' read -r status tps avg p99 conn txns failed err < <(
    python3 "$HERE/pgbench_stats.py" --output "$dir/pgbench.out" --log-prefix "$dir/tx" --exit-code "$rc") || true
  [ "$rc" = 124 ] && err="timed out after $((BENCH_SECONDS + 150)) s; $err"
  if [ -n "$pid" ] && [ "$txns" != "-" ] && [ "$txns" -gt 0 ]; then
    cpu=$(awk -v d=$((after - before)) -v hz="$CLK_TCK" -v n="$txns" 'BEGIN {printf "%.1f", d / hz * 1e6 / n}')
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$name" "$label" "$status" "$tps" "$avg" "$p99" "$conn" "$txns" "$failed" "$cpu" "$other" "$err" >>"$RUNS_TSV"
  [ "$threads" != "-" ] && printf '%s\t%s\t%s\t%s\n' "$name" "$label" "$txns" "$threads" >>"$THREADS_TSV"
  log "    $status tps=$tps avg=${avg}ms p99=${p99}ms proxy-cpu=${cpu}us/tx other-load=${other}% ($other_top)${err:+ [$err]}"
  rm -f "$dir"/tx.*   # per-transaction logs can be large
}

warm_up() { # warm_up LABEL PORT: pgbench -S for BENCH_WARMUP s, then -S -C for half of that
  log "warm-up: pgbench -S -c 50 -T $BENCH_WARMUP, then -S -C -c 50 -T $(( (BENCH_WARMUP + 1) / 2 )) against $1"
  pgbench -S -c 50 -j 2 -T "$BENCH_WARMUP" -h 127.0.0.1 -p "$2" -U "$DB_USER" "$DB" >"$WORK/warmup-$1.log" 2>&1 \
    || log "warm-up against $1 failed: $(grep -m1 -E 'error|FATAL' "$WORK/warmup-$1.log" || true)"
  pgbench -S -C -c 50 -j 2 -T $(( (BENCH_WARMUP + 1) / 2 )) -h 127.0.0.1 -p "$2" -U "$DB_USER" "$DB" \
    >>"$WORK/warmup-$1.log" 2>&1 || log "warm-up (-C) against $1 failed"
}

for t in "${TARGETS[@]+"${TARGETS[@]}"}"; do warm_up "$t" "$(target_port "$t")"; done

sn=0
for scenario in "${SCENARIOS[@]}"; do
  sn=$((sn + 1))
  case " ${BENCH_SCENARIOS:-$sn} " in *" $sn "*) ;; *) continue ;; esac
  name=${scenario%%|*}
  # shellcheck disable=SC2206
  args=(${scenario#*|})
  for t in "${TARGETS[@]+"${TARGETS[@]}"}"; do
    run_scenario "$name" "$t" "$(target_port "$t")" "$(target_pid "$t")" "${args[@]}"
  done
done
[ "$PGBENCH_RUNS" = 1 ] && stop_pid "$PGMUX_PID"

# The start-up options also change steady-state cost: the first scenario again, for pgmux started
# with the option sets that start fastest.
PGMUX_VARIANTS=("-XX:+UseSerialGC" "PGMUX_TRANSPORT=epoll")
[ "$PGBENCH_RUNS" = 1 ] && [ "$BENCH_VARIANTS" = 1 ] || PGMUX_VARIANTS=()
[ -s "$CDS" ] && [ "${#PGMUX_VARIANTS[@]}" -gt 0 ] && PGMUX_VARIANTS+=("-XX:SharedArchiveFile=$CDS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
variant_label() { echo "pgmux ${1//-XX:SharedArchiveFile=$CDS/AppCDS}"; }
first=${SCENARIOS[0]}
for v in "${PGMUX_VARIANTS[@]+"${PGMUX_VARIANTS[@]}"}"; do
  # shellcheck disable=SC2206
  vopts=($v)
  start_pgmux "${vopts[@]}"
  warm_up "pgmux-variant" "$PGMUX_PORT"
  # shellcheck disable=SC2206
  args=(${first#*|})
  run_scenario "${first%%|*}" "$(variant_label "$v")" "$PGMUX_PORT" "$PGMUX_PID" "${args[@]}"
  stop_pid "$PGMUX_PID"
done
[ -n "$BOUNCER_PID" ] && stop_pid "$BOUNCER_PID"

# ---------------------------------------------------------------------------------------------
# 5. memory per idle client (fresh proxy process for each count)
# ---------------------------------------------------------------------------------------------
MEM_TSV="$WORK/memory.tsv"
: >"$MEM_TSV"
live_heap_kb() { # live Java heap after a full GC (GC.class_histogram forces one), in KiB
  command -v jcmd >/dev/null || { echo "-"; return; }
  jcmd "$1" GC.class_histogram 2>/dev/null | awk '/^Total/ {printf "%d", $3 / 1024}' || echo "-"
}

NMT_OUT="$WORK/native-memory.md"
: >"$NMT_OUT"
native_memory() { # native_memory PID LABEL N: the JVM's NMT summary (if tracking is on) and smaps_rollup
  local summary
  command -v jcmd >/dev/null || return 0
  summary=$(jcmd "$1" VM.native_memory summary 2>/dev/null | grep -E '^(Total|-)|^ +malloc:|committed=' || true)
  case $summary in *Total:*) ;; *) return 0 ;; esac
  { echo "### \`$2\`, $3 idle clients"; echo; echo '```'; echo "$summary"
    grep -E '^(Rss|Pss_Anon|Pss_File|Private_Dirty|Shared_Clean):' "/proc/$1/smaps_rollup"; echo '```'; echo
  } >>"$NMT_OUT"
}

IDLE_NO=0
idle_test() { # idle_test TARGET LABEL N [pgmux JVM options...]
  local t=$1 label=$2 n=$3 pid port rss0 rss1 rss2="" heap0="-" heap1="-" holder out line ok failed secs errs
  shift 3
  case $t in
    pgbouncer) start_pgbouncer; pid=$BOUNCER_PID ;;
    pgmux) start_pgmux "$@"; pid=$PGMUX_PID ;;
  esac
  port=$(target_port "$t")
  # one served client so the pool and code paths exist before the baseline
  py_client probe --port "$port" --user "$DB_USER" --password "$DB_PASSWORD" --dbname "$DB" --timeout 30 >/dev/null
  sleep 1
  [ "$t" = pgmux ] && heap0=$(live_heap_kb "$pid")
  rss0=$(rss_kb "$pid")
  IDLE_NO=$((IDLE_NO + 1))
  out="$WORK/idle-$IDLE_NO-$t-$n.out"
  : >"$out"
  python3 "$HERE/idle_clients.py" hold --port "$port" --user "$DB_USER" --password "$DB_PASSWORD" --dbname "$DB" -n "$n" \
    --concurrency 100 --hold-seconds 600 >"$out" 2>&1 &
  holder=$!
  PIDS+=("$holder")
  for _ in $(seq 1 3000); do
    grep -q '^READY' "$out" && break
    kill -0 "$holder" 2>/dev/null || break
    sleep 0.1
  done
  line=$(grep -m1 '^READY' "$out" || echo "READY 0 $n -")
  read -r _ ok failed secs <<<"$line"
  errs=$(grep -m1 '^ERROR' "$out" | cut -c7- || true)
  sleep 3
  rss1=$(rss_kb "$pid")
  [ "$t" = pgmux ] && native_memory "$pid" "$label" "$n"
  if [ "$t" = pgmux ]; then heap1=$(live_heap_kb "$pid"); sleep 1; rss2=$(rss_kb "$pid"); fi
  stop_pid "$holder"
  local per="-" heap_per="-" per_gc="-"
  if [ "$ok" -gt 0 ]; then
    per=$(awk -v a="$rss0" -v b="$rss1" -v n="$ok" 'BEGIN {printf "%.2f", (b - a) / n}')
    [ -n "$rss2" ] && per_gc=$(awk -v a="$rss0" -v b="$rss2" -v n="$ok" 'BEGIN {printf "%.2f", (b - a) / n}')
    if [ "$heap0" != "-" ] && [ "$heap1" != "-" ] && [ -n "$heap0" ] && [ -n "$heap1" ]; then
      heap_per=$(awk -v a="$heap0" -v b="$heap1" -v n="$ok" 'BEGIN {printf "%.2f", (b - a) / n}')
    fi
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$n" "$ok" "$secs" \
    "$(awk -v k="$rss0" 'BEGIN {printf "%.1f", k / 1024}')" "$(awk -v k="$rss1" 'BEGIN {printf "%.1f", k / 1024}')" \
    "$per" "$per_gc" "$heap_per" "$failed" "${errs:--}" >>"$MEM_TSV"
  log "idle $label x$n: opened $ok (failed $failed) in ${secs}s, RSS ${rss0} -> ${rss1} KiB = $per KiB/client, live heap $heap0 -> $heap1 KiB"
  stop_pid "$pid"
}

log "idle-client memory (open-file limit $FD_LIMIT)"
for n in $BENCH_IDLE_CLIENTS; do
  if [ "$n" -gt $((FD_LIMIT - 100)) ]; then
    log "skipping $n idle clients: open-file limit is $FD_LIMIT"
    printf '%s\t%s\t0\t-\t-\t-\t-\t-\t-\t-\tskipped: open-file limit %s\n' "all" "$n" "$FD_LIMIT" >>"$MEM_TSV"
    continue
  fi
  [ -n "$PGBOUNCER" ] && idle_test pgbouncer pgbouncer "$n"
  idle_test pgmux "pgmux${PGMUX_JAVA_OPTS:+ $PGMUX_JAVA_OPTS}" "$n" "${JAVA_OPTS_ARR[@]+"${JAVA_OPTS_ARR[@]}"}"
  [ "$BENCH_VARIANTS" = 0 ] && continue
  idle_test pgmux "pgmux -XX:+UseSerialGC" "$n" -XX:+UseSerialGC
  idle_test pgmux "pgmux PGMUX_TRANSPORT=epoll" "$n" PGMUX_TRANSPORT=epoll
done

# ---------------------------------------------------------------------------------------------
# 6. report
# ---------------------------------------------------------------------------------------------
JAVA_VERSION=$(java -version 2>&1 | head -2 | tail -1)
BOUNCER_VERSION=$([ -n "$PGBOUNCER" ] && "$PGBOUNCER" --version 2>/dev/null | head -1 || echo "not installed")
CPU_MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
MEM_GIB=$(awk '/^MemTotal:/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)

mkdir -p "$(dirname "$RESULTS")"
{
  echo "# pgmux benchmark results ($STAMP)"
  echo
  echo "- machine: $(nproc) CPUs ($CPU_MODEL), ${MEM_GIB} GiB, $(uname -sr), $( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || echo "?")"
  echo "- PostgreSQL $PG_VERSION (max_connections=200, shared_buffers=256MB, scram-sha-256 auth), pgbench -i -s $BENCH_SCALE"
  echo "- $BOUNCER_VERSION (transaction pooling, default_pool_size=$POOL_SIZE, auth_type=scram-sha-256, connection logging off)"
  echo "- pgmux $PGMUX_COMMIT (transaction pooling, pool size $POOL_SIZE, auth_type scram-sha-256, log level WARN), $JAVA_VERSION, JVM options for throughput/memory: ${PGMUX_JAVA_OPTS:-(none)}, environment: ${PGMUX_ENV:-(none)}"
  echo "- $(pgbench --version); every run -T $BENCH_SECONDS after a warm-up per target (${BENCH_WARMUP} s -S, then $(( (BENCH_WARMUP + 1) / 2 )) s -S -C); all processes share the same $(nproc) CPUs"
  echo "- load average before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "## pgmux start-up: process start to first \"select 1\" answered ($BENCH_STARTUP_RUNS runs each)"
  echo
  echo "AppCDS = -XX:SharedArchiveFile=<dynamic archive written by -XX:ArchiveClassesAtExit during a short training"
  echo "run>. PGMUX_TRANSPORT=epoll: Netty epoll instead of the default io_uring. Runs interleaved across option sets."
  echo
  echo "| JVM options / environment | median ms | min ms | max ms | all samples ms |"
  echo "|---|---:|---:|---:|---|"
  while IFS=$'\t' read -r label med min max all; do
    echo "| \`$label\` | $med | $min | $max | $all |"
  done <"$STARTUP_TSV"
  echo
  echo "## Throughput and latency (pgbench -T $BENCH_SECONDS)"
  echo
  echo "Latencies in ms; p99 from pgbench's per-transaction log (--log); with -C the latency excludes connecting,"
  echo "which is the \"conn ms\" column (pgbench's average connection time). Proxy CPU = (utime+stime of the proxy"
  echo "process during the run) / transactions."
  echo
  echo "| scenario | target | tps | avg ms | p99 ms | conn ms | proxy CPU µs/tx | other load % | status |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
  while IFS=$'\t' read -r name t status tps avg p99 conn txns failed cpu other err; do
    st=$status
    if [ "$status" != ok ] || { [ "$failed" != "-" ] && [ "$failed" != 0 ]; }; then
      st="$status: ${err}"
      [ "$failed" != "-" ] && [ "$failed" != 0 ] && st="$st (failed tx: $failed)"
    fi
    tps_fmt=$(awk -v x="$tps" 'BEGIN {if (x == "-") print "-"; else printf "%.0f", x}')
    echo "| $name | $t | $tps_fmt | $avg | $p99 | $conn | $cpu | $other | $st |"
  done <"$RUNS_TSV"
  echo
  echo "\"other load %\": CPU used during the run by long-lived processes that are not part of the benchmark"
  echo "(other users of the machine), in percent of one CPU; anything above a few percent disturbs the figures."
  echo
  echo "### pgmux CPU per transaction by thread group (µs/tx)"
  echo
  echo "| scenario | target | event loops | GC | JIT compiler | other threads | exited threads | total |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  while IFS=$'\t' read -r name t txns g1 g2 g3 g4 g5 g6; do
    row=""
    for g in "$g1" "$g2" "$g3" "$g4" "$g5" "$g6"; do
      if [ "$txns" != "-" ] && [ "$txns" -gt 0 ]; then
        row="$row | $(awk -v d="${g#*=}" -v hz="$CLK_TCK" -v n="$txns" 'BEGIN {printf "%.1f", d / hz * 1e6 / n}')"
      else
        row="$row | -"
      fi
    done
    echo "| $name | $t$row |"
  done <"$THREADS_TSV"
  echo
  echo "## Memory per idle authenticated client"
  echo
  echo "RSS of a freshly started proxy process before and after N clients logged in and sat idle"
  echo "(ReadyForQuery), 3 s after the last login. For pgmux also: RSS growth once a full GC has run"
  echo "(jcmd GC.class_histogram), and the growth of the live Java heap (objects reachable after that GC)."
  echo
  echo "| proxy | idle clients | opened | open time s | RSS before MiB | RSS after MiB | RSS KiB/client | RSS KiB/client after full GC | live heap KiB/client | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  while IFS=$'\t' read -r t n ok secs r0 r1 per pergc heap failed errs; do
    e="-"
    if [ "$failed" != "-" ] && [ "$failed" != 0 ]; then e="$failed failed: $errs"; elif [ "$errs" != "-" ]; then e="$errs"; fi
    echo "| $t | $n | $ok | $secs | $r0 | $r1 | $per | $pergc | $heap | $e |"
  done <"$MEM_TSV"
  if [ -s "$NMT_OUT" ]; then
    echo
    echo "## Native memory of pgmux with the idle clients (jcmd VM.native_memory summary, /proc/PID/smaps_rollup)"
    echo
    echo "Tracking itself adds to the RSS (a header per malloc): compare RSS figures of runs without it."
    echo
    cat "$NMT_OUT"
  fi
} >"$RESULTS"

cat "$RESULTS"
log "results written to $RESULTS"
