package dev.posture.rego.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.posture.rego.PolicySet;
import dev.posture.rego.QueryResult;
import dev.posture.rego.RegoError;
import dev.posture.rego.testing.TestOptions;
import dev.posture.rego.testing.TestReport;
import dev.posture.rego.testing.TestRunner;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile policies against the builtins: whatever a builtin throws becomes that expression's builtin error
 * (undefined, or eval_builtin_error with strict builtin errors), never a crash of the evaluation or of a test run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileBuiltinsTest {

    static PolicySet.Builder builder(boolean strict) {
        return PolicySet.builder().strictBuiltinErrors(strict)
                .customBuiltin("test.boom", 1, (a, c) -> {
                    throw new IllegalStateException("boom " + a[0]);
                })
                .customBuiltin("test.deep", 0, (a, c) -> {
                    throw new StackOverflowError();
                });
    }

    /** The value of x in {@code x := expr}, or "undefined". */
    static String q(String expr) {
        return q(expr, b -> { });
    }

    static String q(String expr, Consumer<PolicySet.Builder> configure) {
        PolicySet.Builder b = builder(false);
        configure.accept(b);
        QueryResult r = b.build().prepare("x := " + expr).eval((Value) null, null);
        return r.isEmpty() ? "undefined" : Json.toJson(r.rows().get(0).bindings().get("x")).toString();
    }

    /** The error of {@code x := expr} with strict builtin errors. */
    static RegoError strict(String expr) {
        return strict(expr, b -> { });
    }

    static RegoError strict(String expr, Consumer<PolicySet.Builder> configure) {
        PolicySet.Builder b = builder(true);
        configure.accept(b);
        PolicySet ps = b.build();
        return catchThrowableOfType(RegoError.class, () -> ps.prepare("x := " + expr).eval((Value) null, null));
    }

    @Test
    void unexpectedExceptionsOfABuiltinAreBuiltinErrors() {
        assertThat(q("test.boom(1)")).isEqualTo("undefined");
        assertThat(q("[test.boom(1), 2][1]")).isEqualTo("undefined");
        assertThat(q("[y | y := 1; not test.boom(2)]")).isEqualTo("[1]");
        RegoError e = strict("test.boom(1)");
        assertThat(e.code()).isEqualTo("eval_builtin_error");
        assertThat(e.detail()).isEqualTo("test.boom: boom 1");
        assertThat(q("test.deep()")).isEqualTo("undefined");
        assertThat(strict("test.deep()").detail()).isEqualTo("test.deep: value too deeply nested (stack overflow)");
    }

    @Test
    void invalidGlobsGiveTheGlobLibrarysErrors() {
        assertThat(q("glob.match(\"[z-a]\", [], \"a\")")).isEqualTo("undefined");
        assertThat(strict("glob.match(\"[z-a]\", [], \"a\")").detail())
                .isEqualTo("glob.match: hi character 'a' should be greater than lo 'z'");
        assertThat(strict("glob.match(\"a{b\", [], \"a\")").detail()).isEqualTo("glob.match: unexpected end of input");
        assertThat(strict("glob.match(\"a}\", [], \"a\")").detail()).isEqualTo("glob.match: unexpected end of input");
        assertThat(strict("glob.match(\"[a-bc]\", [], \"a\")").detail()).isEqualTo("glob.match: expected close range character");
        assertThat(strict("glob.match(\"[]\", [], \"a\")").detail()).isEqualTo("glob.match: could not parse range");
        assertThat(strict("glob.match(\"[abc\", [], \"a\")").detail()).isEqualTo("glob.match: unexpected end of input");
        // the lexer reads a class whole before the parser checks its range
        assertThat(strict("glob.match(\"[z-a\", [], \"a\")").detail()).isEqualTo("glob.match: unexpected end of input");
    }

    @Test
    void globClassesAndLiteralsAsTheGlobLibraryReadsThem() {
        assertThat(q("glob.match(\"[abc-z]\", [], \"d\")")).as("'-' is a literal in a list").isEqualTo("false");
        assertThat(q("glob.match(\"[abc-z]\", [], \"-\")")).isEqualTo("true");
        assertThat(q("glob.match(\"[!a-c]\", [\".\"], \".\")")).as("negated classes may match a separator").isEqualTo("true");
        assertThat(q("glob.match(\"a,b\", [], \"a,b\")")).isEqualTo("true");
        assertThat(q("glob.match(\"{a,b}c\", [], \"bc\")")).isEqualTo("true");
        assertThat(q("glob.match(\"a]\", [], \"a]\")")).isEqualTo("true");
        assertThat(q("glob.match(\"[\\\\]]\", [], \"]\")")).isEqualTo("true");
        assertThat(q("glob.match(\"(a|b)$^.+\", [], \"(a|b)$^.+\")")).isEqualTo("true");
        assertThat(q("glob.match(\"**.com\", [\".\"], \"a.b.com\")")).isEqualTo("true");
        assertThat(q("glob.match(\"*.com\", [\".\"], \"a.b.com\")")).isEqualTo("false");
    }

    @Test
    void aTestWhoseBuiltinThrowsIsAnErrorAndTheOthersStillRun(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p_test.rego"), """
                package p
                test_glob if glob.match("[z-a]", [], "a")
                test_boom if test.boom(1)
                test_ok if true
                test_bad if false
                """);
        TestOptions opts = TestOptions.defaults().withConfigure(b -> b.customBuiltin("test.boom", 1, (a, c) -> {
            throw new IllegalArgumentException("bad");
        }));
        TestReport r = TestRunner.run(List.of(dir), opts);
        assertThat(r.results()).extracting(TestReport.TestResult::name).containsExactly("test_glob", "test_boom", "test_ok", "test_bad");
        assertThat(r.passed()).isEqualTo(1);
        assertThat(r.failed()).isEqualTo(3);
    }

    @Test
    void regexesOverGosLimitsAreRefusedAtCompileTime() {
        // nested counted repetitions whose product is over 1000: Go's "invalid repeat count" for the outer one
        String nested = "((((a{100}){100}){100}){100})";
        assertThat(strict("regex.match(\"" + nested + "\", \"b\")").detail())
                .isEqualTo("regex.match: error parsing regexp: invalid repeat count: `{100}`");
        assertThat(q("regex.match(\"" + nested + "\", \"b\")")).isEqualTo("undefined");
        assertThat(q("regex.is_valid(\"" + nested + "\")")).isEqualTo("false");
        assertThat(q("regex.is_valid(\"(a{10}){100}\")")).isEqualTo("true");
        assertThat(q("regex.is_valid(\"(a{10}){101}\")")).isEqualTo("false");
        assertThat(q("regex.is_valid(\"(a{0}){1000}(b{1000})*\")")).as("a zero count and stars do not count").isEqualTo("true");
        assertThat(strict("regex.match(\"a{1001}\", \"b\")").detail())
                .isEqualTo("regex.match: error parsing regexp: invalid repeat count: `{1001}`");
        // a program over Go's size limit (3,355,443 instructions): a 3,400-character literal repeated 1000 times
        String large = "(" + "x".repeat(3_400) + "){1000}";
        assertThat(strict("regex.match(\"" + large + "\", \"b\")").detail())
                .startsWith("regex.match: error parsing regexp: expression too large: `(xxx");
        assertThat(q("regex.is_valid(\"(" + "x".repeat(30) + "){1000}\")")).isEqualTo("true");
        // nesting deeper than 1000
        String deep = "(".repeat(1_001) + "a" + ")".repeat(1_001);
        assertThat(strict("regex.match(\"" + deep + "\", \"a\")").detail())
                .startsWith("regex.match: error parsing regexp: expression nests too deeply: `((((");
        assertThat(q("regex.match(\"" + "(".repeat(500) + "a" + ")".repeat(500) + "\", \"a\")")).isEqualTo("true");
        // every regex builtin compiles through the same check
        for (String call : List.of("regex.find_n(\"%s\", \"b\", -1)", "regex.split(\"%s\", \"b\")",
                "regex.replace(\"b\", \"%s\", \"c\")", "regex.find_all_string_submatch_n(\"%s\", \"b\", -1)",
                "regex.template_match(\"{%s}\", \"b\", \"{\", \"}\")")) {
            String expr = String.format(call, nested);
            assertThat(q(expr)).as(expr).isEqualTo("undefined");
            assertThat(strict(expr).detail()).as(expr).contains("error parsing regexp: invalid repeat count: `{100}`");
        }
    }

    @Test
    void sprintfWidthsAndPrecisionsAreCappedAsInGo() {
        // digits running past Go's 1e6 limit: fmt gives up on the directive, the argument is left over
        assertThat(q("sprintf(\"%02000000000d\", [1])")).isEqualTo("\"%!(NOVERB)%!(EXTRA int=1)\"");
        assertThat(q("sprintf(\"%099999999999d\", [1])")).isEqualTo("\"%!(NOVERB)%!(EXTRA int=1)\"");
        assertThat(q("sprintf(\"x%.99999999999f\", [1.5])")).isEqualTo("\"x%!(NOVERB)%!(EXTRA float64=1.5)\"");
        // from an argument: BADWIDTH / BADPREC, and the verb still prints
        assertThat(q("sprintf(\"%*d\", [2000000, 1])")).isEqualTo("\"%!(BADWIDTH)1\"");
        assertThat(q("sprintf(\"%.*f\", [2000000, 1.5])")).isEqualTo("\"%!(BADPREC)1.500000\"");
        assertThat(q("sprintf(\"%*d|%-*d|\", [4, 42, -4, 7])")).isEqualTo("\"  42|7   |\"");
        assertThat(q("sprintf(\"%[2]d %[1]s\", [\"a\", 2])")).isEqualTo("\"2 a\"");
        assertThat(q("sprintf(\"%[3]d\", [1])")).isEqualTo("\"%!d(BADINDEX)\"");
        // up to the limit is allowed, as in Go
        assertThat(q("count(sprintf(\"%01000000d\", [7]))")).isEqualTo("1000000");
    }

    @Test
    void printingAValueThatSharesItsPartsIsChargedAsPrinted() {
        StringBuilder m = new StringBuilder("package p\na0 := [\"xxxxxxxxxx\"]\n");
        for (int i = 1; i <= 9; i++) {
            m.append("a").append(i).append(" := [").append(String.join(", ", java.util.Collections.nCopies(10, "a" + (i - 1))))
                    .append("]\n");
        }
        m.append("r := sprintf(\"%v\", [a9])\n");
        PolicySet ps = PolicySet.builder().module("p.rego", m.toString()).build();
        RegoError e = catchThrowableOfType(RegoError.class, () -> ps.prepare("data.p.r").eval((Value) null, null));
        assertThat(e.code()).isEqualTo("eval_cancel_error");
        assertThat(e.detail()).contains("memory budget of");
    }

    static RegoError cancel(String expr, Consumer<PolicySet.Builder> configure) {
        PolicySet.Builder b = PolicySet.builder();
        configure.accept(b);
        PolicySet ps = b.build();
        RegoError e = catchThrowableOfType(RegoError.class, () -> ps.prepare("x := " + expr).eval((Value) null, null));
        assertThat(e).as(expr).isNotNull();
        assertThat(e.code()).as(expr).isEqualTo("eval_cancel_error");
        return e;
    }

    @Test
    void theMemoryBudgetBoundsWhatAQueryBuilds() {
        String mib = "memory budget of ";
        Consumer<PolicySet.Builder> small = b -> b.maxMemory(8 << 20);
        // refused before anything is built, with the default budget
        assertThat(cancel("numbers.range(1, 4e7)", b -> { }).detail()).contains(mib);
        assertThat(cancel("count(concat(\"\", [sprintf(\"%01000000d\", [1]) | numbers.range(1, 1000)[_]]))", small).detail())
                .contains(mib);
        assertThat(cancel("count(replace(sprintf(\"%01000000d\", [1]), \"\", sprintf(\"%01000000d\", [1])))", small)
                .detail()).contains(mib);
        assertThat(cancel("count(strings.replace_n({\"\": sprintf(\"%0100000d\", [1])}, sprintf(\"%0100000d\", [1])))",
                small).detail()).contains(mib);
        assertThat(cancel("count(regex.replace(sprintf(\"%0100000d\", [1]), \"\", sprintf(\"%010000d\", [1])))", small)
                .detail()).contains(mib);
        assertThat(cancel("count(split(sprintf(\"%0999999d\", [1]), \"\"))", small).detail()).contains(mib);
        // comprehensions and their elements, with a small budget
        assertThat(cancel("count([i | numbers.range(1, 100000)[i]])", b -> b.maxMemory(1 << 20)).detail())
                .contains("memory budget of 1 MiB");
        assertThat(q("count([i | numbers.range(1, 100000)[i]])")).isEqualTo("100000");
        // a budget of 0 means none
        assertThat(q("count(numbers.range(1, 1e6))", b -> b.maxMemory(0))).isEqualTo("1000000");
        // exact arithmetic does not build numbers of a billion digits
        assertThat(strict("1e100000000 + 1").detail()).isEqualTo("plus: number too large (more than 100000 digits)");
        assertThat(q("round(1e100000000) == 1e100000000")).isEqualTo("true");
    }

    @Test
    void theDeadlineIsSeenInsideLongBuiltins() {
        // no budget: only the deadline can stop these
        assertThat(cancel("count(numbers.range(1, 49000000))", b -> b.maxMemory(0).timeout(java.time.Duration.ofMillis(20)))
                .detail()).isEqualTo("evaluation deadline exceeded");
        // a complete graph of 12 nodes has 12! paths
        StringBuilder g = new StringBuilder("{");
        for (int i = 0; i < 12; i++) {
            g.append(i > 0 ? ", " : "").append('"').append(i).append("\": [");
            for (int j = 0; j < 12; j++) {
                g.append(j > 0 ? ", " : "").append('"').append(j).append('"');
            }
            g.append(']');
        }
        g.append('}');
        assertThat(cancel("count(graph.reachable_paths(" + g + ", [\"0\"]))",
                b -> b.maxMemory(0).timeout(java.time.Duration.ofMillis(50))).detail()).isEqualTo("evaluation deadline exceeded");
    }

    @Test
    void builtinsThatBacktrackedOnLongDigitRunsAreLinear() {
        String digits = "\"" + "1".repeat(200_000);
        assertThat(q("time.parse_duration_ns(" + digits + "\")")).isEqualTo("undefined");
        assertThat(q("to_number(" + digits + "x\")")).isEqualTo("undefined");
        assertThat(q("units.parse(" + digits + "!\")")).isEqualTo("undefined");
        assertThat(q("semver.is_valid(\"1.0.0-" + "1".repeat(200_000) + "!\")")).isEqualTo("false");
        assertThat(q("time.parse_duration_ns(\"1h30m1.5s\")")).isEqualTo("5401500000000");
        assertThat(q("units.parse(\"10Ki\")")).isEqualTo("10240");
    }
}
