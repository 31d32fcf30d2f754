#!/bin/sh
# The last step of `mvn verify`: what the test runs of every module skipped, and why, one line each
# (written by org.portlens.testkit.SkipSummary). Nothing skipped: says so.
root="$1"
n=0
for f in "$root"/portlens-*/target/test-skips/*.txt; do
  [ -f "$f" ] && n=$((n + $(grep -c . "$f")))
done
if [ "$n" -eq 0 ]; then
  echo "[portlens tests] nothing was skipped"
  exit 0
fi
echo "[portlens tests] $n test(s) skipped; what each needs:"
for f in "$root"/portlens-*/target/test-skips/*.txt; do
  [ -s "$f" ] || continue
  module=$(basename "$(dirname "$(dirname "$(dirname "$f")")")")
  kind=$(basename "$f" .txt)
  sed "s|^|  $module ($kind) |" "$f"
done
