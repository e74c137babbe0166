#!/usr/bin/env bash
# JMH benchmarks of the embedded Rego engine (rego/src/test/java/dev/posture/rego/bench):
#   RegoCompileBenchmark  parse+compile 100 modules               (target < 300 ms)
#   RegoEvalBenchmark     31 rules against one Deployment          (target median < 0.5 ms)
#   RegoScaleBenchmark    comprehensions over 1,000/10,000 items   (target 10x input -> <= 12x time)
# Usage: scripts/bench-rego.sh [REGEXP] [JMH options...]   e.g. scripts/bench-rego.sh RegoScale -prof gc
# Without REGEXP (no argument, or the first one is an option) all three run. JMH defaults -f 1 -wi 3 -i 5
# apply unless given.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -eq 0 ] || [[ $1 == -* ]]; then
  set -- 'dev\.posture\.rego\.bench\.' "$@"
fi
exec "$ROOT/scripts/jmh-run.sh" rego "$@"
