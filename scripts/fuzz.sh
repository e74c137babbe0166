#!/usr/bin/env bash
# Runs each Jazzer fuzz target for a fixed time (seconds per target, default 60), one after the other.
#
#   scripts/fuzz.sh            # 60 s per target
#   scripts/fuzz.sh 300 rego   # 300 s, only the targets whose name contains "rego"
#
# Targets live in <module>/src/fuzz/java and are compiled only by the Maven profile `fuzz` (which adds
# com.code-intelligence:jazzer-junit; the first run downloads it from Maven Central). Findings (crash-*, timeout-*)
# and the growing corpus go to target/fuzz/<name>/. A finding makes the script exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${1:-60}"
ONLY="${2:-}"

# name | module | class | seed directories (read only; libFuzzer reads them recursively) | dictionary | classes whose
# coverage guides the fuzzer
TARGETS=(
  "rego-parser|rego|dev.posture.rego.fuzz.RegoParserFuzzer|policies rego/src/test/resources/compat|scripts/fuzz/rego.dict|dev.posture.**:com.google.re2j.**"
  "document-parser|rules|dev.posture.document.DocumentParserFuzzer|fixtures||dev.posture.**:org.yaml.snakeyaml.**:com.fasterxml.jackson.**"
)

modules=$(for t in "${TARGETS[@]}"; do IFS='|' read -r _ m _ _ _ _ <<<"$t"; echo "$m"; done | sort -u | paste -sd, -)
echo "fuzz.sh: compiling the fuzz targets of $modules ..." >&2
# one invocation, so that a module's classpath names its sibling modules' target/classes (the reactor), not
# whatever snapshot jar another build installed in ~/.m2
./mvnw -q -B -Pfuzz -pl "$modules" -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/fuzz-classpath.txt >&2

status=0
for t in "${TARGETS[@]}"; do
  IFS='|' read -r name module class seeds dict includes <<<"$t"
  if [[ -n "$ONLY" && "$name" != *"$ONLY"* ]]; then
    continue
  fi
  out="target/fuzz/$name"
  mkdir -p "$out/corpus"
  touch "$out/corpus" # findings of this run are the files newer than this
  cp="$module/target/test-classes:$module/target/classes:$(cat "$module/target/fuzz-classpath.txt")"
  args=(--target_class="$class" --instrumentation_includes="$includes"
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$out/")
  if [[ -n "$dict" ]]; then
    args+=(-dict="$dict")
  fi
  echo "fuzz.sh: $name ($class) for ${SECONDS_PER_TARGET}s; findings in $out/" >&2
  # shellcheck disable=SC2086
  if ! java -Xmx2g -XX:-OmitStackTraceInFastThrow -cp "$cp" com.code_intelligence.jazzer.Jazzer "${args[@]}" \
      "$out/corpus" $seeds 2>&1 | tee "$out/log.txt" | grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^==|Uncaught|FuzzerSecurityIssue|DEDUP_TOKEN|^Done|artifact" >&2; then
    :
  fi
  findings=$(find "$out" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) -newer "$out/corpus" | sort)
  if [[ -n "$findings" ]]; then
    echo "fuzz.sh: $name found something (reproduce: java -cp <classpath> com.code_intelligence.jazzer.Jazzer --target_class=$class FILE):" >&2
    echo "$findings" >&2
    status=1
  fi
done
exit $status
