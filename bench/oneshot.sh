#!/usr/bin/env bash
# bench/oneshot.sh: one-shot commands (portlens ls, portlens PORT --no-probe) on busy hosts of growing
# size, by how the socket list is read: the default choice (on a JDK 22+, netlink sock_diag from the
# first read when /proc/net/sockstat announces WarmingLister.NETLINK_FROM rows or more, else the proc
# files), the proc files forced (PORTLENS_SOCKETS=proc), netlink forced (PORTLENS_SOCKETS=netlink);
# beside ss -ltnup and lsof -nP -i :PORT, in the same rounds (load.py time, round-robin).
#
# Part 2, many open files: 400 processes holding FILES descriptors on /dev/null each (400,000 by default)
# and one listener each, the port's holder first in pid order (worker 0) or last (worker 399):
# portlens PORT --no-probe, which stops reading descriptors once the port's sockets are found (and
# reads the holders' descendants and unit), against portlens ls (every process), ss -ltnp 'sport = :PORT'
# and lsof -nP -i :PORT.
#
# Each host of part 1 is bench/run.sh's busy host (load.py hold --scenario busy) with CONNS connections, built in
# a network namespace of its own whose ephemeral port range is widened (1024-65000) so that large hosts
# fit; the host's own namespace is not touched. Root (ip netns), iproute2, lsof, python3 >= 3.11, a
# JDK 22+ (PORTLENS_JDK22, else the newest under /usr/lib/jvm), the jar built (mvn -B -q package
# -DskipTests). Environment: SIZES (connections per host, default "10000 25000 50000"; "" skips part 1),
# FILES (descriptors per process in part 2, default 1000; 0 skips it), RUNS (7), PORT (3640). Each variant has a cache directory of its own, so the launcher's AOT cache is trained
# on that variant's own path in the warm-up run.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
SIZES="${SIZES-10000 25000 50000}"
FILES="${FILES:-1000}"
RUNS="${RUNS:-7}"
PORT="${PORT:-3640}"

die() { echo "oneshot.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (ip netns add)"
for c in ip ss lsof python3; do command -v "$c" >/dev/null || die "no $c (apt-get install iproute2 lsof python3)"; done
[ -f "$ROOT/portlens-cli/target/portlens.jar" ] || die "build the jar first: mvn -B -q package -DskipTests"
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

NS="portlens-bench-oneshot-$$"
work="$(mktemp -d)"
load_pid=
stop_load() {
    if [ -n "$load_pid" ]; then kill "$load_pid" 2>/dev/null || true; wait "$load_pid" 2>/dev/null || true; fi
    load_pid=
}
cleanup() {
    stop_load
    if ip netns list 2>/dev/null | grep -qw "$NS"; then
        for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
        ip netns del "$NS"
    fi
    rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" sysctl -q -w net.ipv4.ip_local_port_range="1024 65000"

echo "JDK: $("$jdk22/bin/java" -version 2>&1 | head -1); kernel $(uname -r); $(nproc) cores; $RUNS runs"
echo
for conns in $SIZES; do
    echo "oneshot.sh: building a busy host with $conns connections in netns $NS ..." >&2
    rm -f "$work/ready.json"
    ip netns exec "$NS" python3 "$BENCH_DIR/load.py" hold --scenario busy --port "$PORT" --conns "$conns" \
        --ready-file "$work/ready.json" >"$work/load.log" 2>&1 &
    load_pid=$!
    for _ in $(seq 1 3000); do
        [ -f "$work/ready.json" ] && break
        kill -0 "$load_pid" 2>/dev/null || break
        sleep 0.1
    done
    [ -f "$work/ready.json" ] || { cat "$work/load.log" >&2; die "the load did not become ready"; }
    rows="$(ip netns exec "$NS" python3 - <<'PY'
def counter(path, proto, key):
    try:
        for line in open(path):
            if line.startswith(proto + ":"):
                f = line.split()[1:]
                return int(dict(zip(f[0::2], f[1::2])).get(key, 0))
    except OSError:
        pass
    return 0
print(counter("/proc/net/sockstat", "TCP", "inuse") + counter("/proc/net/sockstat", "TCP", "tw")
      + counter("/proc/net/sockstat", "UDP", "inuse") + counter("/proc/net/sockstat6", "TCP6", "inuse")
      + counter("/proc/net/sockstat6", "UDP6", "inuse"))
PY
)"
    pl="env JAVA_HOME=$jdk22 PORTLENS_NO_BUILD=1"
    ip netns exec "$NS" python3 "$BENCH_DIR/load.py" time --label "$conns" --runs "$RUNS" --cwd "$ROOT" \
        --output "$work/time-$conns.json" -- \
        "ls default=$pl XDG_CACHE_HOME=$work/c-default ./portlens ls" \
        "ls proc=$pl XDG_CACHE_HOME=$work/c-proc PORTLENS_SOCKETS=proc ./portlens ls" \
        "ls netlink=$pl XDG_CACHE_HOME=$work/c-netlink PORTLENS_SOCKETS=netlink ./portlens ls" \
        "ss -ltnup=ss -ltnup" \
        "PORT default=$pl XDG_CACHE_HOME=$work/c-default ./portlens $PORT --no-probe" \
        "PORT proc=$pl XDG_CACHE_HOME=$work/c-proc PORTLENS_SOCKETS=proc ./portlens $PORT --no-probe" \
        "lsof -i :PORT=lsof -nP -i :$PORT"
    stop_load
    python3 - "$work/time-$conns.json" "$conns" "$rows" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m = {c["name"]: c for c in d["commands"]}
print(f"### {sys.argv[2]} connections: {int(sys.argv[3]):,} rows in the tables (sockstat)")
print()
print("| command | median ms | min ms | exit |")
print("|---|---:|---:|---|")
for c in d["commands"]:
    print(f"| {c['name']} | {c['median_ms']:.0f} | {c['min_ms']:.0f} | {','.join(c['exit_codes'])} |")
print()
r = lambda a, b: m[a]["median_ms"] / m[b]["median_ms"]
print(f"- ls: default / proc {r('ls default', 'ls proc'):.2f}, netlink / proc {r('ls netlink', 'ls proc'):.2f},"
      f" default / ss -ltnup {r('ls default', 'ss -ltnup'):.2f}")
print(f"- PORT --no-probe: default / proc {r('PORT default', 'PORT proc'):.2f},"
      f" default / lsof {r('PORT default', 'lsof -i :PORT'):.2f}")
print()
PY
done

[ "$FILES" -gt 0 ] || exit 0
for target in 0 -1; do
    where=$([ "$target" = 0 ] && echo "first" || echo "last")
    echo "oneshot.sh: 400 processes with $FILES files each, the port's holder $where in pid order ..." >&2
    rm -f "$work/ready.json"
    ip netns exec "$NS" python3 "$BENCH_DIR/load.py" hold --scenario light --procs 400 --listeners 400 \
        --files "$FILES" --target-worker "$target" --port "$PORT" \
        --ready-file "$work/ready.json" >"$work/load.log" 2>&1 &
    load_pid=$!
    for _ in $(seq 1 3000); do
        [ -f "$work/ready.json" ] && break
        kill -0 "$load_pid" 2>/dev/null || break
        sleep 0.1
    done
    [ -f "$work/ready.json" ] || { cat "$work/load.log" >&2; die "the load did not become ready"; }
    pl="env JAVA_HOME=$jdk22 PORTLENS_NO_BUILD=1 XDG_CACHE_HOME=$work/c-default"
    ip netns exec "$NS" python3 "$BENCH_DIR/load.py" time --label "files-$where" --runs "$RUNS" --cwd "$ROOT" \
        --output "$work/files-$where.json" -- \
        "portlens PORT=$pl ./portlens $PORT --no-probe" \
        "portlens ls=$pl ./portlens ls" \
        "ss -ltnp sport=ss -ltnp sport = :$PORT" \
        "lsof -i :PORT=lsof -nP -i :$PORT"
    coverage="$(ip netns exec "$NS" env JAVA_HOME="$jdk22" PORTLENS_NO_BUILD=1 "$ROOT/portlens" "$PORT" --no-probe \
        | grep -m1 'coverage:' | sed 's/^ *//' || true)"
    stop_load
    python3 - "$work/files-$where.json" "$where" "$FILES" "$coverage" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m = {c["name"]: c for c in d["commands"]}
print(f"### 400 processes x {int(sys.argv[3]):,} open files, the port's holder {sys.argv[2]} in pid order")
print()
print(f"portlens PORT said: `{sys.argv[4]}`")
print()
print("| command | median ms | min ms | exit |")
print("|---|---:|---:|---|")
for c in d["commands"]:
    print(f"| {c['name']} | {c['median_ms']:.0f} | {c['min_ms']:.0f} | {','.join(c['exit_codes'])} |")
print()
r = lambda a, b: m[a]["median_ms"] / m[b]["median_ms"]
print(f"- portlens PORT / lsof {r('portlens PORT', 'lsof -i :PORT'):.2f}, / ss -ltnp sport"
      f" {r('portlens PORT', 'ss -ltnp sport'):.2f}, / portlens ls {r('portlens PORT', 'portlens ls'):.2f}")
print()
PY
done
