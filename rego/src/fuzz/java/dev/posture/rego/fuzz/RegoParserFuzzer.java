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
 * evaluation error, with OPA's codes); any other exception, an "internal error" (the engine's boundaries turn
 * unexpected exceptions into one, see {@link #documented}), an unexpected exception of a builtin (contained by the
 * evaluator as that expression's builtin error, but reported through {@code EvalOptions.builtinFailure}), or a hang,
 * is a finding.
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
            } catch (RegoError e) {
                documented(e);
            }
        }
        PolicySet ps;
        try {
            ps = PolicySet.builder().v0Compatible(src.contains("{") && !src.contains(" if ")).module("fuzz.rego", src)
                    .printSink(s -> { }).maxSteps(200_000).timeout(Duration.ofSeconds(2)).maxMemory(64L << 20).build();
        } catch (RegoError e) {
            documented(e);
            return;
        }
        try {
            PreparedQuery q = ps.prepare("data");
            PreparedQuery.EvalOptions o = new PreparedQuery.EvalOptions();
            o.builtinFailure = (name, e) -> {
                // a builtin's unexpected exception is contained (undefined), but it is a bug: a finding
                throw new IllegalStateException("builtin " + name + " threw " + e, e);
            };
            q.eval((Value) null, o);
        } catch (RegoError e) {
            // evaluation errors (conflicts, limits, strict-mode builtin errors) are documented outcomes
            documented(e);
        }
    }

    /** Rethrows an error that stands for an unexpected exception caught at one of the engine's boundaries. */
    static void documented(RegoError e) {
        if (e.code().equals("eval_internal_error") || e.detail().startsWith("internal error")) {
            throw new IllegalStateException("engine boundary caught an unexpected exception: " + e.getMessage(), e);
        }
    }

    @FuzzTest
    void regression(byte[] data) {
        fuzzerTestOneInput(data);
    }
}
