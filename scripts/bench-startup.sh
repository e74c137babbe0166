#!/usr/bin/env bash
# CLI start-up: median wall time of 9 runs of `./posture --version` against 9 runs of `java -version`
# (the floor any Java CLI pays), plus the jar size. Builds first and runs the launcher once so that it makes
# its class-data-sharing archive (scanner-cli/target/posture.jsa) outside the timing.
# Usage: scripts/bench-startup.sh [RUNS]   (default 9); SKIP_BUILD=1 to reuse the current jar.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${1:-9}"
cd "$ROOT"
[ "${SKIP_BUILD:-0}" = 1 ] || ./mvnw -q -o package -DskipTests
./posture --version >/dev/null
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
median() { # command...
  python3 - "$RUNS" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
t = []
for _ in range(runs):
    s = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    t.append((time.perf_counter() - s) * 1000)
t.sort()
print(f"{' '.join(cmd)}: median {statistics.median(t):.0f} ms (min {t[0]:.0f}, max {t[-1]:.0f}, {runs} runs)")
PY
}
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average:$(uptime | sed 's/.*load average://')"
median "$ROOT/posture" --version
median "$JAVA" -version
median "$ROOT/posture" --version
median "$JAVA" -version
echo "jar: $(du -h scanner-cli/target/posture.jar | cut -f1) ($(stat -c %s scanner-cli/target/posture.jar) bytes) scanner-cli/target/posture.jar"
echo "# load average after:$(uptime | sed 's/.*load average://')"
