#!/usr/bin/env bash
# Image sources, whole-source timings (rules/src/test/java/dev/posture/image/source/SourcesBench.java): one image
# of six gzip layers (TOTAL_MB uncompressed, text-like data) read through the OCI layout, OCI archive (1 and 2
# layers at a time), gzip'd archive and podman daemon sources, against `gzip -dc` of the same layers.
# The JVM gets a 64 MiB heap (BENCH_XMX to change it): a source that held a layer would run out of memory.
# Usage: scripts/bench-image-sources.sh [TOTAL_MB (256)] [RUNS (3)]; WORK=dir to keep the inputs elsewhere.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OFF="-o"; [ "${MVN_OFFLINE:-1}" = 0 ] && OFF=""
cd "$ROOT"
./mvnw -q $OFF -pl rules -am test-compile >&2
CP_FILE="$ROOT/rules/target/bench-classpath.txt"
./mvnw -q $OFF -pl rules dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >&2
CP="$ROOT/rules/target/test-classes:$ROOT/rules/target/classes:$ROOT/rego/target/classes:$(cat "$CP_FILE")"
WORK="${WORK:-$(mktemp -d /tmp/posture-bench-XXXXXX)}"
trap 'rm -rf "$WORK"' EXIT
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average:$(uptime | sed 's/.*load average://')"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$JAVA" -Xmx"${BENCH_XMX:-64m}" -cp "$CP" dev.posture.image.source.SourcesBench "$WORK" "${1:-256}" "${2:-3}"
