#!/usr/bin/env bash
# portlens daemons benchmark (issue 11): real servers from Debian packages, each on a loopback port of
# a network namespace of the bench's own, identified by `portlens scan --identify` (wire only), by
# `portlens PORT --json` (wire and owners) and by `nmap -sV`, scored against a ground truth
# (protocol, product, version) and timed.
#
#   bench/daemons.sh [--only KEY,KEY] [--nmap-each] [--no-install]
#
#   --only KEY,...   only these daemons (keys: bench/daemons.py list)
#   --nmap-each      also run nmap -sV one port at a time, for its median time per port (adds minutes)
#   --no-install     do not install missing packages: leave those daemons out
#   --check          only start the daemons, say which listen, and stop them (no identification)
# Environment: PORTLENS=/path/to/portlens (another checkout's launcher; default ./portlens of this
# tree, which builds the jar on first use), JAVA_HOME.
# Root (ip netns, apt-get); iproute2, nmap, python3 >= 3.11, a JDK 17+. Missing daemon packages are
# installed with apt-get (no service is allowed to start: policy-rc.d), and their units disabled again.
set -euo pipefail

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

ONLY=""
EXTRA=()
INSTALL=1
while [ $# -gt 0 ]; do
    case "$1" in
        --only) ONLY="${2:?--only needs a value}"; shift 2 ;;
        --only=*) ONLY="${1#*=}"; shift ;;
        --nmap-each) EXTRA+=(--nmap-each); shift ;;
        --check) EXTRA+=(--check); shift ;;
        --no-install) INSTALL=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "daemons.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

if [ "$(id -u)" != 0 ]; then
    echo "daemons.sh: skipped: needs root (network namespace, apt-get, daemons binding their ports)"
    exit 0
fi

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
cd "$ROOT"
OUT="$BENCH_DIR/target/daemons"
PORTLENS_CMD="${PORTLENS:-$ROOT/portlens}"
log() { echo "[daemons] $*" >&2; }

need() {  # need CMD DEBIAN-PACKAGE
    command -v "$1" >/dev/null 2>&1 || { echo "daemons.sh: '$1' not found; install it with: apt-get install -y $2" >&2; exit 2; }
}
need ip iproute2
need nmap nmap
need python3 python3
need dpkg-query dpkg
[ -x "$PORTLENS_CMD" ] || { echo "daemons.sh: no portlens launcher at $PORTLENS_CMD (set PORTLENS=...)" >&2; exit 2; }

# ---------------------------------------------------------------- packages: check, then install the missing
mapfile -t PACKAGES < <(python3 "$BENCH_DIR/daemons.py" packages)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ] && [ "$INSTALL" = 1 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # no package may start its service: a policy-rc.d that forbids it, only while installing
    # (one already there, such as a container's, is left as it is)
    made_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    before="$(dpkg-query -W -f='${Status} ${Package}\n' 2>/dev/null | awk '$3 == "installed" {print $4}' | sort)"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
    if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
    # the packages (and their dependencies: dovecot-core, exim4-base, ...) enabled their units for the
    # next boot: this bench installed them, so it disables them
    after="$(dpkg-query -W -f='${Status} ${Package}\n' 2>/dev/null | awk '$3 == "installed" {print $4}' | sort)"
    for p in $(comm -13 <(echo "$before") <(echo "$after")); do
        for unit in $(dpkg -L "$p" 2>/dev/null | grep -E '^/(usr/)?lib/systemd/system/[^/@]+\.(service|socket|path|timer)$' | xargs -r -n1 basename); do
            systemctl disable --quiet "$unit" >/dev/null 2>&1 || true
        done
        for init in $(dpkg -L "$p" 2>/dev/null | grep -E '^/etc/init\.d/[^/]+$' | xargs -r -n1 basename); do
            update-rc.d "$init" disable >/dev/null 2>&1 || true
        done
    done
elif [ "${#missing[@]}" -gt 0 ]; then
    log "not installed (--no-install), those daemons will not be listening: ${missing[*]}"
fi

# ---------------------------------------------------------------- the jar (the launcher builds it on first use)
mkdir -p "$BENCH_DIR/target"
if ! PORTLENS_LAUNCHER_DEBUG= "$PORTLENS_CMD" --version >/dev/null 2>"$BENCH_DIR/target/daemons-build.log"; then
    echo "daemons.sh: $PORTLENS_CMD --version failed; see $BENCH_DIR/target/daemons-build.log" >&2
    exit 2
fi

# ---------------------------------------------------------------- namespace and cleanup
NS="portlens-daemons-$$"
WORK="$(mktemp -d /tmp/portlens-daemons.XXXXXX)"
CHILD_PID=""
cleanup() {
    set +e
    if [ -n "$CHILD_PID" ]; then
        kill -TERM "$CHILD_PID" 2>/dev/null
        wait "$CHILD_PID" 2>/dev/null
        CHILD_PID=""
    fi
    if ip netns list 2>/dev/null | grep -qw "$NS"; then
        # whatever still runs in the namespace was started by this bench (daemons that forked away)
        pids="$(ip netns pids "$NS" 2>/dev/null)"
        [ -n "$pids" ] && kill -TERM $pids 2>/dev/null && sleep 1
        for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
        ip netns del "$NS"
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

mkdir -p "$OUT"
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
# nmap -sU and portlens --udp learn a closed port from ICMP: no rate limit inside the namespace
ip netns exec "$NS" sysctl -q -w net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_ratemask=0

echo "# portlens daemons benchmark"
echo
echo "| fact | value |"
echo "|---|---|"
echo "| date | $(date -u '+%Y-%m-%d %H:%M:%S UTC') |"
echo "| nproc | $(nproc) |"
echo "| kernel | $(uname -sr) |"
echo "| portlens | \`$PORTLENS_CMD\` $("$PORTLENS_CMD" --version 2>/dev/null | head -n1); $(cd "$(dirname "$PORTLENS_CMD")" && git log -1 --format='%h %s' 2>/dev/null | cut -c1-70) |"
echo "| java | $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -n1) |"
echo "| nmap | $(nmap --version | head -n1) |"
echo "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
echo "| network | namespace \`$NS\`: its loopback only |"
echo

START=$(date +%s)
ip netns exec "$NS" python3 "$BENCH_DIR/daemons.py" run --root "$ROOT" --out "$OUT" --work "$WORK" \
    --portlens "$PORTLENS_CMD" ${ONLY:+--only "$ONLY"} ${EXTRA[@]+"${EXTRA[@]}"} &
CHILD_PID=$!
STATUS=0
wait "$CHILD_PID" || STATUS=$?
CHILD_PID=""
echo "Bench wall time: $(( $(date +%s) - START )) s (daemons, portlens, nmap). Results: ${OUT#$ROOT/}/results.json, results.tsv, report.md; raw answers in raw/, daemon logs in logs/."
[ "$STATUS" = 0 ] || { echo "daemons.sh: the bench failed (status $STATUS); see the messages above" >&2; exit 1; }
exit 0
