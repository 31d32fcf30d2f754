#!/usr/bin/env bash
# The launcher's start-up with its class-data archive: `./portlens 3640 --no-probe`, first run (no
# archive yet: it trains one), second and third run (use it; the third is the steady state), as root and
# as nobody (setpriv, with a home of its own), and with a cache directory nobody can write (no archive,
# no training). Each round starts from an empty cache directory. Prints the median, min and max wall
# time of each in ms.
# BASELINE_REV=REV also times REV's launcher (laid out with this jar as in a repository, its archive
# beside the jar) in the same rounds, e.g. BASELINE_REV=50e7ab2 for the launcher before the cache directory.
# Usage: bench/launcher.sh [ROUNDS]   (default 7; root needed for the nobody rows)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-${ROUNDS:-7}}"
jar=portlens-cli/target/portlens.jar
[ -f "$jar" ] || { echo "bench/launcher.sh: build first: mvn -B -q -DskipTests package" >&2; exit 1; }
work="$(mktemp -d /tmp/portlens-launcher-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
mkdir -p "$work/nobody-home"
readonly_cache=/proc/portlens-launcher-bench # nothing can be made there, not even by root
as_nobody=
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 && getent passwd nobody >/dev/null; then
  chown nobody "$work/nobody-home"
  as_nobody=1
fi
base=
if [ -n "${BASELINE_REV:-}" ]; then
  base="$work/baseline"
  mkdir -p "$base/portlens-cli/target"
  git show "$BASELINE_REV:portlens" >"$base/portlens"
  chmod 755 "$base/portlens"
  cp "$jar" "$base/portlens-cli/target/"
  touch "$base/pom.xml"
  chmod -R a+rX "$base"
fi
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"

# one run: prints its wall time in ms
run() { # run USER CACHE_HOME HOME [LAUNCHER]
  local user="$1" cache="$2" home="$3" launcher="${4:-./portlens}" start end
  local cmd=(env -i PATH=/usr/bin:/bin HOME="$home" XDG_CACHE_HOME="$cache" JAVA_HOME="$java_home" PORTLENS_NO_BUILD=1
             "$launcher" 3640 --no-probe)
  if [ "$user" = nobody ]; then cmd=(setpriv --reuid=nobody --regid=nogroup --clear-groups "${cmd[@]}"); fi
  start=$(date +%s%N)
  "${cmd[@]}" >/dev/null 2>&1 || [ $? -eq 3 ]
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

declare -A times
[ -z "$base" ] || run root "$work/none" "$HOME" "$base/portlens" >/dev/null # its archive, as root
for ((i = 0; i < rounds; i++)); do
  for user in root ${as_nobody:+nobody}; do
    home="$HOME"; [ "$user" = nobody ] && home="$work/nobody-home"
    cache="$home/.cache-bench"; [ "$user" = root ] && cache="$work/root-cache"
    rm -rf "$cache"
    times[$user first]+="$(run "$user" "$cache" "$home") "
    times[$user second]+="$(run "$user" "$cache" "$home") "
    times[$user third]+="$(run "$user" "$cache" "$home") "
    times[$user unwritable]+="$(run "$user" "$readonly_cache" "$home") "
    [ -z "$base" ] || times[$user baseline]+="$(run "$user" "$cache" "$home" "$base/portlens") "
  done
done
rm -rf "$work/root-cache"

stats() { # median min max of the numbers given
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%d %d %d", m, a[1], a[NR]}'
}
echo "./portlens 3640 --no-probe, $rounds rounds, $(java -version 2>&1 | head -1), $(nproc) cores"
printf '%-8s %-42s %8s %8s %8s\n' user run median min max
for user in root ${as_nobody:+nobody}; do
  for what in first second third unwritable ${base:+baseline}; do
    case $what in
      baseline) label="$BASELINE_REV's launcher (archive in target/)" ;;
      first) label="first run (trains the archive)" ;;
      second) label="second run (uses it, just written)" ;;
      third) label="third run (uses it)" ;;
      unwritable) label="cache dir not writable (no archive)" ;;
    esac
    # shellcheck disable=SC2086
    read -r med min max <<<"$(stats ${times[$user $what]})"
    printf '%-8s %-42s %8s %8s %8s\n' "$user" "$label" "$med ms" "$min ms" "$max ms"
  done
done
[ -n "$as_nobody" ] || echo "(the nobody rows need root and setpriv)"
