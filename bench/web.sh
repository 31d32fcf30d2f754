#!/usr/bin/env bash
# portlens web benchmark: `portlens serve` and `portlens site` against issue 10's speed targets, all
# peers in the same run, inside a network namespace of its own (nothing leaves its loopback).
#
#   bench/web.sh [--runs N] [--seconds S] [--warmup S] [--port P] [--live-port L] [--reuse-site] [--diagnose]
#
#   --runs N        starts of `serve` timed (part 2) and rounds on the busy host (part 4); default 5
#   --seconds S     each wrk run (part 1); default 10, after a --warmup S (default 30: C2 compiles the request path for about that long on 2 cores) run not kept
#   --port P        the page of the throughput runs, /port/P (default 3640; nothing listens on it)
#   --live-port L   the port with a live listener on the busy host (default 3700)
#   --reuse-site    serve bench/target/site as it is (no site build timed: a quicker look)
#   --diagnose      two more throughput rows: (a) with C2 on, and the page's registry part alone
# Environment: RUNS (--runs wins), BENCH_STRICT=1 (exit 1 when a target is missed), JAVA_HOME.
# Root (ip netns); iproute2, wrk, nginx, python3 >= 3.11, a JDK 17+; the jar built first:
#   mvn -B -o -q package -DskipTests -Djavadoc.skip
set -euo pipefail

usage() {
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
}

RUNS_OPT="${RUNS:-5}"
SECONDS_OPT=10
WARMUP=30
PORT=3640
LIVE_PORT=3700
EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS_OPT="${2:?--runs needs a value}"; shift 2 ;;
        --runs=*) RUNS_OPT="${1#*=}"; shift ;;
        --seconds) SECONDS_OPT="${2:?--seconds needs a value}"; shift 2 ;;
        --seconds=*) SECONDS_OPT="${1#*=}"; shift ;;
        --warmup) WARMUP="${2:?--warmup needs a value}"; shift 2 ;;
        --warmup=*) WARMUP="${1#*=}"; shift ;;
        --port) PORT="${2:?--port needs a value}"; shift 2 ;;
        --port=*) PORT="${1#*=}"; shift ;;
        --live-port) LIVE_PORT="${2:?--live-port needs a value}"; shift 2 ;;
        --live-port=*) LIVE_PORT="${1#*=}"; shift ;;
        --reuse-site) EXTRA+=(--reuse-site); shift ;;
        --diagnose) EXTRA+=(--diagnose); shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "web.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ "$RUNS_OPT" =~ ^[1-9][0-9]*$ ]] || { echo "web.sh: --runs must be a positive integer" >&2; exit 2; }
[[ "$SECONDS_OPT" =~ ^[1-9][0-9]*$ ]] || { echo "web.sh: --seconds must be a positive integer" >&2; exit 2; }
RUNS_OPT=$((RUNS_OPT)); SECONDS_OPT=$((SECONDS_OPT))
[[ "$WARMUP" =~ ^[0-9]+$ ]] || { echo "web.sh: --warmup must be a number of seconds" >&2; exit 2; }
for p in "$PORT" "$LIVE_PORT"; do
    [[ "$p" =~ ^[0-9]+$ ]] && [ "$p" -ge 1 ] && [ "$p" -le 65535 ] \
        || { echo "web.sh: ports must be 1..65535" >&2; exit 2; }
done
[ "$PORT" != "$LIVE_PORT" ] || { echo "web.sh: --port and --live-port must differ" >&2; exit 2; }
# the servers' own ports, in the bench's namespace (clear of P, L and the kernel's ephemeral range)
SERVE_PORT=18080
NGINX_PORT=18081
for p in "$PORT" "$LIVE_PORT"; do
    [ "$p" != "$SERVE_PORT" ] && [ "$p" != "$NGINX_PORT" ] \
        || { echo "web.sh: ports $SERVE_PORT and $NGINX_PORT are the bench's servers'" >&2; exit 2; }
done

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
cd "$ROOT"
OUT="$BENCH_DIR/target"

log() { echo "[web] $*" >&2; }

# ---------------------------------------------------------------- tools
need() {  # need CMD DEBIAN-PACKAGE
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "web.sh: '$1' not found; install it with: apt-get install -y $2" >&2
        exit 2
    fi
}
[ "$(id -u)" = 0 ] || { echo "web.sh: must run as root (it creates a network namespace)" >&2; exit 2; }
need ip iproute2
need ss iproute2
need wrk wrk
need nginx nginx
need python3 python3
need du coreutils
need tar tar
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA="$JAVA_HOME/bin/java"
else
    need java openjdk-17-jre-headless
    JAVA="$(command -v java)"
fi
if [ ! -f portlens-cli/target/portlens.jar ]; then
    echo "web.sh: portlens jar not built; run mvn -B -o -q package -DskipTests -Djavadoc.skip first" >&2
    exit 2
fi
[ -x ./portlens ] || { echo "web.sh: launcher ./portlens missing or not executable" >&2; exit 2; }
export PORTLENS_NO_BUILD=1
if [[ " ${EXTRA[*]:-} " == *" --reuse-site "* ]] && [ ! -f "$OUT/site/.portlens-site" ]; then
    echo "web.sh: --reuse-site, but there is no site in $OUT/site yet (run once without it)" >&2
    exit 2
fi

# ---------------------------------------------------------------- namespace and cleanup
NS="portlens-web-$$"
CHILD_PID=""
cleanup() {
    set +e
    if [ -n "$CHILD_PID" ]; then
        kill -TERM "$CHILD_PID" 2>/dev/null
        wait "$CHILD_PID" 2>/dev/null
        CHILD_PID=""
    fi
    if ip netns list 2>/dev/null | grep -qw "$NS"; then
        # whatever is still running in the namespace was started by this bench
        for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
        ip netns del "$NS"
    fi
    rm -rf "$OUT/site-copy" "$OUT/site.tar"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

mkdir -p "$OUT/nginx/tmp" "$OUT/results"
rm -f "$OUT/results/web.json" "$OUT"/wrk-*.txt

# nginx: its own minimal configuration, serving the exported site on the namespace's loopback
cat >"$OUT/nginx/nginx.conf" <<EOF
# written by bench/web.sh: nginx serving the site of 'portlens site' for the throughput peer
daemon off;
worker_processes auto;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
events { worker_connections 1024; }
http {
    types {
        text/html html;
        text/css css;
        text/javascript js;
        application/json json;
        application/xml xml;
        image/svg+xml svg;
    }
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path $OUT/nginx/tmp/body;
    proxy_temp_path $OUT/nginx/tmp/proxy;
    fastcgi_temp_path $OUT/nginx/tmp/fastcgi;
    uwsgi_temp_path $OUT/nginx/tmp/uwsgi;
    scgi_temp_path $OUT/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $OUT/site;
    }
}
EOF
nginx -t -q -c "$OUT/nginx/nginx.conf" -e "$OUT/nginx/error.log" \
    || { echo "web.sh: nginx rejects $OUT/nginx/nginx.conf" >&2; exit 1; }

ip netns add "$NS"
ip netns exec "$NS" ip link set lo up

# ---------------------------------------------------------------- facts
echo "# portlens web benchmark"
echo
echo "## Machine"
echo
echo "| fact | value |"
echo "|---|---|"
echo "| date | $(date -u '+%Y-%m-%d %H:%M:%S UTC') |"
echo "| nproc | $(nproc) (wrk, the servers and the bench share them) |"
echo "| cpu | $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//') |"
echo "| memory | $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) |"
echo "| kernel | $(uname -sr) |"
echo "| java | \`$JAVA\`: $("$JAVA" -version 2>&1 | head -n1) |"
dirty="$(git status --porcelain -- pom.xml 'portlens-*' 2>/dev/null | head -n1)"
echo "| portlens | \`./portlens\` (launcher, PORTLENS_NO_BUILD=1); sources at $(git log -1 --format='%h %s' -- pom.xml 'portlens-*' 2>/dev/null | cut -c1-70)${dirty:+ (with uncommitted changes)} |"
echo "| wrk | $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-3) |"
echo "| nginx | $(nginx -v 2>&1 | sed 's/^nginx version: //') |"
echo "| python | $(python3 -c 'import sys; print(sys.version.split()[0])') |"
echo "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
[ -z "${PORTLENS_JAVA_OPTS:-}" ] || echo "| PORTLENS_JAVA_OPTS | \`$PORTLENS_JAVA_OPTS\` (added to every portlens JVM) |"
echo "| network | namespace \`$NS\` of this bench: its loopback only; serve on :$SERVE_PORT, nginx on :$NGINX_PORT |"
echo

# ---------------------------------------------------------------- the parts (bench/web.py)
# in the background and waited for, so that a signal is handled at once
ip netns exec "$NS" python3 "$BENCH_DIR/web.py" run --root "$ROOT" --out "$OUT" --site "$OUT/site" \
    --nginx-conf "$OUT/nginx/nginx.conf" --nginx-port "$NGINX_PORT" --serve-port "$SERVE_PORT" \
    --port "$PORT" --live-port "$LIVE_PORT" --runs "$RUNS_OPT" --seconds "$SECONDS_OPT" --warmup "$WARMUP" \
    ${EXTRA[@]+"${EXTRA[@]}"} &
CHILD_PID=$!
STATUS=0
wait "$CHILD_PID" || STATUS=$?
CHILD_PID=""
case "$STATUS" in
    0) ;;
    1) log "a target was missed (see the table above)" ;;
    *) echo "web.sh: the bench failed (status $STATUS); see the messages above" >&2; exit 1 ;;
esac
if [ "$STATUS" != 0 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
    exit 1
fi
exit 0
