#!/usr/bin/env bash
# Builds another revision of portlens beside this one, for PORTLENS_BASELINE:
#
#   bench/baseline.sh REV        # e.g. bench/baseline.sh HEAD~5; prints the launcher's path
#   PORTLENS_BASELINE=$(bench/baseline.sh REV) bench/run.sh --scenario light
#
# The revision is checked out with `git worktree` under bench/target/baseline-REV and built
# with Maven (tests skipped); its launcher then keeps its own class-data archive, as a user's would.
set -euo pipefail
rev="${1:?usage: bench/baseline.sh REV}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sha="$(git -C "$root" rev-parse --short "$rev^{commit}")" \
    || { echo "baseline.sh: '$rev' is not a revision of this repository" >&2; exit 2; }
dir="$root/bench/target/baseline-$sha"
if [ ! -d "$dir" ]; then
    mkdir -p "$root/bench/target"
    git -C "$root" worktree add --detach "$dir" "$sha" >&2
fi
if [ ! -f "$dir/portlens-cli/target/portlens.jar" ]; then
    (cd "$dir" && mvn -B -q -DskipTests package >&2)
fi
echo "$dir/portlens"
