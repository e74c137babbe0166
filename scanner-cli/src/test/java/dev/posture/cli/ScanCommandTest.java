package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.report.SarifSchemaValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.posture.cli.Cli.fixture;
import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Exit codes, formats, suppressions and baselines through the real CLI entry point. */
class ScanCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEMO_SAM = fixture("demo/serverless/template.yaml");
    static final String LEAST = fixture("iam/identity-least-privilege.json");

    @Test
    void cleanScanExitsZeroEvenWithFailOn() throws Exception {
        Cli r = run("scan", LEAST, "--fail-on", "high", "-f", "json");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.at("/targets/0/status").asText()).isEqualTo("scanned");
        assertThat(report.at("/targets/0/type").asText()).isEqualTo("iam");
    }

    @Test
    void findingsAtOrAboveThresholdExitOneAndBelowExitZero() throws Exception {
        Cli high = run("scan", DEMO_SAM, "--fail-on", "high", "-f", "json");
        assertThat(high.exit()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode report = JSON.readTree(high.out());
        assertThat(report.get("findings")).isNotEmpty();
        // without --fail-on the gate never fires, the report is the same
        Cli never = run("scan", DEMO_SAM, "-f", "json");
        assertThat(never.exit()).isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(never.out()).get("findings").size()).isEqualTo(report.get("findings").size());
    }

    @Test
    void severityThresholdIsRespected(@TempDir Path dir) throws Exception {
        // only a low finding: missing tracing etc. on a function that is otherwise clean
        Path t = dir.resolve("t.yaml");
        Files.writeString(t, """
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: python3.12
                      Handler: a.h
                      Role: arn:aws:iam::123456789012:role/existing
                """);
        Cli r = run("scan", t.toString(), "-f", "json", "--fail-on", "high");
        assertThat(r.exit()).as(r.out()).isEqualTo(ExitCodes.OK);
        List<String> severities = new ArrayList<>();
        JSON.readTree(r.out()).get("findings").forEach(f -> severities.add(f.get("severity").asText()));
        assertThat(severities).isNotEmpty().doesNotContain("critical", "high");
        assertThat(run("scan", t.toString(), "-f", "json", "--fail-on", "low").exit()).isEqualTo(ExitCodes.FINDINGS);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("scan").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", LEAST, "--fail-on", "severe").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", LEAST, "-f", "xml").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", LEAST, "--no-such-option").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", LEAST, "--fail-on-new").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", LEAST, "-f", "json", "-f", "sarif").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", LEAST, "--ignore-file", "/nonexistent/ignore.yaml").exit()).isEqualTo(ExitCodes.USAGE);
        Cli r = run("frobnicate");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("frobnicate");
    }

    @Test
    void brokenInputFailsItsTargetOnlyAndExitsThreeWhichWinsOverOne(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("broken.yaml");
        Files.writeString(bad, "Resources:\n  Fn: [unclosed\n");
        Cli r = run("scan", bad.toString(), DEMO_SAM, "-f", "json", "--fail-on", "low");
        assertThat(r.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        JsonNode report = JSON.readTree(r.out());
        JsonNode failed = null;
        for (JsonNode t : report.get("targets")) {
            if (t.get("name").asText().equals(bad.toString())) {
                failed = t;
            }
        }
        assertThat(failed).isNotNull();
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).startsWith(bad + ":").contains("invalid YAML").contains("line 2");
        // the good file was still scanned and its findings are there
        assertThat(report.get("findings").size()).isGreaterThan(5);
        assertThat(r.err()).contains("scan incomplete");
    }

    @Test
    void brokenCandidatesFailAndNonInputsAreListedAsUnrecognised(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        Path binary = Files.write(dir.resolve("bin.json"), new byte[] {'{', 0, 1, 2, 3});
        Path invalid = Files.writeString(dir.resolve("invalid.json"), "{\"Statement\": [ {\"Effect\": \"Allow\", }");
        Path missing = dir.resolve("missing.yaml");
        Cli r = run("scan", empty.toString(), binary.toString(), invalid.toString(), missing.toString(),
                "-f", "json");
        assertThat(r.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        JsonNode report = JSON.readTree(r.out());
        JsonNode targets = report.get("targets");
        assertThat(targets).hasSize(2);
        for (JsonNode t : targets) {
            assertThat(t.get("status").asText()).isEqualTo("failed");
            assertThat(t.get("error").asText()).isNotBlank();
        }
        assertThat(r.out()).contains("invalid JSON", "no such file");
        // an empty or binary file is no input: listed with the reason, never a failure
        assertThat(report.at("/summary/unrecognised").asInt()).isEqualTo(2);
        assertThat(report.get("unrecognised").toString()).contains(empty.toString(), "empty file",
                binary.toString(), "binary content");
    }

    @Test
    void stdinIsScannedWithDash() throws Exception {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}";
        Cli r = Cli.runWithStdin(policy, Map.of(), "scan", "-", "-f", "json", "--fail-on", "critical");
        assertThat(r.exit()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.at("/targets/0/name").asText()).isEqualTo("-");
        assertThat(report.get("findings").findValuesAsText("ruleId")).contains("wildcard-admin");
    }

    @Test
    void severalFormatsInOneRunAndSarifIsSchemaValid(@TempDir Path dir) throws Exception {
        Path sarif = dir.resolve("out/posture.sarif");
        Path json = dir.resolve("posture.json");
        Cli r = run("scan", DEMO_SAM, fixture("iam"), "-f", "table", "-f", "sarif=" + sarif, "-f", "json=" + json);
        assertThat(r.exit()).isIn(ExitCodes.OK, ExitCodes.INCOMPLETE); // fixtures/iam has deliberately bad files
        assertThat(r.out()).contains("CRITICAL").contains("summary");
        JsonNode s = JSON.readTree(sarif.toFile());
        SarifSchemaValidator.assertValid(s);
        assertThat(s.at("/runs/0/results")).isNotEmpty();
        assertThat(s.at("/runs/0/tool/driver/rules/0/properties/security-severity").isTextual()).isTrue();
        JsonNode j = JSON.readTree(json.toFile());
        assertThat(j.at("/summary/serverless/critical").asInt()).isPositive();
        assertThat(j.get("functions")).isNotEmpty();
    }

    @Test
    void outputFileTakesItsFormatFromTheExtension(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r.sarif");
        Cli r = run("scan", DEMO_SAM, "-o", out.toString(), "-q");
        assertThat(r.exit()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).isEmpty();
        SarifSchemaValidator.assertValid(JSON.readTree(out.toFile()));
    }

    @Test
    void suppressedFindingsStayInReportsButNeverCountForTheGate(@TempDir Path dir) throws Exception {
        Path ignore = dir.resolve("ignore.yaml");
        Files.writeString(ignore, """
                ignore:
                  - control: secret-in-env
                    reason: demo key, rotated
                  - rule: public-invoke
                    reason: public by design
                  - rule: wildcard-admin
                    reason: demo
                  - rule: privilege-escalation
                    reason: demo
                  - rule: resource-exposure
                    reason: demo
                  - rule: credentials-exposure
                    reason: demo
                  - rule: function-url-no-auth
                    reason: demo
                    expires: 2001-01-01
                """);
        Cli r = run("scan", DEMO_SAM, "--ignore-file", ignore.toString(), "-f", "json", "--fail-on", "high");
        // function-url-no-auth's entry expired: it still counts, and the expiry is warned about
        assertThat(r.exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(r.err()).contains("expired on 2001-01-01");
        JsonNode findings = JSON.readTree(r.out()).get("findings");
        int suppressed = 0;
        for (JsonNode f : findings) {
            String rule = f.get("ruleId").asText();
            if (rule.equals("secret-in-env") || rule.equals("public-invoke")) {
                assertThat(f.at("/suppressed/reason").asText()).isNotBlank();
                suppressed++;
            }
            if (rule.equals("function-url-no-auth")) {
                assertThat(f.get("suppressed").asBoolean()).isFalse();
            }
        }
        assertThat(suppressed).isGreaterThanOrEqualTo(3);

        Path ignoreAll = dir.resolve("all.yaml");
        Files.writeString(ignoreAll, "ignore:\n  - target: \"**\"\n    rule: function-url-no-auth\n    reason: x\n"
                + Files.readString(ignore).substring("ignore:\n".length()).replace("    expires: 2001-01-01\n", ""));
        Cli clean = run("scan", DEMO_SAM, "--ignore-file", ignoreAll.toString(), "-f", "sarif", "--fail-on", "high");
        assertThat(clean.exit()).as(clean.err()).isEqualTo(ExitCodes.OK);
        JsonNode sarif = JSON.readTree(clean.out());
        SarifSchemaValidator.assertValid(sarif);
        boolean anySuppressed = false;
        for (JsonNode res : sarif.at("/runs/0/results")) {
            if (res.has("suppressions")) {
                anySuppressed = true;
                assertThat(res.at("/suppressions/0/justification").asText()).isNotBlank();
            }
        }
        assertThat(anySuppressed).isTrue();
    }

    @Test
    void defaultIgnoreFileIsReadFromTheWorkingDirectoryOnlyWhenPresent() {
        // the test working directory (scanner-cli/) has no .posture-ignore.yaml: nothing is suppressed
        Cli r = run("scan", DEMO_SAM, "-f", "json");
        assertThat(r.out()).doesNotContain("\"reason\"");
    }

    @Test
    void baselineMarksNewFindingsAndFailOnNewGatesOnlyOnThem(@TempDir Path dir) throws Exception {
        Path template = dir.resolve("template.yaml");
        String text = Files.readString(Path.of(DEMO_SAM));
        Files.writeString(template, text);
        Path old = dir.resolve("old.json");
        assertThat(run("scan", template.toString(), "-f", "json=" + old).exit()).isEqualTo(ExitCodes.OK);
        // same input: nothing new
        Cli same = run("scan", template.toString(), "--baseline", old.toString(), "--fail-on-new", "-f", "json");
        assertThat(same.exit()).isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(same.out()).get("findings").findValuesAsText("baselineState")).containsOnly("unchanged");

        // every line moves and a new statement appears: old findings stay unchanged, the new one is new
        Files.writeString(template, "# a comment that moves every line\n" + text.replace(
                "  ReportPublicInvoke:", "  ExtraInvoke:\n    Type: AWS::Lambda::Permission\n    Properties:\n"
                        + "      FunctionName: !Ref HealthFunction\n      Action: lambda:InvokeFunction\n"
                        + "      Principal: \"*\"\n\n  ReportPublicInvoke:"));
        Cli changed = run("scan", template.toString(), "--baseline", old.toString(), "--fail-on-new",
                "--fail-on", "critical", "-f", "sarif");
        JsonNode sarif = JSON.readTree(changed.out());
        SarifSchemaValidator.assertValid(sarif);
        List<String> newRules = new ArrayList<>();
        for (JsonNode res : sarif.at("/runs/0/results")) {
            if (res.get("baselineState").asText().equals("new")) {
                newRules.add(res.get("ruleId").asText());
            }
        }
        assertThat(newRules).contains("public-invoke");
        assertThat(sarif.at("/runs/0/results").findValuesAsText("baselineState")).contains("unchanged");
        assertThat(changed.exit()).isEqualTo(ExitCodes.FINDINGS);
        // gating on new findings above a threshold none of the new ones reach passes
        Cli notNewEnough = run("scan", template.toString(), "--baseline", old.toString(), "--fail-on-new",
                "-f", "json", "--fail-on", "critical", "--ignore-file", writeIgnore(dir, "public-invoke"));
        assertThat(notNewEnough.exit()).isEqualTo(ExitCodes.OK);
    }

    private static String writeIgnore(Path dir, String rule) throws Exception {
        Path f = dir.resolve("ignore-" + rule + ".yaml");
        Files.writeString(f, "ignore:\n  - rule: " + rule + "\n    reason: test\n");
        return f.toString();
    }

    @Test
    void helpAndVersion() {
        Cli v = run("--version");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).startsWith("posture ");
        Cli h = run("scan", "--help");
        assertThat(h.exit()).isZero();
        assertThat(h.out()).contains("--fail-on", "Examples:", "Exit codes");
        assertThat(run("--help").out()).contains("scan", "iam");
    }

    @Test
    void tableHonoursNoColor() {
        Map<String, String> tty = Map.of("POSTURE_STDOUT_TTY", "1");
        Cli coloured = Cli.runWithStdin("", tty, "scan", DEMO_SAM);
        assertThat(coloured.out()).contains("\u001b[");
        Cli plain = Cli.runWithStdin("", Map.of("POSTURE_STDOUT_TTY", "1", "NO_COLOR", "1"), "scan", DEMO_SAM);
        assertThat(plain.out()).doesNotContain("\u001b[").contains("CRITICAL");
        // not a terminal: JSON by default
        assertThat(run("scan", DEMO_SAM).out()).startsWith("{");
    }
}
