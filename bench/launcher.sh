#!/usr/bin/env bash
# The launcher's start-up with its class-data archive: `./portlens 3640 --no-probe`, first run (no
# archive yet: it trains one), second and third run (use it; the third is the steady state), as root and
# as nobody (setpriv, with a home of its own), and with a cache directory nobody can write (no archive,
# no training). Each round starts from an empty cache directory. Prints the median, min and max wall
# time of each in ms.
# BASELINE_REV=REV also times REV's launcher (laid out with this jar as in a repository, its archive
# beside the jar) in the same rounds, e.g. BASELINE_REV=50e7ab2 for the launcher before the cache directory.
# Part 2 (compare) times `portlens 3640` (CMP_ARGS) with each archive, the JDKs' hello world beside it,
# alternating in the same rounds: hello world on JDK 17 and on JDK 24+ (java -cp bench/target Hello),
# then the launcher on JDK 17 with its CDS archive, on JDK 24+ with a CDS archive (PORTLENS_ARCHIVE=cds)
# and with the AOT cache (the default there); each archive trained by one untimed run first (its time
# printed). Wall time (median, min) and the process's CPU (user + sys, median), then the ratios of the
# targets. JDK17_HOME and JDK25_HOME pick the JDKs (default: /usr/lib/jvm/java-17-openjdk-amd64 and the
# newest JDK 24+ under /usr/lib/jvm).
# Usage: bench/launcher.sh [ROUNDS] [all|first|compare]   (default 7, all; root needed for the nobody rows)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-${ROUNDS:-7}}"
part="${2:-all}"
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

stats() { # median min max of the numbers given
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%d %d %d", m, a[1], a[NR]}'
}

declare -A times
if [ "$part" = compare ]; then rounds_first=0; else rounds_first="$rounds"; fi
[ -z "$base" ] || [ "$rounds_first" -eq 0 ] || run root "$work/none" "$HOME" "$base/portlens" >/dev/null # its archive, as root
for ((i = 0; i < rounds_first; i++)); do
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

if [ "$rounds_first" -gt 0 ]; then
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
fi
[ "$part" != first ] || exit 0

# Part 2: hello world and `portlens 3640` with each archive, on JDK 17 and JDK 24+
jdk17="${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
feature_of() { # the feature version in a JDK's release file, 0 if none
  local v
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)"
  echo "${v:-0}"
}
jdk25="${JDK25_HOME:-}"
if [ -z "$jdk25" ]; then
  for j in /usr/lib/jvm/*/; do
    j="${j%/}"
    if [ "$(feature_of "$j")" -ge 24 ] && { [ -z "$jdk25" ] || [ "$(feature_of "$j")" -gt "$(feature_of "$jdk25")" ]; }; then
      jdk25="$j"
    fi
  done
fi
[ -x "$jdk17/bin/java" ] || { echo "bench/launcher.sh: no JDK 17 at $jdk17 (JDK17_HOME)" >&2; exit 1; }
[ -n "$jdk25" ] && [ -x "$jdk25/bin/java" ] || { echo "bench/launcher.sh: no JDK 24+ under /usr/lib/jvm (JDK25_HOME)" >&2; exit 1; }
mkdir -p bench/target
"$jdk17/bin/javac" --release 17 -d bench/target bench/Hello.java
cmp_args=(${CMP_ARGS:-3640})
cmp_cache="$work/compare-cache"
mkdir -p "$cmp_cache" && chmod 700 "$cmp_cache"
have_time=; [ -x /usr/bin/time ] && have_time=1

# one run: prints "WALL_MS CPU_MS" (CPU -1 without /usr/bin/time); its stderr must be empty
timed() { # timed JAVA_HOME ARCHIVE|hello
  local home="$1" what="$2" start end cpu=-1 cmd
  if [ "$what" = hello ]; then
    cmd=("$home/bin/java" -cp bench/target Hello)
  else
    cmd=(env -i PATH=/usr/bin:/bin HOME="$HOME" XDG_CACHE_HOME="$cmp_cache" JAVA_HOME="$home" PORTLENS_NO_BUILD=1
         PORTLENS_ARCHIVE="$what" ./portlens "${cmp_args[@]}")
  fi
  [ -z "$have_time" ] || cmd=(/usr/bin/time -f '%U %S' -o "$work/cpu" "${cmd[@]}")
  start=$(date +%s%N)
  "${cmd[@]}" >/dev/null 2>"$work/stderr" || [ $? -eq 3 ]
  end=$(date +%s%N)
  if [ -s "$work/stderr" ]; then
    echo "bench/launcher.sh: $what on $home wrote to stderr:" >&2
    cat "$work/stderr" >&2
  fi
  [ -z "$have_time" ] || cpu="$(awk '{printf "%d", ($1 + $2) * 1000}' "$work/cpu")"
  echo "$(((end - start) / 1000000)) $cpu"
}

rows=("hello17|$jdk17|hello" "hello25|$jdk25|hello" "p17cds|$jdk17|cds" "p25cds|$jdk25|cds" "p25aot|$jdk25|aot")
declare -A label=(
  [hello17]="hello world, JDK $(feature_of "$jdk17")"
  [hello25]="hello world, JDK $(feature_of "$jdk25")"
  [p17cds]="portlens ${cmp_args[*]}, JDK $(feature_of "$jdk17") + CDS archive"
  [p25cds]="portlens ${cmp_args[*]}, JDK $(feature_of "$jdk25") + CDS archive"
  [p25aot]="portlens ${cmp_args[*]}, JDK $(feature_of "$jdk25") + AOT cache"
)
declare -A wall cpu
for row in "${rows[@]}"; do # train each archive once, untimed in the table
  IFS='|' read -r name home what <<<"$row"
  [ "$what" = hello ] && continue
  read -r w _ <<<"$(timed "$home" "$what")"
  echo "training run of ${label[$name]}: $w ms (trains the archive, then answers)"
done
for ((i = 0; i < rounds; i++)); do
  for ((k = 0; k < ${#rows[@]}; k++)); do # the first row moves along by one each round
    IFS='|' read -r name home what <<<"${rows[$(((k + i) % ${#rows[@]}))]}"
    read -r w c <<<"$(timed "$home" "$what")"
    wall[$name]+="$w "
    cpu[$name]+="$c "
  done
done

echo
echo "portlens ${cmp_args[*]} and hello world, $rounds alternating rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-46s %10s %8s %12s\n' run "wall median" min "CPU median"
declare -A med
for row in "${rows[@]}"; do
  IFS='|' read -r name _ _ <<<"$row"
  # shellcheck disable=SC2086
  read -r m mn _ <<<"$(stats ${wall[$name]})"
  # shellcheck disable=SC2086
  read -r cm _ _ <<<"$(stats ${cpu[$name]})"
  med[$name]="$m"
  printf '%-46s %10s %8s %12s\n' "${label[$name]}" "$m ms" "$mn ms" "$cm ms"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo
echo "JDK 17 + CDS / hello JDK 17:  $(ratio "${med[p17cds]}" "${med[hello17]}")  (target <= 2.0)"
echo "JDK 25 + AOT / hello JDK 25:  $(ratio "${med[p25aot]}" "${med[hello25]}")  (target <= 1.5)"
echo "JDK 25 + CDS / hello JDK 25:  $(ratio "${med[p25cds]}" "${med[hello25]}")"
echo "JDK 25: AOT cache / CDS:      $(ratio "${med[p25aot]}" "${med[p25cds]}")  (below 1: the AOT cache is faster)"
