#!/usr/bin/env bash
# Image analyzer benchmark through the real CLI. Builds OCI layout directories (no Docker needed):
#   - "debian": a Debian minimal root filesystem (debootstrap --variant=minbase bookworm), one gzip layer, when
#     debootstrap and a Debian mirror are reachable (skipped otherwise);
#   - "synthetic": ~1 GB uncompressed in 4 gzip layers of mixed files (random and text), with whiteouts.
# For each: the time merely to decompress its layers (gzip -dc > /dev/null, one after the other) against
# `posture scan DIR` (JVM start included), and the scan's peak RSS.
# Usage: scripts/bench-image.sh [debian] [synthetic]   (default both); RUNS=3 runs each (default 3);
#        KEEP=DIR keeps the built images in DIR (and reuses them when present).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-3}"
[ $# -eq 0 ] && set -- debian synthetic
WORK="${KEEP:-$(mktemp -d)}"
mkdir -p "$WORK"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
"$ROOT/posture" --version >/dev/null   # build outside the timing

# sha, oci_layout, build_debian (uses $WORK)
. "$ROOT/scripts/lib-images.sh"

build_synthetic() {
  local out="$WORK/synthetic"
  [ -f "$out/index.json" ] && return 0
  local tars=()
  for l in 1 2 3 4; do
    local dir="$WORK/syn$l"; rm -rf "$dir"; mkdir -p "$dir/opt/data$l" "$dir/usr/share/doc$l"
    # ~128 MB random (incompressible) in 64 files, ~128 MB text in 2,000 files
    for i in $(seq 1 64); do head -c 2M /dev/urandom > "$dir/opt/data$l/blob$i.bin"; done
    head -c 96M /dev/urandom | base64 -w 120 | split -b 64k -a 4 - "$dir/usr/share/doc$l/page"
    [ "$l" -gt 1 ] && touch "$dir/opt/.wh.data$((l - 1))"
    tar --numeric-owner -C "$dir" -cf "$WORK/syn$l.tar" .
    rm -rf "$dir"; tars+=("$WORK/syn$l.tar")
  done
  oci_layout "$out" "${tars[@]}"
  rm -f "${tars[@]}"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
for name in "$@"; do
  "build_$name" || continue
  dir="$WORK/$name"
  layers=$(python3 -c "import json,sys;d=sys.argv[1];m=json.load(open(d+'/index.json'))['manifests'][0]['digest'].split(':')[1];print(' '.join(d+'/blobs/sha256/'+l['digest'].split(':')[1] for l in json.load(open(d+'/blobs/sha256/'+m))['layers']))" "$dir")
  stored=$(du -cb $layers | tail -1 | cut -f1)
  for run in $(seq 1 "$RUNS"); do
    t0=$(date +%s.%N); for l in $layers; do gzip -dc "$l" > /dev/null; done; t1=$(date +%s.%N)
    gz=$(python3 -c "print($t1 - $t0)")
    set +e
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$ROOT/posture" scan "$dir" -q -f json -o "$WORK/out.json"
    code=$?
    set -e
    read -r secs kb < "$WORK/time"
    python3 - "$name" "$stored" "$gz" "$secs" "$kb" "$code" "$WORK/out.json" <<'PY'
import json, sys
name, stored, gz, secs, kb, code, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
r = json.load(open(out))
t = r["targets"][0] if r["targets"] else {}
print(f"{name}: {stored / 1e6:.0f} MB stored; gzip -dc {gz:.2f} s, posture scan {secs:.2f} s = {secs / gz:.2f}x, "
      f"peak RSS {kb / 1024:.0f} MB (exit {code}, target {t.get('status')}, {len(r['findings'])} findings)")
PY
  done
done
