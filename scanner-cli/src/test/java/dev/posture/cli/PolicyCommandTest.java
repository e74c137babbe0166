package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/** posture policy eval|test|conformance through the real CLI entry point. */
class PolicyCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static final String POLICY = """
            package example
            import rego.v1

            deny contains msg if {
              some c in input.spec.containers
              c.securityContext.privileged
              msg := sprintf("container %s is privileged", [c.name])
            }

            test_privileged if {
              count(deny) == 1 with input as {"spec": {"containers": [{"name": "a", "securityContext": {"privileged": true}}]}}
            }

            test_unprivileged if {
              count(deny) == 0 with input as {"spec": {"containers": [{"name": "a"}]}}
            }

            todo_test_later if { true }

            todo_list := ["not a test: only todo_test_ marks a skipped test, as in opa test"]
            """;

    @Test
    void evalPrintsOpaResultShape(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("p.rego"), POLICY);
        Path in = Files.writeString(dir.resolve("in.yaml"), "spec:\n  containers:\n    - name: web\n      securityContext: {privileged: true}\n");
        Cli r = run("policy", "eval", "-d", p.toString(), "-i", in.toString(), "data.example.deny");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode out = JSON.readTree(r.out());
        assertThat(out.at("/result/0/expressions/0/value/0").asText()).isEqualTo("container web is privileged");
        assertThat(out.at("/result/0/expressions/0/text").asText()).isEqualTo("data.example.deny");

        Cli bound = run("policy", "eval", "-d", p.toString(), "-i", in.toString(), "x := count(data.example.deny)");
        assertThat(JSON.readTree(bound.out()).at("/result/0/bindings/x").asInt()).isEqualTo(1);

        Cli undefined = run("policy", "eval", "-d", p.toString(), "data.example.nothing");
        assertThat(undefined.exit()).isZero();
        assertThat(JSON.readTree(undefined.out())).isEqualTo(JSON.readTree("{}"));
    }

    @Test
    void evalReportsErrorsWithOpaCodes(@TempDir Path dir) throws Exception {
        Cli parse = run("policy", "eval", "x := 1 +");
        assertThat(parse.exit()).isEqualTo(1);
        assertThat(JSON.readTree(parse.out()).at("/errors/0/code").asText()).isEqualTo("rego_parse_error");

        Path unsafe = Files.writeString(dir.resolve("u.rego"), "package u\nimport rego.v1\np if { x > 1 }\n");
        Cli r = run("policy", "eval", "-d", unsafe.toString(), "data.u.p");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(JSON.readTree(r.out()).at("/errors/0/code").asText()).isEqualTo("rego_unsafe_var_error");
        assertThat(JSON.readTree(r.out()).at("/errors/0/location/row").asInt()).isEqualTo(3);

        assertThat(run("policy", "eval", "-d", dir.resolve("missing.rego").toString(), "1").exit())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void strictBuiltinErrorsTurnUndefinedIntoAnError() throws Exception {
        Cli lax = run("policy", "eval", "x := to_number(\"abc\")");
        assertThat(lax.exit()).isZero();
        assertThat(JSON.readTree(lax.out())).isEqualTo(JSON.readTree("{}"));
        Cli strict = run("policy", "eval", "--strict-builtin-errors", "x := to_number(\"abc\")");
        assertThat(strict.exit()).isEqualTo(1);
        assertThat(JSON.readTree(strict.out()).at("/errors/0/code").asText()).isEqualTo("eval_builtin_error");
    }

    @Test
    void evalBenchPrintsMedianAndP90ToStderr(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("p.rego"), POLICY);
        Cli r = run("policy", "eval", "-d", p.toString(), "--bench", "50", "data.example.deny");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("median").contains("p90");
    }

    @Test
    void testCommandRunsTestsAndEndsWithTheCountLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.rego"), POLICY);
        Cli ok = run("policy", "test", dir.toString());
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out().strip()).endsWith("2 passed, 0 failed, 1 skipped");

        Files.writeString(dir.resolve("bad_test.rego"), "package example\nimport rego.v1\ntest_wrong if { count(deny) == 5 }\n");
        Cli bad = run("policy", "test", "-v", dir.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).contains("test_wrong").contains("FAIL");
        assertThat(bad.out().strip()).endsWith("2 passed, 1 failed, 1 skipped");

        Cli filtered = run("policy", "test", "--run", "unprivileged", dir.toString());
        assertThat(filtered.out().strip()).endsWith("1 passed, 0 failed");
    }

    @Test
    void testCommandIgnoresNamesLikeOpa(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.rego"), POLICY);
        // example manifests beside the policy clash as data documents unless ignored, as with opa test
        Files.writeString(dir.resolve("pod.yaml"), "kind: Pod\n");
        Files.writeString(dir.resolve("job.yaml"), "kind: Job\n");
        Cli clash = run("policy", "test", dir.toString());
        assertThat(clash.exit()).isEqualTo(1);
        assertThat(clash.err()).contains("merge error");
        Cli ok = run("policy", "test", "--ignore", "*.yaml", dir.toString());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out().strip()).endsWith("2 passed, 0 failed, 1 skipped");
        // the flags of a typical opa test invocation are taken: --explain lists every test
        Cli explained = run("policy", "test", "--explain=fails", "--timeout", "1m30s", "-z", "--ignore", "*.yaml", dir.toString());
        assertThat(explained.exit()).as(explained.err()).isZero();
        assertThat(explained.out()).contains(": PASS (");
        assertThat(run("policy", "test", "--timeout", "soon", dir.toString()).exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("policy", "test", "--explain", "all", dir.toString()).exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("policy", "test", "--ignore", "*.yaml", "--run", "nothing-matches", dir.toString()).exit()).isZero();
        Cli empty = run("policy", "test", "--ignore", "*.yaml", "--fail-on-empty", "--run", "nothing-matches", dir.toString());
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.err()).contains("no tests were run");
    }

    @Test
    void conformanceRunsOpaFormatCases() {
        Path own = Cli.ROOT.resolve("rego/src/test/resources/conformance");
        Cli r = run("policy", "conformance", own.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out().strip()).matches("(?s).*\\d+ passed, 0 failed$");
        assertThat(run("policy", "conformance", "/nonexistent").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void evalReadsInputFromStdin(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("p.rego"), POLICY);
        Cli r = Cli.runWithStdin("{\"spec\":{\"containers\":[{\"name\":\"x\",\"securityContext\":{\"privileged\":true}}]}}",
                Map.of(), "policy", "eval", "-d", p.toString(), "-i", "-", "count(data.example.deny)");
        assertThat(JSON.readTree(r.out()).at("/result/0/expressions/0/value").asInt()).isEqualTo(1);
    }
}
