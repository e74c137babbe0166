package dev.posture.rego.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.posture.rego.PolicySet;
import dev.posture.rego.PreparedQuery;
import dev.posture.rego.RegoError;
import dev.posture.rego.parser.Parser;
import dev.posture.rego.value.Value;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fuzz target of the Rego front end: any text, parsed as Rego v1 and v0, then compiled and evaluated (with small
 * limits) when it compiles. The only outcome allowed besides success is a {@link RegoError} (parse, compile or
 * evaluation error, with OPA's codes); any other exception, or a hang, is a finding.
 *
 * <p>{@code scripts/fuzz.sh} runs {@link #fuzzerTestOneInput} with Jazzer's libFuzzer driver; {@link #regression}
 * replays the seeds under JUnit ({@code ./mvnw -Pfuzz -pl rego test}).
 */
public final class RegoParserFuzzer {

    public static void fuzzerTestOneInput(byte[] data) {
        String src = new String(data, StandardCharsets.UTF_8);
        for (boolean v1 : new boolean[] {true, false}) {
            try {
                Parser.parseModule("fuzz.rego", src, v1);
            } catch (RegoError expected) {
                // a documented parse error
            }
        }
        PolicySet ps;
        try {
            ps = PolicySet.builder().v0Compatible(src.contains("{") && !src.contains(" if ")).module("fuzz.rego", src)
                    .printSink(s -> { }).maxSteps(200_000).timeout(Duration.ofSeconds(2)).maxMemory(64L << 20).build();
        } catch (RegoError expected) {
            return;
        }
        try {
            PreparedQuery q = ps.prepare("data");
            q.eval((Value) null, null);
        } catch (RegoError expected) {
            // evaluation errors (conflicts, limits, strict-mode builtin errors) are documented outcomes
        }
    }

    @FuzzTest
    void regression(byte[] data) {
        fuzzerTestOneInput(data);
    }
}
