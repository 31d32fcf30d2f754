#!/usr/bin/env bash
# portlens scan benchmark: a full TCP sweep (ports 1-65535) of 127.0.0.1 inside a private network
# namespace with 30 listeners, `./portlens scan` against nmap -sT, alternately; and the
# identification of one HTTP port, `./portlens probe` against nmap -sV.
#
#   bench/scan.sh [--rounds N]        (root; needs ip, nmap, python3, java)
#
# Environment:
#   ROUNDS=N          timed rounds per command (default 5, at least 3; --rounds wins)
#   BENCH_STRICT=1    exit 1 when the ratio target (<= 0.5 x nmap) is missed by the best row
#   JAVA_HOME         picks the JVM, as the ./portlens launcher does
#   BENCH_JDK22=DIR   a JDK 22+ for the native-engine rows (default: the newest under /usr/lib/jvm)
#
# Nothing leaves the namespace: it has only its own loopback, and it is deleted on exit.
set -euo pipefail

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
}

ROUNDS_OPT="${ROUNDS:-5}"
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS_OPT="${2:?--rounds needs a value}"; shift 2 ;;
        --rounds=*) ROUNDS_OPT="${1#*=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "scan.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ "$ROUNDS_OPT" =~ ^[0-9]+$ ]] && [ "$ROUNDS_OPT" -ge 3 ] \
    || { echo "scan.sh: --rounds must be a number, at least 3" >&2; exit 2; }

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$here")"

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

[ "$(id -u)" -eq 0 ] || { echo "scan.sh: must run as root (it creates a network namespace)" >&2; exit 2; }
for tool in ip nmap python3 "$java"; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "scan.sh: '$tool' not found (ip: package iproute2; nmap: package nmap; java: a JDK 17+)" >&2
        exit 2
    }
done
[ -f "$root/portlens-cli/target/portlens.jar" ] || {
    echo "scan.sh: portlens-cli/target/portlens.jar is missing; build it: mvn -B -q -DskipTests package" >&2
    exit 2
}
export PORTLENS_NO_BUILD=1

# A JDK 22+ runs `portlens scan -p-` on its native engine (raw socket calls through java.lang.foreign);
# on 17-21 the scan uses NIO. Both are timed when the machine has both.
jdk_feature() { # $1 = JDK home; prints its feature version from the release file, or nothing
    { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true; } | head -1
}
jdk22="${BENCH_JDK22:-}"
if [ -z "$jdk22" ]; then
    best=0
    for home in /usr/lib/jvm/*; do
        f="$(jdk_feature "$home")"
        if [ -n "$f" ] && [ "$f" -ge 22 ] && [ "$f" -gt "$best" ] && [ -x "$home/bin/java" ]; then
            jdk22="$home"; best="$f"
        fi
    done
elif [ "$(jdk_feature "$jdk22")" -lt 22 ] 2>/dev/null || [ -z "$(jdk_feature "$jdk22")" ]; then
    echo "scan.sh: BENCH_JDK22=$jdk22 is not a JDK 22 or newer" >&2
    exit 2
fi

# 30 listeners: well-known ports, both ends of the range, and a third inside the ephemeral range
# (32768-60999), where a careless connect scan of the local host reports self-connects as open.
PORTS=(1 7 21 22 25 53 80 110 143 443 631 993 1080 3306 3640 5432 6379 8080 9200 27017
       32768 33333 40000 44321 50000 55555 60999 61000 65000 65535)
HTTP_PORT=8080
expected="$(printf '%s\n' "${PORTS[@]}" | sort -n | tr '\n' ' ')"

work="$(mktemp -d /tmp/portlens-scan-bench.XXXXXX)"
NS="portlens-scan-$$-$RANDOM"
listener_pid=""
cleanup() {
    set +e
    [ -n "$listener_pid" ] && kill "$listener_pid" 2>/dev/null && wait "$listener_pid" 2>/dev/null
    if ip netns list 2>/dev/null | grep -qw "$NS"; then
        # anything still running in our namespace was started by this script
        for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
        ip netns del "$NS"
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
# ICMP limits do not matter to a TCP sweep; set as the UDP tests do, harmless here
ip netns exec "$NS" sysctl -q -w net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_ratemask=0

# The listeners: one python3 process, accepting and closing so that the accept queues never fill
# (a full queue drops SYNs and turns ports filtered); port HTTP_PORT speaks HTTP for nmap -sV.
cat > "$work/listeners.py" <<'PY'
import http.server, selectors, socket, sys, threading
ports = [int(p) for p in sys.argv[1].split(",")]
http_port = int(sys.argv[2])
sel = selectors.DefaultSelector()
for p in ports:
    if p == http_port:
        continue
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", p))
    s.listen(1024)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", http_port), Quiet)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
print("ready", flush=True)
while True:
    for key, _ in sel.select():
        try:
            c, _ = key.fileobj.accept()
            c.close()
        except OSError:
            pass
PY
csv="$(IFS=,; echo "${PORTS[*]}")"
(cd "$work" && exec ip netns exec "$NS" python3 "$work/listeners.py" "$csv" "$HTTP_PORT" > "$work/listeners.out" 2>&1) &
listener_pid=$!
for _ in $(seq 100); do
    grep -q ready "$work/listeners.out" 2>/dev/null && break
    kill -0 "$listener_pid" 2>/dev/null || { echo "scan.sh: listeners failed:" >&2; cat "$work/listeners.out" >&2; exit 2; }
    sleep 0.05
done
grep -q ready "$work/listeners.out" || { echo "scan.sh: listeners not ready after 5 s" >&2; exit 2; }

# The commands: portlens as a user runs it (the ./portlens launcher: C1 only, serial GC, its
# class-data-sharing archive), on its native engine; the same on the NIO engine
# (-Dportlens.nativeSockets=false); the same without the launcher's flags (plain java -jar); and NIO
# with the JDK's default epoll selector instead of the poll(2) one `portlens scan` picks
# (Main.preferPollSelector).
epoll_flag=-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.EPollSelectorProvider
run_portlens_launch() { ip netns exec "$NS" "$root/portlens" scan 127.0.0.1 -p- --no-color; }
run_portlens_plain() { ip netns exec "$NS" "$java" -jar "$root/portlens-cli/target/portlens.jar" scan 127.0.0.1 -p- --no-color; }
run_portlens_epoll() {
    ip netns exec "$NS" env PORTLENS_JAVA_OPTS="$epoll_flag -Dportlens.nativeSockets=false" "$root/portlens" scan 127.0.0.1 -p- --no-color
}
run_portlens_nio() {
    ip netns exec "$NS" env PORTLENS_JAVA_OPTS=-Dportlens.nativeSockets=false "$root/portlens" scan 127.0.0.1 -p- --no-color
}
run_nmap() { ip netns exec "$NS" nmap -n -sT -p- -T5 --min-rate 50000 -oG - 127.0.0.1; }
run_portlens_jdk22() { ip netns exec "$NS" env JAVA_HOME="$jdk22" "$root/portlens" scan 127.0.0.1 -p- --no-color; }
run_portlens_jdk22_nio() {
    ip netns exec "$NS" env JAVA_HOME="$jdk22" PORTLENS_JAVA_OPTS=-Dportlens.nativeSockets=false \
        "$root/portlens" scan 127.0.0.1 -p- --no-color
}

open_set() { # $1 = kind, $2 = output file
    if [ "$1" = nmap ]; then
        grep -o '[0-9]*/open/tcp' "$2" | cut -d/ -f1 | sort -n | tr '\n' ' '
    else
        grep -oE '^[0-9]+/tcp +open ' "$2" | cut -d/ -f1 | sort -n | tr '\n' ' '
    fi
}

# time_one NAME KIND FUNCTION: runs it once, appends "wall cpu" seconds to $work/NAME.times, checks the open set
TIMEFORMAT='%R %U %S'
mismatch=0
time_one() {
    local name="$1" kind="$2" fn="$3" t
    t="$( { time "$fn" > "$work/$name.out" 2> "$work/$name.err"; } 2>&1 )" || {
        echo "scan.sh: $name failed:" >&2; cat "$work/$name.err" >&2; exit 2; }
    echo "$t" | awk '{printf "%s %.3f\n", $1, $2 + $3}' >> "$work/$name.times"
    local got
    got="$(open_set "$kind" "$work/$name.out")"
    if [ "$got" != "$expected" ]; then
        echo "MISMATCH: $name found [$got] expected [$expected]" >&2
        mismatch=1
    fi
}
minimum() { # column $2 of file $1
    awk -v c="$2" '{print $c}' "$1" | sort -n | head -1
}
median() { # column $2 of file $1
    awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{a[NR]=$1} END{m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'
}

echo "namespace $NS: ${#PORTS[@]} listeners on 127.0.0.1, $ROUNDS_OPT rounds each, alternating"
echo "portlens: the ./portlens launcher (its JVM flags and class-data-sharing archive)"
echo "machine: $(nproc) cores, $(uname -r), $("$java" -version 2>&1 | head -1), $(nmap --version | head -1)"
pressure() { # share of the last 60 s in which something waited for a CPU (others' load skews the numbers)
    sed -n 's/^some avg10=[^ ]* avg60=\([^ ]*\).*/\1%/p' /proc/pressure/cpu 2>/dev/null || true
}
echo "cpu pressure before: $(pressure) (near 0 on a quiet machine; a busy neighbour takes a core from the 2-thread scanner, not from nmap)"
# one untimed warm-up each: page cache, CDS archive mapping, nmap's data files
run_portlens_launch > /dev/null 2>&1; run_nmap > /dev/null 2>&1
[ -n "$jdk22" ] && run_portlens_jdk22 > /dev/null 2>&1
for r in $(seq "$ROUNDS_OPT"); do
    time_one portlens-launch portlens run_portlens_launch
    time_one nmap nmap run_nmap
    if [ -n "$jdk22" ]; then
        time_one portlens-jdk22 portlens run_portlens_jdk22
        time_one portlens-jdk22-nio portlens run_portlens_jdk22_nio
    fi
    time_one portlens-nio portlens run_portlens_nio
    time_one portlens-plain portlens run_portlens_plain
    time_one portlens-epoll portlens run_portlens_epoll
done

pl="$(median "$work/portlens-launch.times" 1)"
pp="$(median "$work/portlens-plain.times" 1)"
pe="$(median "$work/portlens-epoll.times" 1)"
pn="$(median "$work/portlens-nio.times" 1)"
ratio_n="$(awk -v a="$pn" -v b="$(median "$work/nmap.times" 1)" 'BEGIN{printf "%.2f", a/b}')"
nm="$(median "$work/nmap.times" 1)"
ratio_l="$(awk -v a="$pl" -v b="$nm" 'BEGIN{printf "%.2f", a/b}')"
ratio_p="$(awk -v a="$pp" -v b="$nm" 'BEGIN{printf "%.2f", a/b}')"
ratio_e="$(awk -v a="$pe" -v b="$nm" 'BEGIN{printf "%.2f", a/b}')"

echo
echo "full TCP sweep 1-65535 of 127.0.0.1 in the namespace (median of $ROUNDS_OPT; wall s, cpu = user+sys s)"
engine_of() { # the engine a run used, from its summary line
    if grep -q "with native sockets" "$1"; then echo native; else echo nio; fi
}
printf '  %-46s wall %6s  cpu %6s  ratio %s  (%s, engine %s)\n' "./portlens scan 127.0.0.1 -p-" "$pl" \
    "$(median "$work/portlens-launch.times" 2)" "$ratio_l" "Java $("$java" -version 2>&1 | head -1 | sed 's/.*version "\([0-9]*\).*/\1/')" \
    "$(engine_of "$work/portlens-launch.out")"
printf '  %-46s wall %6s  cpu %6s  ratio %s  (engine %s)\n' "  the same, -Dportlens.nativeSockets=false" "$pn" \
    "$(median "$work/portlens-nio.times" 2)" "$ratio_n" "$(engine_of "$work/portlens-nio.out")"
best_ratio="$ratio_l"
best_row="./portlens scan on $("$java" -version 2>&1 | head -1)"
if [ -n "$jdk22" ]; then
    pj="$(median "$work/portlens-jdk22.times" 1)"
    pjn="$(median "$work/portlens-jdk22-nio.times" 1)"
    ratio_j="$(awk -v a="$pj" -v b="$nm" 'BEGIN{printf "%.2f", a/b}')"
    ratio_jn="$(awk -v a="$pjn" -v b="$nm" 'BEGIN{printf "%.2f", a/b}')"
    printf '  %-46s wall %6s  cpu %6s  ratio %s  (Java %s, engine %s)\n' "JAVA_HOME=<JDK $(jdk_feature "$jdk22")> ./portlens scan" "$pj" \
        "$(median "$work/portlens-jdk22.times" 2)" "$ratio_j" "$(jdk_feature "$jdk22")" "$(engine_of "$work/portlens-jdk22.out")"
    printf '  %-46s wall %6s  cpu %6s  ratio %s  (Java %s, engine %s)\n' "  the same, -Dportlens.nativeSockets=false" "$pjn" \
        "$(median "$work/portlens-jdk22-nio.times" 2)" "$ratio_jn" "$(jdk_feature "$jdk22")" "$(engine_of "$work/portlens-jdk22-nio.out")"
    if awk -v a="$ratio_j" -v b="$best_ratio" 'BEGIN{exit !(a < b)}'; then
        best_ratio="$ratio_j"
        best_row="JAVA_HOME=$jdk22 ./portlens scan (native engine)"
    fi
else
    echo "  (no JDK 22+ found under /usr/lib/jvm and no BENCH_JDK22: native-engine rows skipped)"
fi
printf '  %-46s wall %6s  cpu %6s  ratio %s\n' "java -jar portlens.jar scan (no launcher flags)" "$pp" "$(median "$work/portlens-plain.times" 2)" "$ratio_p"
printf '  %-46s wall %6s  cpu %6s  ratio %s\n' "./portlens scan, NIO on epoll (JDK default)" "$pe" "$(median "$work/portlens-epoll.times" 2)" "$ratio_e"
printf '  %-46s wall %6s  cpu %6s\n' "nmap -n -sT -p- -T5 --min-rate 50000" "$nm" "$(median "$work/nmap.times" 2)"
pl_min="$(minimum "$work/portlens-launch.times" 1)"
nm_min="$(minimum "$work/nmap.times" 1)"
echo "  best of $ROUNDS_OPT (robust to a neighbour's load): portlens (launcher flags) $pl_min, nmap $nm_min," \
    "ratio $(awk -v a="$pl_min" -v b="$nm_min" 'BEGIN{printf "%.2f", a/b}')"
echo "  wall per run: portlens (launcher flags) $(cut -d' ' -f1 "$work/portlens-launch.times" | tr '\n' ' ')| nmap $(cut -d' ' -f1 "$work/nmap.times" | tr '\n' ' ')"
if [ -n "$jdk22" ]; then
    pj_min="$(minimum "$work/portlens-jdk22.times" 1)"
    echo "  best of $ROUNDS_OPT, JDK $(jdk_feature "$jdk22") native: $pj_min, ratio" \
        "$(awk -v a="$pj_min" -v b="$nm_min" 'BEGIN{printf "%.2f", a/b}')"
    echo "  wall per run: JDK $(jdk_feature "$jdk22") native $(cut -d' ' -f1 "$work/portlens-jdk22.times" | tr '\n' ' ')"
fi
echo "  portlens summary (last run): $(tail -1 "$work/portlens-launch.out")"
[ -n "$jdk22" ] && echo "  portlens summary, JDK $(jdk_feature "$jdk22") (last run): $(tail -1 "$work/portlens-jdk22.out")"
if [ "$mismatch" -eq 0 ]; then
    echo "  open sets: identical, the ${#PORTS[@]} listeners exactly, every run of both tools"
else
    echo "  open sets: MISMATCH (see above)"
fi

# Service identification of one HTTP port: ./portlens probe against nmap -sV, alternately.
: > "$work/sv.times"
: > "$work/pp.times"
run_probe() { ip netns exec "$NS" "$root/portlens" probe "127.0.0.1:$HTTP_PORT" --json; }
run_probe > /dev/null 2>&1
for r in 1 2 3; do
    t="$( { time ip netns exec "$NS" nmap -n -sV -p "$HTTP_PORT" 127.0.0.1 > "$work/sv.out" 2>&1; } 2>&1 )"
    echo "$t" | awk '{printf "%s %.3f\n", $1, $2 + $3}' >> "$work/sv.times"
    t="$( { time run_probe > "$work/pp.out" 2>&1; } 2>&1 )"
    echo "$t" | awk '{printf "%s %.3f\n", $1, $2 + $3}' >> "$work/pp.times"
done
sv="$(median "$work/sv.times" 1)"
ppr="$(median "$work/pp.times" 1)"
ratio_sv="$(awk -v a="$ppr" -v b="$sv" 'BEGIN{printf "%.3f", a/b}')"
echo
echo "service identification of one HTTP port ($HTTP_PORT), median of 3:"
printf '  %-46s wall %6s  cpu %6s   (%s)\n' "nmap -n -sV -p $HTTP_PORT 127.0.0.1" "$sv" \
    "$(median "$work/sv.times" 2)" "$(grep -E "^$HTTP_PORT/tcp" "$work/sv.out" | tr -s ' ' | head -1)"
printf '  %-46s wall %6s  cpu %6s   (%s)\n' "./portlens probe 127.0.0.1:$HTTP_PORT" "$ppr" \
    "$(median "$work/pp.times" 2)" "$(python3 -c 'import json,sys; w=json.load(open(sys.argv[1]))["wire"]; print(w["protocol"], w["details"].get("server",""))' "$work/pp.out")"
sv_met="$(awk -v r="$ratio_sv" 'BEGIN{print (r <= 0.05) ? "yes" : "no"}')"
echo "  ratio portlens/nmap $ratio_sv; target <= 0.05: $sv_met"

target_met="$(awk -v r="$best_ratio" 'BEGIN{print (r <= 0.5) ? "yes" : "no"}')"
echo
echo "target: portlens <= 0.5 x nmap: $target_met (ratio $best_ratio, $best_row)"
echo "        default java: $ratio_l (NIO: $ratio_n)$([ -n "$jdk22" ] && echo "; JDK $(jdk_feature "$jdk22"): $ratio_j (NIO: $ratio_jn)")"
[ "$mismatch" -eq 0 ] || exit 1
if [ "${BENCH_STRICT:-}" = 1 ] && [ "$target_met" != yes ]; then
    exit 1
fi
