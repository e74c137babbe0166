#!/usr/bin/env bash
# Shared part of scripts/bench-rego.sh and scripts/bench-iam-jmh.sh: builds the test classes of MODULE
# (and what it depends on), gets its test classpath from Maven and runs org.openjdk.jmh.Main.
# Usage: scripts/jmh-run.sh MODULE [JMH args...]. Defaults -f 1 -wi 3 -i 5, each unless given in the arguments, and
# the forks run with the launcher's collector (-XX:+UseSerialGC) unless any -jvmArgs* option is given (e.g.
# -jvmArgsAppend -XX:+UseG1GC to measure under G1);
# env: JMH_PREFIX (a command to run the JVM under, e.g. "taskset -c 0"), MVN_OFFLINE=0 to let Maven download.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODULE="$1"; shift
OFF="-o"; [ "${MVN_OFFLINE:-1}" = 0 ] && OFF=""
cd "$ROOT"
./mvnw -q $OFF -pl "$MODULE" -am test-compile >&2
CP_FILE="$ROOT/$MODULE/target/jmh-classpath.txt"
./mvnw -q $OFF -pl "$MODULE" -am dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$CP_FILE" >&2
CP="$ROOT/$MODULE/target/test-classes:$ROOT/$MODULE/target/classes:$(cat "$CP_FILE")"
# rules depends on rego: put rego's freshly compiled classes before any posture-rego jar on the classpath
[ "$MODULE" = rules ] && CP="$ROOT/rego/target/classes:$CP"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average:$(uptime | sed 's/.*load average://')" >&2
defaults=()
for d in "-f 1" "-wi 3" "-i 5"; do
  opt="${d% *}"
  given=0
  for a in "$@"; do [ "$a" = "$opt" ] && given=1; done
  [ $given = 1 ] || defaults+=($d)
done
gc=(-jvmArgsAppend -XX:+UseSerialGC)
for a in "$@"; do [[ $a == -jvmArgs* ]] && gc=(); done
# shellcheck disable=SC2086
exec ${JMH_PREFIX:-} "$JAVA" -cp "$CP" org.openjdk.jmh.Main "${defaults[@]}" "${gc[@]}" "$@"
