#!/usr/bin/env bash
# portlens history benchmark: a SQLite history of 1,000,000 events, then the time of
# `portlens history PORT` (whole command, through the launcher), of the raw query, and
# what a history costs `portlens PORT --no-probe` (with and without one, alternating).
#
#   bench/history.sh [--runs N] [--events N] [--port P] [--refill]
#
# The history is filled once into bench/target/history-data (5 hosts, 2,000 ports, 85 days
# of opened/closed/owner-changed/present events; PORT is a hot port of this host with about
# 0.5% of them) and kept for later runs; --refill makes it again. Needs farm-bench.
set -euo pipefail

RUNS=15
EVENTS=1000000
PORT=3640
REFILL=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="${2:?}"; shift 2 ;;
        --events) EVENTS="${2:?}"; shift 2 ;;
        --port) PORT="${2:?}"; shift 2 ;;
        --refill) REFILL=1; shift ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "history.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
command -v farm-bench >/dev/null || { echo "history.sh: farm-bench not found" >&2; exit 2; }

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
cd "$ROOT"
OUT="$BENCH_DIR/target"
DATA="$OUT/history-data"
NONE="$OUT/history-none"
CLASSES="$OUT/history-classes"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVAC="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
HOST="$(cat /proc/sys/kernel/hostname)"

log() { echo "[history-bench] $*" >&2; }

./portlens --version >/dev/null   # builds the jar when the sources are newer, trains the class-data archive
JAR="$ROOT/portlens-cli/target/portlens.jar"
export PORTLENS_NO_BUILD=1
rm -rf "$CLASSES" && mkdir -p "$CLASSES" "$NONE"
"$JAVAC" -d "$CLASSES" -cp "$JAR" "$BENCH_DIR/HistoryBench.java"
CP="$JAR:$CLASSES"

if [ "$REFILL" = 1 ] || [ ! -f "$DATA/history.db" ]; then
    rm -rf "$DATA"
    log "filling $DATA with $EVENTS events"
    "$JAVA" -cp "$CP" HistoryBench fill "$DATA" "$EVENTS" "$HOST" "$PORT"
fi
if [ -f "$DATA/open-places" ]; then   # a single file: the format before one file per port
    rm -f "$DATA/open-places"
    "$JAVA" -cp "$CP" HistoryBench sync "$DATA" "$HOST"
fi
log "history: $(du -h "$DATA/history.db" | cut -f1); open-places: $(ls "$DATA/open-places" | wc -l) files, $(du -sh "$DATA/open-places" | cut -f1), $(wc -c < "$DATA/open-places/tcp-$PORT") bytes for tcp/$PORT"

median() {  # median wall ms of A (or B) from a farm-bench report on stdin
    awk -v which="$1" '$1 == which && $2 == "wall" { printf "%.1f", $5 * 1000 }'
}
ratio() { awk '$1 == "A/B" && $2 == "wall" { print $4 }'; }

echo "== raw query, in one JVM (open + history + openSince; first call, then median of 15)"
"$JAVA" -cp "$CP" HistoryBench query "$DATA" "$HOST" "$PORT" 15

echo
echo "== portlens history $PORT (whole command through the launcher, $RUNS runs)"
r=$(farm-bench -n "$RUNS" -- ./portlens history "$PORT" --data-dir "$DATA" 2>&1)
echo "   median wall $(median A <<<"$r") ms  (1,000 events printed: the default --limit)"
r=$(farm-bench -n "$RUNS" -- ./portlens history "$PORT" --data-dir "$DATA" --since 1d 2>&1)
echo "   with --since 1d: median wall $(median A <<<"$r") ms"

echo
echo "== portlens $PORT --no-probe, with a history in the data directory (A) and without (B), alternating"
r=$(farm-bench -n "$RUNS" --vs "env PORTLENS_DATA_DIR=$NONE ./portlens $PORT --no-probe" -- \
    env PORTLENS_DATA_DIR="$DATA" ./portlens "$PORT" --no-probe 2>&1)
echo "   with $(median A <<<"$r") ms, without $(median B <<<"$r") ms, ratio $(ratio <<<"$r")"

echo
echo "== what asking \"open since\" costs a fresh JVM (java -cp portlens.jar; A: with a history, B: with none)"
r=$(farm-bench -n "$RUNS" --vs "$JAVA -Xshare:auto -XX:TieredStopAtLevel=1 -cp $CP HistoryBench opensince $NONE $PORT" -- \
    "$JAVA" -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$CP" HistoryBench opensince "$DATA" "$PORT" 2>&1)
echo "   through SQLite (sqlite-jdbc): with $(median A <<<"$r") ms, without $(median B <<<"$r") ms"
r=$(farm-bench -n "$RUNS" --vs "$JAVA -Xshare:auto -XX:TieredStopAtLevel=1 -cp $CP HistoryBench opensince-file $NONE $PORT" -- \
    "$JAVA" -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$CP" HistoryBench opensince-file "$DATA" "$PORT" 2>&1)
echo "   from the open-places file:    with $(median A <<<"$r") ms, without $(median B <<<"$r") ms"
