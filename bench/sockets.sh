#!/usr/bin/env bash
# bench/sockets.sh: what one read of the socket tables costs on a busy host, by lister.
#
# Builds the busy host of bench/run.sh (load.py hold --scenario busy: 5,000 TCP listeners, 1,000 UDP
# sockets, 10,000 established connections across 200 processes) inside a network namespace of its own,
# and times, alternating, in that namespace:
#   proc files on JDK 17, proc files on the JDK 22+, netlink sock_diag on the JDK 22+
#     (SocketListerBench from portlens-core's test classes: READS reads after 5 warm-up reads; wall,
#     CPU of the reading thread, CPU of the whole JVM; and the one-time cost of choosing the lister,
#     which for netlink is binding the foreign calls)
#   ss -ltn (READS runs; wall and the child's CPU)
# for a query of every listener (portlens ls, portlens watch) and of one port (portlens PORT, which
# also counts established connections). Prints a table of medians over ROUNDS rounds and the ratios.
#
# Root (ip netns), iproute2, python3 >= 3.11, a JDK 22+ (PORTLENS_JDK22, else the newest under
# /usr/lib/jvm). Environment: ROUNDS (default 5), READS (default 30), PORT (default 3640).
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
ROUNDS="${ROUNDS:-5}"
READS="${READS:-30}"
PORT="${PORT:-3640}"

die() { echo "sockets.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (ip netns add)"
command -v ip >/dev/null || die "no ip (apt-get install iproute2)"
command -v ss >/dev/null || die "no ss (apt-get install iproute2)"
command -v python3 >/dev/null || die "no python3"

jdk17="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
jdk22="${PORTLENS_JDK22:-}"
if [ -z "$jdk22" ]; then
    best=0
    for home in /usr/lib/jvm/*; do
        v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true)"
        if [ -n "$v" ] && [ "$v" -ge 22 ] && [ "$v" -gt "$best" ] && [ -x "$home/bin/java" ]; then
            best="$v"; jdk22="$home"
        fi
    done
fi
[ -n "$jdk22" ] && [ -x "$jdk22/bin/java" ] || die "no JDK 22+ under /usr/lib/jvm; set PORTLENS_JDK22"
[ -x "$jdk17/bin/java" ] || die "no JDK at $jdk17; set JAVA_HOME"

jar="$ROOT/portlens-core/target/portlens-core-0.1.0.jar"
tests="$ROOT/portlens-core/target/test-classes"
if [ ! -f "$jar" ] || [ ! -f "$tests/org/portlens/discovery/linux/SocketListerBench.class" ] \
   || ! unzip -l "$jar" | grep -q 'META-INF/versions/22/'; then
    echo "sockets.sh: building portlens-core (mvn -B -q -o package -pl portlens-core -DskipTests)..." >&2
    (cd "$ROOT" && mvn -B -q -o package -pl portlens-core -DskipTests -Djavadoc.skip >&2)
fi
NS="portlens-bench-sockets-$$"
work="$(mktemp -d)"
# a copy: a build during the run (mvn clears test-classes) must not pull the classes away
cp "$jar" "$work/core.jar" && cp -r "$tests" "$work/test-classes"
cp="$work/core.jar:$work/test-classes"
load_pid=
cleanup() {
    [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null && wait "$load_pid" 2>/dev/null
    if ip netns list 2>/dev/null | grep -qw "$NS"; then
        for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
        ip netns del "$NS"
    fi
    rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up

echo "sockets.sh: building the busy host in netns $NS ..." >&2
ip netns exec "$NS" python3 "$BENCH_DIR/load.py" hold --scenario busy --port "$PORT" \
    --ready-file "$work/ready.json" >"$work/load.log" 2>&1 &
load_pid=$!
for _ in $(seq 1 1800); do
    [ -f "$work/ready.json" ] && break
    kill -0 "$load_pid" 2>/dev/null || break
    sleep 0.1
done
[ -f "$work/ready.json" ] || { cat "$work/load.log" >&2; die "the load did not become ready"; }

echo "## the host (netns $NS)"
echo
echo '```'
ip netns exec "$NS" ss -s | sed -n '1,3p'
echo '```'
echo "JDK 17: $("$jdk17/bin/java" -version 2>&1 | head -1); JDK 22+: $("$jdk22/bin/java" -version 2>&1 | head -1);"
echo "kernel $(uname -r); $(nproc) cores; $(ss -V 2>&1 | head -1); $ROUNDS rounds of $READS reads"
echo

bench() { # NAME JAVA [FLAGS...] -- LISTER [PORT]
    local name="$1" java="$2"; shift 2
    echo "$name $(ip netns exec "$NS" "$java" -XX:+UseSerialGC "$@")" >>"$work/results.txt"
}
ss_bench() { # NAME ARGS...
    local name="$1"; shift
    echo "$name $(ip netns exec "$NS" python3 - "$READS" "$@" <<'PY'
import resource, subprocess, sys, time
n, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)  # warm-up
c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.perf_counter()
for _ in range(n):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
wall = (time.perf_counter() - t0) * 1000 / n
c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = ((c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)) * 1000 / n
print(f"lister=ss choose_ms=0 first_read_ms=0 wall_ms={wall:.2f} thread_cpu_ms={cpu:.2f} process_cpu_ms={cpu:.2f}")
PY
)" >>"$work/results.txt"
}

: >"$work/results.txt"
for round in $(seq 1 "$ROUNDS"); do
    echo "sockets.sh: round $round of $ROUNDS" >&2
    main=org.portlens.discovery.linux.SocketListerBench
    bench "all:proc-jdk17" "$jdk17/bin/java" -cp "$cp" "$main" proc "$READS"
    bench "all:proc-jdk22" "$jdk22/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" "$main" proc "$READS"
    bench "all:netlink-jdk22" "$jdk22/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" "$main" netlink "$READS"
    ss_bench "all:ss-ltn" ss -ltn
    bench "port:proc-jdk17" "$jdk17/bin/java" -cp "$cp" "$main" proc "$READS" "$PORT"
    bench "port:netlink-jdk22" "$jdk22/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" "$main" netlink "$READS" "$PORT"
    ss_bench "port:ss-tan-sport" ss -tan "sport = :$PORT"
done

python3 - "$work/results.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, *kv = line.split()
    d = dict(x.split("=", 1) for x in kv)
    rows.setdefault(name, []).append(d)
def med(name, key):
    return statistics.median(float(d[key]) for d in rows[name])
print("| query | lister | choose (once) ms | first read ms | wall per read ms | thread CPU ms | process CPU ms | rows |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for name in rows:
    q, l = name.split(":")
    r = rows[name][0]
    print(f"| {q} | {l} | {med(name,'choose_ms'):.1f} | {med(name,'first_read_ms'):.1f} | {med(name,'wall_ms'):.2f}"
          f" | {med(name,'thread_cpu_ms'):.2f} | {med(name,'process_cpu_ms'):.2f}"
          f" | {r.get('rows','-')}{' (' + r['established'] + ' established)' if q == 'port' and 'established' in r else ''} |")
print()
def ratio(a, b, key):
    return med(a, key) / med(b, key) if med(b, key) else float("nan")
for a, b in (("all:netlink-jdk22", "all:proc-jdk17"), ("all:netlink-jdk22", "all:proc-jdk22"),
             ("all:netlink-jdk22", "all:ss-ltn"), ("port:netlink-jdk22", "port:proc-jdk17")):
    print(f"- {a} / {b}: wall {ratio(a, b, 'wall_ms'):.2f}, process CPU {ratio(a, b, 'process_cpu_ms'):.2f}")
nl = med("all:netlink-jdk22", "process_cpu_ms")
print(f"- portlens watch, one read a second: netlink {nl:.1f} ms CPU = {nl / 10:.2f}% of one core"
      f" (proc files on JDK 17: {med('all:proc-jdk17', 'process_cpu_ms') / 10:.2f}%); target 2%")
PY
