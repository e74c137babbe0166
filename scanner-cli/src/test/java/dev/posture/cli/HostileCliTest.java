package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile inputs through the real CLI: {@code posture scan} reports every input as a target, prints
 * no stack trace and exits 3 when one failed; {@code posture policy eval} ends hostile modules and
 * inputs with a clear error (or OPA's undefined), never a hang or a StackOverflowError.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String POLICY = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}";

    @Test
    void hostileDirectoryEndsEveryFileAsATargetAndExitsThree(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("laughs.yaml"), "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                + "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                + "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                + "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n");
        Files.writeString(dir.resolve("deep.json"), "[".repeat(100_000) + "]".repeat(100_000));
        Files.writeString(dir.resolve("deep.yaml"), "- ".repeat(100_000) + "x\n");
        Files.writeString(dir.resolve("long.yaml"), "Statement: " + "x".repeat(5_000_000) + "\n");
        Files.writeString(dir.resolve("dup.json"), "{\"Statement\": [], \"Statement\": []}");
        Files.write(dir.resolve("bin.yaml"), new byte[] {(byte) 0xff, 0, (byte) 0xfe});
        Files.writeString(dir.resolve("empty.json"), "");
        Files.createDirectory(dir.resolve("x.json"));
        Files.createSymbolicLink(dir.resolve("loop.yaml"), Path.of("loop.yaml"));
        try (var out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("bomb.tar.gz")))) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 100; i++) {
                out.write(zeros);
            }
        }
        Files.writeString(dir.resolve("ok.json"), POLICY);
        Cli r = run("scan", dir.toString(), "-f", "json", "--no-progress");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(r.err()).doesNotContain("\tat ", "Exception", "internal error").contains("scan incomplete");
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.at("/scan/incomplete").asBoolean()).isTrue();
        Map<String, String> status = new HashMap<>();
        for (JsonNode t : report.get("targets")) {
            String name = Path.of(t.get("name").asText()).getFileName().toString();
            status.put(name, t.get("status").asText());
            if (!t.get("status").asText().equals("scanned")) {
                assertThat(t.get("error").asText()).as(name).isNotBlank().doesNotContain("\n", "Exception");
            }
            if (t.get("status").asText().equals("failed")) {
                assertThat(t.get("error").asText()).startsWith(t.get("name").asText());
            }
        }
        // candidates that cannot be read fail; a duplicate key is read (last value, with a warning)
        assertThat(status).containsEntry("long.yaml", "failed").containsEntry("dup.json", "scanned")
                .containsEntry("loop.yaml", "skipped").containsEntry("ok.json", "scanned").hasSize(4);
        // files that are no input are listed with the reason, not lost and not failed
        Map<String, String> unrecognised = new HashMap<>();
        for (JsonNode u : report.get("unrecognised")) {
            unrecognised.put(Path.of(u.get("path").asText()).getFileName().toString(), u.get("reason").asText());
        }
        assertThat(unrecognised).containsOnlyKeys("laughs.yaml", "deep.json", "deep.yaml", "bin.yaml", "empty.json",
                "bomb.tar.gz");
        assertThat(unrecognised.get("bomb.tar.gz")).contains("not a tar archive");
        assertThat(unrecognised.get("bin.yaml")).contains("binary content");
        assertThat(unrecognised.get("deep.yaml")).contains("nesting deeper than 400 levels");
    }

    @Test
    void tableOutputShowsTheFailuresWithoutStackTraces(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "Resources: [\n");
        Cli r = run("scan", bad.toString(), "-f", "table", "--no-color");
        assertThat(r.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(r.out()).contains(bad + ":").contains("invalid YAML");
        assertThat(r.out() + r.err()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void namedFifoFailsClearlyInsteadOfBlocking(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("x.yaml");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo is not available");
        Path ok = Files.writeString(dir.resolve("ok.json"), POLICY);
        Cli r = run("scan", fifo.toString(), ok.toString(), "-f", "json");
        assertThat(r.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(r.out()).contains("not a regular file").contains("posture scan -");
        // and the way the message points to works
        Cli viaStdin = Cli.runWithStdin(POLICY, Map.of(), "scan", "-", "-f", "json");
        assertThat(viaStdin.exit()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void hostileStdin() throws Exception {
        Cli deep = Cli.runWithStdin("{\"Statement\": " + "[".repeat(100_000), Map.of(), "scan", "-", "-f", "json");
        assertThat(deep.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(JSON.readTree(deep.out()).at("/targets/0/error").asText())
                .startsWith("stdin:").contains("nesting deeper than 400 levels");
        Cli dup = Cli.runWithStdin("Statement: []\nStatement: []\n", Map.of(), "scan", "-", "-f", "json");
        assertThat(dup.exit()).isEqualTo(ExitCodes.OK);
        assertThat(dup.out()).contains("key 'Statement' is written twice (lines 1 and 2)");
    }

    @Test
    void secretsInBrokenFilesNeverReachAReportOrTheTerminal(@TempDir Path dir) throws Exception {
        String github = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
        String stripe = "sk_live_" + "51HqZx2eZvKYlo2C0aBcDeFgHiJ";
        String password = "hunter2" + "Correct_Horse_Battery";
        // bare tokens break JSON: the parser's message used to quote them whole
        Path a = Files.writeString(dir.resolve("a.json"), "{\"Statement\": [], \"GITHUB_TOKEN\": " + github + "}");
        Path b = Files.writeString(dir.resolve("b.json"), "{\"Statement\": [], \"key\": " + stripe + "}");
        Path c = Files.writeString(dir.resolve("c.json"), "{\"Statement\": [], \"pw\": " + password + "}");
        // a policy string in a template that quotes a token in its broken JSON
        Path d = Files.writeString(dir.resolve("d.yaml"), "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
                + "  R:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: p\n"
                + "          PolicyDocument: '{\"Statement\": " + github + "}'\n");
        Path sarif = dir.resolve("out.sarif");
        Cli r = run("scan", a.toString(), b.toString(), c.toString(), d.toString(), "-f", "json", "-f",
                "sarif=" + sarif, "-f", "table=" + dir.resolve("out.txt"), "--no-progress");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.INCOMPLETE);
        String all = r.out() + r.err() + Files.readString(sarif) + Files.readString(dir.resolve("out.txt"));
        assertThat(all).contains("unrecognised token of " + github.length() + " characters")
                .doesNotContain(github, stripe, password, github.substring(4), password.substring(7));
    }

    // ---------------------------------------------------------------- posture policy eval

    private static Cli eval(Path dir, String module, String query, String input) throws Exception {
        Path m = Files.writeString(dir.resolve("p.rego"), module);
        if (input == null) {
            return run("policy", "eval", "-d", m.toString(), query);
        }
        Path in = Files.writeString(dir.resolve("input.json"), input);
        return run("policy", "eval", "-d", m.toString(), "-i", in.toString(), query);
    }

    @Test
    void recursiveFunctionsAreACompileError(@TempDir Path dir) throws Exception {
        Cli r = eval(dir, "package p\nf(x) := y if { y := f(x) }\nr := f(1)\n", "data.p.r", null);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("rego_recursion_error");
        Cli mutual = eval(dir, "package p\na if b\nb if a\n", "data.p.a", null);
        assertThat(mutual.exit()).isEqualTo(1);
        assertThat(mutual.err()).contains("recursive");
    }

    @Test
    void deeplyNestedModulesFailWithoutStackOverflow(@TempDir Path dir) throws Exception {
        Cli arrays = eval(dir, "package p\nr := " + "[".repeat(100_000) + "]".repeat(100_000) + "\n", "data.p.r", null);
        assertThat(arrays.exit()).isEqualTo(1);
        assertThat(arrays.err()).contains("nested deeper than 500 levels").doesNotContain("StackOverflowError", "\tat ");
        Cli sums = eval(dir, "package p\nr := " + "1 + ".repeat(100_000) + "1\n", "data.p.r", null);
        assertThat(sums.exit()).isEqualTo(1);
        assertThat(sums.err()).contains("too deeply nested").doesNotContain("StackOverflowError", "\tat ");
    }

    @Test
    void hugeRangesAndCatastrophicRegexesEndQuickly(@TempDir Path dir) throws Exception {
        // builtin errors make the expression undefined, as in OPA without --strict-builtin-errors
        Cli range = eval(dir, "package p\nr := count(numbers.range(1, 1e12))\n", "data.p.r", null);
        assertThat(range.exit()).isEqualTo(0);
        assertThat(JSON.readTree(range.out()).has("result")).isFalse();
        Cli regex = eval(dir, "package p\nr := regex.match(\"^(a+)+$\", input.s)\ne := regex.match(\"(x+x+)+y\", input.s)\n",
                "data.p", "{\"s\": \"" + "a".repeat(100_000) + "!\"}");
        assertThat(regex.exit()).isEqualTo(0);
        // linear-time RE2 matching: the answers themselves, not a give-up
        JsonNode p = JSON.readTree(regex.out()).at("/result/0/expressions/0/value");
        assertThat(p.get("r").asBoolean(true)).isFalse();
        assertThat(p.get("e").asBoolean(true)).isFalse();
    }

    @Test
    void policyTestWithAnUnparseableDataFileIsAnErrorNotACrash(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.rego"), "package p\ntest_ok if true\n");
        Files.writeString(dir.resolve("data.json"), "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000));
        Cli r = run("policy", "test", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("data.json").doesNotContain("internal error", "\tat ");
    }

    @Test
    void hostileInputsNameTheFile(@TempDir Path dir) throws Exception {
        Cli deep = eval(dir, "package p\nr := json.marshal(input)\n", "data.p.r", "[".repeat(100_000));
        assertThat(deep.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(deep.err()).contains("input.json:1:", "nesting deeper than 400 levels").doesNotContain("\tat ");
        Cli nearLimit = eval(dir, "package p\nr := count(json.marshal(input))\ns := count(input.x)\n", "data.p",
                "{\"x\": \"" + "x".repeat(10_000_000) + "\", \"y\": " + "[".repeat(390) + "]".repeat(390) + "}");
        assertThat(nearLimit.exit()).as(nearLimit.err()).isEqualTo(0);
        // as opa eval (Go's encoding/json): the last value of a duplicate key
        Cli dup = eval(dir, "package p\nr := input\n", "data.p.r", "{\"a\": 1, \"a\": 2}");
        assertThat(dup.exit()).isEqualTo(0);
        assertThat(JSON.readTree(dup.out()).at("/result/0/expressions/0/value/a").asInt()).isEqualTo(2);
    }

    @Test
    void policyTestFollowsASymlinkedPolicyDirectory(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Files.writeString(real.resolve("p_test.rego"), "package p\ntest_ok if true\ntest_bad if false\n");
        Files.writeString(real.resolve("data.json"), "{\"x\": 1}");
        Files.createDirectory(real.resolve("sub"));
        Files.writeString(real.resolve("sub").resolve("q_test.rego"), "package q\ntest_data if data.sub.y == 2\n");
        Files.writeString(real.resolve("sub").resolve("data.json"), "{\"y\": 2}");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        Cli r = run("policy", "test", link.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("data.p.test_bad: FAIL").contains("2 passed, 1 failed");

        // links inside a walked directory: to a file and to a directory inside it are loaded (here 'store' itself is
        // ignored, so only the links load it); a loop, a broken link and links that lead outside are skipped with a warning
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Path store = Files.createDirectory(tree.resolve("store"));
        Files.writeString(store.resolve("p_test.txt"), "package p\ntest_ok if true\ntest_bad if false\n");
        Files.createDirectory(store.resolve("sub"));
        Files.writeString(store.resolve("sub").resolve("q_test.rego"), "package q\ntest_data if data.sub.y == 2\n");
        Files.writeString(store.resolve("sub").resolve("data.json"), "{\"y\": 2}");
        Files.createSymbolicLink(tree.resolve("linked.rego"), Path.of("store", "p_test.txt"));
        Files.createSymbolicLink(tree.resolve("sub"), Path.of("store", "sub"));
        Files.createSymbolicLink(tree.resolve("loop"), tree);
        Files.createSymbolicLink(tree.resolve("gone.rego"), dir.resolve("missing.rego"));
        Files.createSymbolicLink(tree.resolve("outside"), real);
        Files.createSymbolicLink(tree.resolve("outside.rego"), real.resolve("p_test.rego"));
        Cli walked = run("policy", "test", "--ignore", "store", tree.toString());
        assertThat(walked.exit()).as(walked.out() + walked.err()).isEqualTo(1);
        assertThat(walked.out()).contains("data.p.test_bad: FAIL").contains("2 passed, 1 failed");
        assertThat(walked.err()).contains("loop: symbolic link loop, skipped").contains("gone.rego: broken symbolic link, skipped")
                .contains("outside: symbolic link to a directory outside the loaded paths, skipped")
                .contains("outside.rego: symbolic link to a file outside the loaded paths, skipped")
                .doesNotContain("internal error", "\tat ");

        Cli eval = run("policy", "eval", "-d", link.toString(), "data.sub.y");
        assertThat(eval.exit()).isEqualTo(0);
        assertThat(JSON.readTree(eval.out()).at("/result/0/expressions/0/value").asInt()).isEqualTo(2);

        // no tests at all: 0 exits 0 as in opa test, unless --fail-on-empty
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path emptyLink = Files.createSymbolicLink(dir.resolve("emptylink"), empty);
        assertThat(run("policy", "test", emptyLink.toString()).exit()).isEqualTo(0);
        assertThat(run("policy", "test", "--fail-on-empty", emptyLink.toString()).exit()).isEqualTo(1);
    }

    @Test
    void aBuiltinErrorFailsOnlyItsTest(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("g_test.rego"), """
                package g
                test_glob if glob.match("[z-a]", [], "a")
                test_ok if true
                test_bad if false
                """);
        Cli r = run("policy", "test", dir.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("internal error", "\tat ");
        assertThat(r.out()).contains("data.g.test_glob: FAIL", "data.g.test_bad: FAIL", "1 passed, 2 failed");
        Cli strict = eval(dir, "package p\nr := glob.match(\"[z-a]\", [], \"a\")\n", "data.p.r", null);
        assertThat(strict.exit()).isEqualTo(0);
        assertThat(JSON.readTree(strict.out()).has("result")).isFalse();
        Path m = Files.writeString(dir.resolve("s.rego"), "package s\nr := glob.match(\"[z-a]\", [], \"a\")\n");
        Cli err = run("policy", "eval", "--strict-builtin-errors", "-d", m.toString(), "data.s.r");
        assertThat(err.exit()).isEqualTo(1);
        assertThat(err.out()).contains("eval_builtin_error", "glob.match: hi character 'a' should be greater than lo 'z'");
    }

    static final String HOSTILE_TESTS = """
            package h
            test_nested_regex if regex.match("((((a{100}){100}){100}){100})", "b")
            test_width if sprintf("%02000000000d", [1]) == "%!(NOVERB)%!(EXTRA int=1)"
            test_width_overflow if sprintf("%099999999999d", [1]) == "%!(NOVERB)%!(EXTRA int=1)"
            test_range if count(numbers.range(1, 4e7)) > 0
            test_concat if count(concat("", [sprintf("%01000000d", [1]) | numbers.range(1, 1000)[_]])) > 0
            test_replace if count(replace(sprintf("%01000000d", [1]), "", sprintf("%01000000d", [1]))) > 0
            a0 := ["xxxxxxxxxx"]
            a1 := [a0, a0, a0, a0, a0, a0, a0, a0, a0, a0]
            a2 := [a1, a1, a1, a1, a1, a1, a1, a1, a1, a1]
            a3 := [a2, a2, a2, a2, a2, a2, a2, a2, a2, a2]
            a4 := [a3, a3, a3, a3, a3, a3, a3, a3, a3, a3]
            a5 := [a4, a4, a4, a4, a4, a4, a4, a4, a4, a4]
            a6 := [a5, a5, a5, a5, a5, a5, a5, a5, a5, a5]
            a7 := [a6, a6, a6, a6, a6, a6, a6, a6, a6, a6]
            a8 := [a7, a7, a7, a7, a7, a7, a7, a7, a7, a7]
            test_marshal if count(json.marshal(a8)) > 0
            test_ok if true
            """;

    @Test
    void hostilePolicyTestsEndInTheirOwnErrorsAndTheOthersAreReported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("h_test.rego"), HOSTILE_TESTS);
        Cli r = run("policy", "test", "--timeout", "2s", dir.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("internal error", "\tat ", "OutOfMemoryError");
        assertThat(r.out()).contains("data.h.test_nested_regex: FAIL", "data.h.test_range: ERROR", "data.h.test_concat: ERROR",
                "data.h.test_replace: ERROR", "data.h.test_marshal: ERROR", "eval_cancel_error", "memory budget of")
                .contains("3 passed, 5 failed");
        Cli small = run("policy", "test", "--max-memory", "1m", "--run", "test_ok|test_width", dir.toString());
        assertThat(small.out()).as(small.err()).contains("3 passed, 0 failed");
        Cli tiny = run("policy", "test", "--max-memory", "1m", "--run", "test_concat", dir.toString());
        assertThat(tiny.out()).contains("data.h.test_concat: ERROR", "memory budget of 1 MiB");
        assertThat(run("policy", "test", "--max-memory", "lots", dir.toString()).exit()).isEqualTo(ExitCodes.USAGE);

        Path m = Files.writeString(dir.resolve("e.rego"), "package e\nr := numbers.range(1, 4e7)\n");
        Cli eval = run("policy", "eval", "-d", m.toString(), "data.e.r");
        assertThat(eval.exit()).isEqualTo(1);
        assertThat(eval.out()).contains("eval_cancel_error", "memory budget of");
        Cli dag = run("policy", "eval", "-d", dir.resolve("h_test.rego").toString(), "data.h.a8");
        assertThat(dag.exit()).as("printing the result would expand it to 10^8 strings").isEqualTo(1);
        assertThat(dag.out()).contains("eval_cancel_error", "memory budget of");
    }

    /**
     * Bounded memory, proven in a JVM with a 64 MiB heap: the hostile tests end in their budget errors (the default
     * budget is a quarter of the heap), and without a budget the heap runs out inside a builtin and only that test
     * fails; the run always ends with its summary line.
     */
    @Test
    void inASmallHeapTheBudgetStopsHostileTestsBeforeTheHeapRunsOut(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("h_test.rego"), HOSTILE_TESTS);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String budget : new String[] {null, "0"}) {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(javaBin, "-Xmx64m", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), "dev.posture.cli.Main", "policy", "test", "--timeout", "5s"));
            if (budget != null) {
                cmd.addAll(java.util.List.of("--max-memory", budget, "--run", "test_ok|test_concat|test_replace"));
            }
            cmd.add(dir.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isEqualTo(1);
            assertThat(out).doesNotContain("internal error", "\tat ", "Exception in thread");
            if (budget == null) {
                assertThat(out).contains("memory budget of 1", "3 passed, 5 failed"); // 15 or 16 MiB: a quarter of the heap
            } else {
                assertThat(out).contains("out of memory", "1 passed, 2 failed");
            }
        }
    }
}
