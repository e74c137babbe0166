#!/usr/bin/env bash
# Vulnerability matching benchmark through the real CLI: a Debian 12 minimal image (debootstrap, as
# bench-image.sh builds it) against a synthetic OSV database of N records (scripts/gen-osv-db.py; default
# 100,000). Prints, per run, what `posture sbom IMAGE --vuln-db DIR -v` reports: database load time and matching
# time (both inside one JVM, start-up excluded), and the whole command's wall time.
# Usage: scripts/bench-vuln.sh [N]   RUNS=3 (default); KEEP=DIR keeps the image and database in DIR.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-100000}"
RUNS="${RUNS:-3}"
WORK="${KEEP:-$(mktemp -d)}"
mkdir -p "$WORK"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
"$ROOT/posture" --version >/dev/null
. "$ROOT/scripts/lib-images.sh"
build_debian || { echo "no Debian image (debootstrap failed)"; exit 1; }
if [ ! -f "$WORK/osv-$N/Debian/all.zip" ]; then
  python3 "$ROOT/scripts/gen-osv-db.py" "$WORK/osv-$N" "$N" "$WORK/dpkg-status"
fi
echo "database: $N records, $(du -sh "$WORK/osv-$N" | cut -f1) zipped; image: $WORK/debian"
for i in $(seq "$RUNS"); do
  start=$(date +%s.%N)
  "$ROOT/posture" sbom "$WORK/debian" --vuln-db "$WORK/osv-$N" -v -o "$WORK/bom.json" 2>&1 \
    | grep -E "records loaded|packages matched" | sed 's/^posture: /  /'
  end=$(date +%s.%N)
  echo "  run $i: wall $(echo "$end - $start" | bc) s"
done
