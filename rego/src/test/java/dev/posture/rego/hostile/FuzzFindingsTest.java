package dev.posture.rego.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.posture.rego.PolicySet;
import dev.posture.rego.RegoError;
import dev.posture.rego.value.Value;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs on which the Rego fuzz target (scripts/fuzz.sh, RegoParserFuzzer) found a crash, reduced by hand: each must
 * end in a documented error (RegoError) or a result, never in another exception.
 */
class FuzzFindingsTest {

    static Throwable compileAndEval(String src) {
        return catchThrowable(() -> {
            PolicySet ps = PolicySet.builder().module("fuzz.rego", src).printSink(s -> { }).maxSteps(200_000)
                    .timeout(Duration.ofSeconds(2)).build();
            ps.prepare("data").eval((Value) null, null);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // assign/eq called with the wrong number of arguments: IndexOutOfBoundsException in the compiler
            "package p\nx if assign(1)\n",
            "package p\nx if assign(a, 1, 2)\n",
            "package p\nx if eq(1)\n",
            "package p\nx if { assign(y) }\n",
            // a complete rule and a rule with a variable key at one path: ArrayIndexOutOfBoundsException in the
            // evaluator (found once the fuzz target also counted errors caught at the query boundary)
            "package p\nt := true\nt[k] if {\n\tsome k in [1]\n}\n",
            "package p\nt[k] if {\n\tsome k in []\n}\nt\n",
            "package p\nt contains 1\nt[k] := 2 if {\n\tsome k in [1]\n}\n",
    })
    void endsInADocumentedError(String src) {
        Throwable t = compileAndEval(src);
        assertThat(t).as(src).isInstanceOf(RegoError.class);
        assertThat(((RegoError) t).code()).isNotEqualTo("eval_internal_error");
        assertThat(t.getMessage()).doesNotContain("internal error");
    }
}
