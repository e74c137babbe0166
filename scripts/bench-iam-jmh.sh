#!/usr/bin/env bash
# JMH benchmark of the IAM analysis (rules/src/test/java/dev/posture/iam/analysis/IamAnalysisBenchmark.java):
# 10,000 generated policies per operation, bundled catalog loaded once; the score is policies/second.
# Runs the JVM on ONE core (taskset -c 0, when taskset exists): the issue's target is >= 5,000 policies/s
# on one core. BENCH_CORES=all runs it without taskset.
# Usage: scripts/bench-iam-jmh.sh [REGEXP] [JMH options...]; JMH defaults -f 1 -wi 3 -i 5 apply unless given.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${BENCH_CORES:-1}" != all ] && command -v taskset >/dev/null; then
  export JMH_PREFIX="taskset -c 0"
fi
if [ $# -eq 0 ] || [[ $1 == -* ]]; then
  set -- 'dev\.posture\.iam\.analysis\.IamAnalysisBenchmark' "$@"
fi
exec "$ROOT/scripts/jmh-run.sh" rules "$@"
