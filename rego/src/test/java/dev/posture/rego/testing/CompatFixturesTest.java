package dev.posture.rego.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.posture.rego.RegoVersion;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompatFixturesTest {
    static Path res(String p) throws Exception {
        return Path.of(CompatFixturesTest.class.getResource("/compat/" + p).toURI());
    }

    @Test
    void gatekeeperStyleV0TemplatesPass() throws Exception {
        TestReport r = TestRunner.run(List.of(res("gatekeeper")), TestOptions.defaults().withVersion(RegoVersion.V0));
        System.out.print(r.format(true));
        assertThat(r.failed()).isZero();
        assertThat(r.passed()).isEqualTo(11);
    }

    @Test
    void trivyStyleV1ChecksPass() throws Exception {
        TestReport r = TestRunner.run(List.of(res("trivy")), TestOptions.defaults());
        System.out.print(r.format(true));
        assertThat(r.failed()).isZero();
        assertThat(r.passed()).isEqualTo(4);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.format(false)).endsWith("4 passed, 0 failed, 1 skipped\n");
    }

    @Test
    void runFilterAndJsonFormat() throws Exception {
        TestReport r = TestRunner.run(List.of(res("trivy")), TestOptions.defaults().withRun("gatekeeper"));
        assertThat(r.results()).hasSize(1);
        assertThat(r.formatJson()).contains("\"name\" : \"test_gatekeeper_wrapping\"");
    }

    @Test
    void duplicateTestNamesAreSeparateTests() throws Exception {
        TestReport r = TestRunner.run(List.of(res("duplicates")), TestOptions.defaults());
        assertThat(r.results()).extracting(TestReport.TestResult::name)
                .containsExactly("test_sum", "test_sum#01", "test_sum#02", "test_single");
        assertThat(r.results()).extracting(TestReport.TestResult::status).containsExactly(TestReport.Status.PASS,
                TestReport.Status.FAIL, TestReport.Status.PASS, TestReport.Status.PASS);
        assertThat(r.format(false)).endsWith("3 passed, 1 failed\n");
    }

    @Test
    void trivyHelpersAreAvailableWithoutImport() throws Exception {
        TestReport r = TestRunner.run(List.of(res("trivyhelpers")), TestOptions.defaults());
        System.out.print(r.format(true));
        assertThat(r.passed()).isEqualTo(14);
        assertThat(r.failed()).isZero();
    }

    @Test
    void jsonReportHasOpaShape() throws Exception {
        TestReport r = TestRunner.run(List.of(res("report")), TestOptions.defaults());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.formatJson());
        var ok = json.get(0);
        assertThat(ok.get("name").asText()).isEqualTo("test_prints");
        assertThat(ok.get("package").asText()).isEqualTo("data.report");
        assertThat(ok.get("location").get("row").asInt()).isEqualTo(5);
        assertThat(ok.get("location").get("file").asText()).endsWith("report_test.rego");
        assertThat(ok.has("fail")).isFalse();
        // print output is a byte slice in OPA, so base64 in JSON
        assertThat(new String(java.util.Base64.getDecoder().decode(ok.get("output").asText()))).isEqualTo("seen 2\n");
        var err = json.get(1).get("error");
        assertThat(err.get("code").asText()).isEqualTo("eval_conflict_error");
        assertThat(err.get("location").get("file").asText()).endsWith("report_test.rego");
        assertThat(json.get(1).has("fail")).isFalse();
    }

    @Test
    void parameterizedTestsReportEachCase() throws Exception {
        TestReport r = TestRunner.run(List.of(res("parameterized")), TestOptions.defaults());
        assertThat(r.results()).extracting(TestReport.TestResult::name)
                .containsExactly("test_even", "test_upper", "test_values", "test_none");
        assertThat(r.results()).extracting(TestReport.TestResult::status).containsExactly(TestReport.Status.FAIL,
                TestReport.Status.PASS, TestReport.Status.FAIL, TestReport.Status.PASS);
        // the case whose body failed after its key was bound is reported, not silently missing
        assertThat(r.results().get(0).cases()).extracting(TestCases.Case::path, TestCases.Case::fail).containsExactly(
                org.assertj.core.groups.Tuple.tuple(List.of("odd"), true),
                org.assertj.core.groups.Tuple.tuple(List.of("two"), false),
                org.assertj.core.groups.Tuple.tuple(List.of("zero"), false));
        assertThat(r.format(false)).contains("data.cases.test_even: FAIL", "  odd: FAIL\n", "  no: FAIL\n")
                .doesNotContain("zero").endsWith("6 passed, 2 failed\n");
        assertThat(r.format(true)).contains("  long: PASS\n    abcdef: PASS\n");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.formatJson());
        assertThat(json.get(0).get("sub_results").get("odd").get("fail").asBoolean()).isTrue();
        assertThat(json.get(0).get("sub_results").get("two").has("fail")).isFalse();
        assertThat(json.get(1).get("sub_results").get("long").get("sub_results").get("abcdef").get("name").asText())
                .isEqualTo("abcdef");
    }

    @Test
    void testsRunInFileNameOrderWhateverThePathOrder() throws Exception {
        TestReport r = TestRunner.run(List.of(res("trivyhelpers"), res("duplicates")), TestOptions.defaults());
        assertThat(r.results().get(0).file()).endsWith("dup_test.rego");
        assertThat(r.results().get(r.results().size() - 1).file()).endsWith("sh_test.rego");
    }

    @Test
    void onlyTodoTestPrefixIsASkippedTest() throws Exception {
        TestReport r = TestRunner.run(List.of(res("skips")), TestOptions.defaults());
        assertThat(r.results()).extracting(TestReport.TestResult::name).containsExactly("todo_test_pending", "todo_later", "test_items");
        assertThat(r.format(false)).endsWith("1 passed, 0 failed, 2 skipped\n");
    }

    @Test
    void aCompileErrorIsReportedOnceAndCountsAsAFailure(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("broken.rego"), "package broken\nimport rego.v1\np if {\n");
        TestReport r = TestRunner.run(List.of(dir), TestOptions.defaults());
        assertThat(r.format(false)).startsWith("1 error occurred: ").contains("broken.rego:", "rego_parse_error")
                .doesNotContain("data..").endsWith("0 passed, 1 failed\n");
        assertThat(r.ok()).isFalse();
    }
}
