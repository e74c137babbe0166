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
}
