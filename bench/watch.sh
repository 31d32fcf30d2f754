#!/usr/bin/env bash
# What `portlens watch` costs on the busy host (5,000 listeners, 10,000 connections on
# loopback, bench/load.py), against the pollers people use, in one run: bench/watch.py.
#   mvn -B -q package -DskipTests && bench/watch.sh [--seconds 30] [--opens 6]
# JAVA25=/path/to/jdk (default /usr/lib/jvm/temurin-25-jdk-amd64 when present) adds a run on
# that JDK, where portlens lists sockets through netlink when it can.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
OUT="$BENCH_DIR/target"
mkdir -p "$OUT"
for tool in ss lsof python3; do
    command -v "$tool" >/dev/null || { echo "watch.sh: needs $tool (apt-get install iproute2 lsof python3)" >&2; exit 2; }
done
[ -f "$ROOT/portlens-cli/target/portlens.jar" ] || { echo "watch.sh: build first: mvn -B -q package -DskipTests" >&2; exit 2; }
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$JAVA25/bin/java" ] || JAVA25=""
ready="$OUT/ready-watch.json"
rm -f "$ready"
python3 "$BENCH_DIR/load.py" hold --scenario busy --ready-file "$ready" >"$OUT/load-watch.log" 2>&1 &
LOAD=$!
trap 'kill -TERM $LOAD 2>/dev/null; wait $LOAD 2>/dev/null || true' EXIT
for _ in $(seq 1 1200); do [ -f "$ready" ] && break; sleep 0.1; done
[ -f "$ready" ] || { echo "watch.sh: the busy host did not come up:" >&2; cat "$OUT/load-watch.log" >&2; exit 1; }
echo "# portlens watch on the busy host ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(id -un), $(java -version 2>&1 | head -n1))"
echo
cd "$ROOT"
PORTLENS_NO_BUILD=1 python3 "$BENCH_DIR/watch.py" --portlens "env PORTLENS_NO_BUILD=1 $ROOT/portlens" \
    ${JAVA25:+--java-home-25 "$JAVA25"} "$@"
