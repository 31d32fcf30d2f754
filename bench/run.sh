#!/usr/bin/env bash
# portlens benchmark: times `portlens ls` / `portlens PORT` against ss, lsof
# and a hello-world JVM on a synthetic busy and light host (loopback only).
#
#   bench/run.sh [--runs N] [--scenario busy|light|all] [--port P]
#
# Environment:
#   RUNS=N            timed runs per command (default 7; --runs wins)
#   PORTLENS_CMD=...  command to time instead of ./portlens (for testing)
#   BENCH_STRICT=1    exit 1 when a target is missed
#   PORTLENS_BASELINE=DIR/portlens  also time another build's launcher in the same rounds
#                     (bench/baseline.sh makes one from a git revision) and print the ratios
#   JAVA_HOME         honoured like the launcher does (else `java` on PATH)
set -euo pipefail

usage() {
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
}

RUNS_OPT="${RUNS:-7}"
SCENARIO=all
PORT=3640
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS_OPT="${2:?--runs needs a value}"; shift 2 ;;
        --runs=*) RUNS_OPT="${1#*=}"; shift ;;
        --scenario) SCENARIO="${2:?--scenario needs a value}"; shift 2 ;;
        --scenario=*) SCENARIO="${1#*=}"; shift ;;
        --port) PORT="${2:?--port needs a value}"; shift 2 ;;
        --port=*) PORT="${1#*=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
case "$SCENARIO" in
    busy) SCENARIOS=(busy) ;;
    light) SCENARIOS=(light) ;;
    all) SCENARIOS=(light busy) ;;   # light first: nothing of busy lingers
    *) echo "run.sh: --scenario must be busy, light or all" >&2; exit 2 ;;
esac
[[ "$RUNS_OPT" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs must be a positive integer" >&2; exit 2; }
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] \
    || { echo "run.sh: --port must be 1..65535" >&2; exit 2; }

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
cd "$ROOT"
OUT="$BENCH_DIR/target"

log() { echo "[bench] $*" >&2; }

# ---------------------------------------------------------------- tools
need() {  # need CMD DEBIAN-PACKAGE
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "run.sh: '$1' not found; install it with: apt-get install -y $2" >&2
        exit 2
    fi
}
need ss iproute2
need lsof lsof
need python3 python3

# same java as the launcher: $JAVA_HOME first, then java on PATH
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA="$JAVA_HOME/bin/java"
else
    need java openjdk-17-jdk-headless
    JAVA="$(command -v java)"
fi
JAVAC="$(dirname "$(readlink -f "$JAVA")")/javac"
if [ ! -x "$JAVAC" ]; then
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        JAVAC="$JAVA_HOME/bin/javac"
    else
        need javac openjdk-17-jdk-headless
        JAVAC="$(command -v javac)"
    fi
fi

if [ -n "${PORTLENS_CMD:-}" ]; then
    STANDIN=1
else
    STANDIN=0
    PORTLENS_CMD=./portlens
    if [ ! -f portlens-cli/target/portlens.jar ]; then
        echo "portlens jar not built; run mvn -B -q package -DskipTests first" >&2
        exit 2
    fi
    if [ ! -x ./portlens ]; then
        echo "run.sh: launcher ./portlens missing or not executable" >&2
        exit 2
    fi
fi
export PORTLENS_NO_BUILD=1
BASELINE_ARGS=()
if [ -n "${PORTLENS_BASELINE:-}" ]; then
    [ -x "$PORTLENS_BASELINE" ] || { echo "run.sh: PORTLENS_BASELINE=$PORTLENS_BASELINE is not executable" >&2; exit 2; }
    BASELINE_ARGS=("baseline ls=$PORTLENS_BASELINE ls" "baseline PORT=$PORTLENS_BASELINE $PORT --no-probe")
fi

# the known target port must be free: one load worker will listen on it
if [ -n "$(ss -Hltn "sport = :$PORT" 2>/dev/null)" ]; then
    echo "run.sh: TCP port $PORT is already in use on this machine:" >&2
    ss -Hltnp "sport = :$PORT" >&2 || true
    echo "run.sh: pick another with --port" >&2
    exit 2
fi

# a second port: a listener that accepts every connection and never says a word (issue 11's "silent
# listener": most unknown local ports are such), for `portlens PORT` with its probes
SILENT_PORT=$((PORT + 1))
if [ -n "$(ss -Hltn "sport = :$SILENT_PORT" 2>/dev/null)" ]; then
    echo "run.sh: TCP port $SILENT_PORT (the silent listener's, --port + 1) is already in use; pick another --port" >&2
    exit 2
fi

# ---------------------------------------------------------------- cleanup
# Long steps run in the background and are waited for, so that a signal to
# this script is handled at once (bash defers traps while a foreground
# command runs).
LOAD_PID=""
CHILD_PID=""
run_waited() {  # run_waited CMD ARGS... : like running CMD, but interruptible
    "$@" &
    CHILD_PID=$!
    local rc=0
    wait "$CHILD_PID" || rc=$?
    CHILD_PID=""
    return "$rc"
}
stop_child() {
    if [ -n "$CHILD_PID" ]; then
        kill -TERM "$CHILD_PID" 2>/dev/null || true
        wait "$CHILD_PID" 2>/dev/null || true
        CHILD_PID=""
    fi
}
SILENT_PID=""
stop_silent() {
    if [ -n "$SILENT_PID" ]; then
        kill -TERM "$SILENT_PID" 2>/dev/null || true
        wait "$SILENT_PID" 2>/dev/null || true
        SILENT_PID=""
    fi
}
stop_load() {
    if [ -n "$LOAD_PID" ]; then
        kill -TERM "$LOAD_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$LOAD_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$LOAD_PID" 2>/dev/null || true
        wait "$LOAD_PID" 2>/dev/null || true
        LOAD_PID=""
    fi
}
trap 'stop_child; stop_load; stop_silent' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- the silent listener
python3 "$BENCH_DIR/load.py" silent --port "$SILENT_PORT" >"$OUT/silent.log" 2>&1 &
SILENT_PID=$!
for _ in $(seq 1 100); do
    [ -n "$(ss -Hltn "sport = :$SILENT_PORT" 2>/dev/null)" ] && break
    sleep 0.1
done
[ -n "$(ss -Hltn "sport = :$SILENT_PORT" 2>/dev/null)" ] \
    || { echo "run.sh: the silent listener did not start:" >&2; cat "$OUT/silent.log" >&2; exit 1; }

# ---------------------------------------------------------------- build Hello
mkdir -p "$OUT/results"
rm -f "$OUT"/results/*.json
"$JAVAC" -d "$OUT" "$BENCH_DIR/Hello.java"
HELLO_CMD="$(printf '%q' "$JAVA") -cp bench/target Hello"

# ---------------------------------------------------------------- facts
echo "# portlens benchmark"
echo
echo "## Machine"
echo
echo "| fact | value |"
echo "|---|---|"
echo "| date | $(date -u '+%Y-%m-%d %H:%M:%S UTC') |"
echo "| nproc | $(nproc) |"
echo "| cpu | $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//') |"
echo "| memory | $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) |"
echo "| kernel | $(uname -sr) |"
echo "| java | \`$JAVA\`: $("$JAVA" -version 2>&1 | head -n1) |"
echo "| ss | $(ss -V 2>&1 | head -n1) |"
echo "| lsof | $(lsof -v 2>&1 | grep -m1 -i 'revision' | sed 's/^ *//') |"
echo "| python | $(python3 -c 'import sys; print(sys.version.split()[0])') |"
echo "| ulimit -n (soft/hard) | $(ulimit -Sn) / $(ulimit -Hn) |"
echo "| fs.file-max | $(cat /proc/sys/fs/file-max) |"
echo "| ephemeral ports | $(tr '\t' '-' </proc/sys/net/ipv4/ip_local_port_range) |"
echo "| user | $(id -un) (as non-root, ss -p and lsof only see your own processes) |"
if [ "$STANDIN" = 1 ]; then
    echo "| portlens | **STAND-IN** \`$PORTLENS_CMD\` (PORTLENS_CMD set; not the real launcher) |"
else
    echo "| portlens | \`$PORTLENS_CMD\` (launcher, PORTLENS_NO_BUILD=1) |"
fi
if [ -n "${PORTLENS_BASELINE:-}" ]; then
    echo "| baseline | \`$PORTLENS_BASELINE\` ($(git -C "$(dirname "$PORTLENS_BASELINE")" log -1 --format='%h %s' 2>/dev/null | cut -c1-60)) |"
fi
echo

# ---------------------------------------------------------------- scenarios

STATUS=0
for sc in "${SCENARIOS[@]}"; do
    ready="$OUT/ready-$sc.json"
    baseline="$OUT/baseline-$sc.json"
    rm -f "$ready"
    python3 "$BENCH_DIR/load.py" census >"$baseline"

    log "starting $sc load ..."
    python3 "$BENCH_DIR/load.py" hold --scenario "$sc" --port "$PORT" \
        --ready-file "$ready" >"$OUT/load-$sc.log" 2>&1 &
    LOAD_PID=$!
    for _ in $(seq 1 1200); do
        [ -f "$ready" ] && break
        kill -0 "$LOAD_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ ! -f "$ready" ]; then
        echo "run.sh: load generator for '$sc' failed to become ready:" >&2
        cat "$OUT/load-$sc.log" >&2
        exit 1
    fi

    echo "## Scenario: $sc"
    echo
    python3 "$BENCH_DIR/load.py" census --ready-file "$ready" --baseline "$baseline"

    # the policy audit times: this host's own baseline, so the audit checks every listener
    policy="$OUT/policy-$sc.yaml"
    AUDIT_ARGS=()
    rm -f "$policy"
    # exit 3 (some owners hidden, e.g. pid 1's descriptors in a sandbox) still writes the policy
    PORTLENS_NO_BUILD=1 $PORTLENS_CMD baseline -o "$policy" --force >/dev/null 2>"$OUT/baseline-$sc.err" || true
    if [ -s "$policy" ]; then
        AUDIT_ARGS=("portlens audit=$PORTLENS_CMD audit --policy $policy")
    else
        log "no audit timing: 'portlens baseline' failed ($(head -n1 "$OUT/baseline-$sc.err"))"
    fi

    log "timing $sc ($RUNS_OPT runs per command) ..."
    run_waited python3 "$BENCH_DIR/load.py" time --label "$sc" --runs "$RUNS_OPT" \
        --cwd "$ROOT" --extra "$ready" --output "$OUT/results/$sc.json" \
        "portlens ls=$PORTLENS_CMD ls" \
        "portlens PORT=$PORTLENS_CMD $PORT --no-probe" \
        "ss -ltnup=ss -ltnup" \
        "lsof -nP -i :PORT=lsof -nP -i :$PORT" \
        "portlens SILENT=$PORTLENS_CMD $SILENT_PORT" \
        "portlens SILENT --no-probe=$PORTLENS_CMD $SILENT_PORT --no-probe" \
        "lsof -nP -i :SILENT=lsof -nP -i :$SILENT_PORT" \
        "hello JVM=$HELLO_CMD" "${AUDIT_ARGS[@]}" "${BASELINE_ARGS[@]}"
    stop_load
    log "$sc load stopped"

    python3 "$BENCH_DIR/load.py" report "$OUT/results/$sc.json" || STATUS=1
done

# ---------------------------------------------------------------- registry micro-bench
echo "## Registry load micro-benchmark"
echo
RLB=org/portlens/bench/RegistryLoadBench.class
CP=""
for d in portlens-core/target/classes portlens-core/target/test-classes; do
    [ -d "$d" ] && CP="${CP:+$CP:}$d"
done
if [ -n "$CP" ] && { [ -f "portlens-core/target/classes/$RLB" ] || [ -f "portlens-core/target/test-classes/$RLB" ]; }; then
    echo "\`$JAVA -cp $CP org.portlens.bench.RegistryLoadBench\` (no load running):"
    echo
    echo '```'
    if command -v timeout >/dev/null 2>&1; then
        run_waited timeout 120 "$JAVA" -cp "$CP" org.portlens.bench.RegistryLoadBench 2>&1 \
            || echo "(RegistryLoadBench exited with status $?)"
    else
        run_waited "$JAVA" -cp "$CP" org.portlens.bench.RegistryLoadBench 2>&1 \
            || echo "(RegistryLoadBench exited with status $?)"
    fi
    echo '```'
else
    echo "Skipped: org.portlens.bench.RegistryLoadBench not found under portlens-core/target/classes (not written or not built yet)."
fi
echo

echo "Raw samples: bench/target/results/*.json"
if command -v pgrep >/dev/null 2>&1; then
    left="$(pgrep -f "$BENCH_DIR/load.py hold" | wc -l || true)"
    if [ "$left" != 0 ]; then
        echo "run.sh: WARNING: $left load generator process(es) still running" >&2
    fi
fi
if [ "$STATUS" != 0 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
    exit 1
fi
exit 0
