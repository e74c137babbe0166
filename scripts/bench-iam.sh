#!/usr/bin/env bash
# IAM analysis benchmark through the real CLI: N generated policies, one core, catalog loaded once.
# Prints policies/second for the whole run (JVM start, reading, parsing, analysis, JSON report).
# Usage: scripts/bench-iam.sh [N]   (default 10000)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-10000}"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
python3 "$ROOT/scripts/gen-iam-policies.py" "$DIR/policies" "$N"
"$ROOT/posture" --version >/dev/null   # build if needed, outside the timing
CPU="taskset -c 0"
command -v taskset >/dev/null || CPU=""
for run in 1 2 3; do
  start=$(date +%s.%N)
  set +e
  $CPU "$ROOT/posture" scan "$DIR/policies" -j 1 -q -f json -o "$DIR/out.json"
  code=$?
  set -e
  end=$(date +%s.%N)
  findings=$(python3 -c "import json,sys; print(len(json.load(open('$DIR/out.json'))['findings']))")
  python3 - "$start" "$end" "$N" "$code" "$findings" <<'PY'
import sys
s, e, n, code, f = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
print(f"{n} policies in {e - s:.2f} s on one core = {n / (e - s):.0f} policies/s (exit {code}, {f} findings)")
PY
done
