#!/usr/bin/env bash
# Kubernetes analyzer benchmark through the real CLI: N generated objects (workloads of every kind, Services,
# NetworkPolicies, RBAC, ConfigMaps, Lists, custom resources; scripts/gen-k8s-manifests.py, 500 per file) scanned
# with `posture scan DIR -f json -o /dev/null` on all cores. Prints wall time, resources/second and peak RSS
# (/usr/bin/time -f '%e %M') per run.
# Usage: scripts/bench-k8s.sh [N...]   (default: 1000 10000 50000); RUNS=3 runs each size (default 3).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-3}"
[ $# -eq 0 ] && set -- 1000 10000 50000
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
"$ROOT/posture" --version >/dev/null   # build (and the CDS archive) outside the timing
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
for N in "$@"; do
  python3 "$ROOT/scripts/gen-k8s-manifests.py" "$DIR/m$N" "$N"
  files=$(ls "$DIR/m$N" | wc -l)
  bytes=$(du -sb "$DIR/m$N" | cut -f1)
  for run in $(seq 1 "$RUNS"); do
    set +e
    /usr/bin/time -f '%e %M' -o "$DIR/time" "$ROOT/posture" scan "$DIR/m$N" -q -f json -o "$DIR/out.json"
    code=$?
    set -e
    read -r secs kb < "$DIR/time"
    python3 - "$N" "$files" "$bytes" "$secs" "$kb" "$code" "$DIR/out.json" <<'PY'
import json, sys
n, files, size, secs, kb, code, out = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
r = json.load(open(out))
failed = sum(1 for t in r["targets"] if t["status"] != "scanned")
print(f"{n:>6} objects in {files} files ({size / 1e6:.1f} MB): {secs:.2f} s = {n / secs:,.0f} resources/s, "
      f"peak RSS {kb / 1024:.0f} MB (exit {code}, {len(r['findings'])} findings, {failed} targets not scanned)")
PY
  done
  rm -rf "$DIR/m$N"
done
