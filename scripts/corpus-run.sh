#!/usr/bin/env bash
# Scans directories as a user would (fetched snapshots of public template collections, or any
# repository) and prints, per directory: files looked at, candidates, scanned, failed (with the
# reasons), unrecognised, findings per control, wall time and peak RSS.
#
# Usage: scripts/corpus-run.sh [-m] DIR...
#   -m   print a Markdown table row per directory too (for docs/real-world.md)
# Needs: bash, python3, GNU time (/usr/bin/time). Reports are kept in $CORPUS_OUT (default: a temp dir).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
markdown=0
if [ "${1:-}" = "-m" ]; then markdown=1; shift; fi
[ $# -gt 0 ] || { echo "usage: $0 [-m] DIR..." >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "$0: needs GNU time (apt-get install time)" >&2; exit 2; }
OUT="${CORPUS_OUT:-$(mktemp -d)}"
mkdir -p "$OUT"

# build once, outside the timing
"$ROOT/posture" --version >/dev/null

rows=()
for dir in "$@"; do
  name="$(basename "$(cd "$dir" && pwd)")"
  report="$OUT/$name.json"
  set +e
  /usr/bin/time -f '%e %M' -o "$OUT/$name.time" "$ROOT/posture" scan "$dir" -f "json=$report" \
    --no-progress -q >/dev/null 2>"$OUT/$name.err"
  code=$?
  set -e
  read -r secs kb < <(tail -1 "$OUT/$name.time")  # GNU time puts "Command exited with …" first
  commit="$(git -C "$dir" rev-parse --short HEAD 2>/dev/null || echo -)"
  row="$(python3 - "$report" "$dir" "$name" "$commit" "$code" "$secs" "$kb" "$markdown" <<'PY'
import collections, json, os, sys
report, d, name, commit, code, secs, kb, md = sys.argv[1:]
exts = (".json", ".yaml", ".yml", ".template", ".tar", ".tgz", ".gz")
skip = {".git", ".hg", ".svn", "node_modules", "target", ".terraform", ".serverless", ".aws-sam",
        "cdk.out.bak", ".idea", ".vscode", "__pycache__", ".venv"}
files = 0
for root, dirs, fs in os.walk(d):
    dirs[:] = [x for x in dirs if x not in skip]
    files += sum(1 for f in fs if f.lower().endswith(exts))
r = json.load(open(report))
status = collections.Counter(t["status"] for t in r["targets"])
failed = [t for t in r["targets"] if t["status"] == "failed"]
controls = collections.Counter(f["control"] for f in r["findings"] if not f.get("suppressed"))
unrec = len(r.get("unrecognised", []))
# a location must name a file the user has (SARIF viewers and code scanning open it)
missing = sum(1 for f in r["findings"] if f.get("location") and f["location"].get("file")
              and not os.path.isfile(f["location"]["file"]))
no_line = sum(1 for f in r["findings"] if f.get("location") and not f["location"].get("line"))
print(f"== {name} (commit {commit}): exit {code}, {secs} s, peak RSS {int(kb) // 1024} MB", file=sys.stderr)
print(f"   files {files}, candidates {len(r['targets'])}, scanned {status['scanned']}, "
      f"failed {status['failed']}, skipped {status['skipped']}, unrecognised {unrec}", file=sys.stderr)
for t in failed:
    print(f"   failed: {t['error'][:200]}", file=sys.stderr)
reasons = collections.Counter(u["reason"].split(" (")[0] if u["reason"].startswith("not valid") else
                              ("top-level keys …" if u["reason"].startswith("top-level keys") else u["reason"])
                              for u in r.get("unrecognised", []))
print("   unrecognised: " + ", ".join(f"{n} {k}" for k, n in reasons.most_common(6)), file=sys.stderr)
print(f"   locations: {missing} at a file that does not exist, {no_line} without a line", file=sys.stderr)
print(f"   findings {sum(controls.values())}: " + ", ".join(f"{k} {n}" for k, n in sorted(controls.items())),
      file=sys.stderr)
if md == "1":
    print(f"| {name} | `{commit}` | {files} | {len(r['targets'])} | {status['scanned']} | {status['failed']} "
          f"| {unrec} | {sum(controls.values())} | {secs} s | {int(kb) // 1024} MB |")
PY
)"
  [ -n "$row" ] && rows+=("$row")
done
if [ "$markdown" = 1 ]; then
  echo "| collection | commit | files | candidates | scanned | failed | unrecognised | findings | time | peak RSS |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
fi
echo "reports in $OUT" >&2
