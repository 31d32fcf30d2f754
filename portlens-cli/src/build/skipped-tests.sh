#!/bin/sh
# The last step of `mvn verify`: what the test runs of every module skipped, and why, one line each
# (written by org.portlens.testkit.SkipSummary). Nothing skipped: says so. Tests of another operating
# system (macOS or Windows live reads, on Linux) are listed apart: nothing installed here runs them.
root="$1"
n=0
for f in "$root"/portlens-*/target/test-skips/*.txt; do
  [ -f "$f" ] && n=$((n + $(grep -c . "$f")))
done
if [ "$n" -eq 0 ]; then
  echo "[portlens tests] nothing was skipped"
else
  echo "[portlens tests] $n test(s) skipped; what each needs:"
  for f in "$root"/portlens-*/target/test-skips/*.txt; do
    [ -s "$f" ] || continue
    module=$(basename "$(dirname "$(dirname "$(dirname "$f")")")")
    kind=$(basename "$f" .txt)
    sed "s|^|  $module ($kind) |" "$f"
  done
fi
m=0
for f in "$root"/portlens-*/target/test-skips/*.other-system; do
  [ -f "$f" ] && m=$((m + $(grep -c . "$f")))
done
if [ "$m" -gt 0 ]; then
  echo "[portlens tests] $m test(s) run only on another operating system (not counted as skipped):"
  for f in "$root"/portlens-*/target/test-skips/*.other-system; do
    [ -s "$f" ] || continue
    module=$(basename "$(dirname "$(dirname "$(dirname "$f")")")")
    kind=$(basename "$f" .other-system)
    sed "s|^|  $module ($kind) |" "$f"
  done
fi
