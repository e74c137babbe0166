package dev.posture.controls;

import dev.posture.iam.catalog.Catalogs;
import dev.posture.kubernetes.KubernetesAnalyzer;
import dev.posture.model.Redaction;
import dev.posture.policy.EmbeddedRegoEngine;
import dev.posture.policy.EvalLimits;
import dev.posture.policy.PolicySources;
import dev.posture.model.Finding;
import dev.posture.model.Severity;
import dev.posture.model.TargetStatus;
import dev.posture.report.JsonReportWriter;
import dev.posture.scan.ProgressListener;
import dev.posture.scan.ScanRequest;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Scanner;
import dev.posture.serverless.ServerlessAnalyzer;
import dev.posture.serverless.aws.AwsOptions;
import dev.posture.triage.Triage;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Examiner-style conformance of the Lambda/IAM and Kubernetes controls against their CONTROLS.md definitions.
 * Every file under {@code fixtures/controls/<control>/positive} must produce a finding with that
 * control (at the severity of the issue); every file under {@code …/negative} must produce none for
 * that control. Each file goes through the real scan pipeline (scanner, serverless analyzer,
 * bundled catalog), and no report anywhere may carry a secret value whole.
 *
 * <p>Kubernetes: every file under {@code fixtures/controls/kubernetes/<control>/positive} must report that control,
 * no file under {@code …/negative} may, through the scanner with the Kubernetes analyzer and the bundled policies
 * ({@code policies/kubernetes}); no report may carry a secret of the fixture whole (known token shapes, and the
 * literal values of credential-named env variables and Secret data). The same wiring runs over this module's own
 * test policies and fixtures ({@code src/test/resources/kubernetes/}).
 */
class ControlsConformanceTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);

    private static final Map<String, Severity> SEVERITY = Map.ofEntries(
            Map.entry("wildcard-admin", Severity.CRITICAL),
            Map.entry("public-invoke", Severity.CRITICAL),
            Map.entry("secret-in-env", Severity.CRITICAL),
            Map.entry("privilege-escalation", Severity.HIGH),
            Map.entry("resource-exposure", Severity.HIGH),
            Map.entry("credentials-exposure", Severity.HIGH),
            Map.entry("function-url-no-auth", Severity.HIGH),
            Map.entry("data-exfiltration", Severity.MEDIUM),
            Map.entry("service-wildcard", Severity.MEDIUM),
            Map.entry("wildcard-action", Severity.MEDIUM),
            Map.entry("passrole-wildcard", Severity.MEDIUM),
            Map.entry("notaction-allow", Severity.MEDIUM),
            Map.entry("notresource-allow", Severity.MEDIUM),
            Map.entry("confused-deputy", Severity.MEDIUM),
            Map.entry("cors-wildcard", Severity.MEDIUM),
            Map.entry("deprecated-runtime", Severity.MEDIUM),
            Map.entry("cross-account-invoke", Severity.LOW),
            Map.entry("infrastructure-modification", Severity.LOW),
            Map.entry("missing-dlq", Severity.LOW),
            Map.entry("missing-tracing", Severity.LOW),
            Map.entry("missing-code-signing", Severity.LOW),
            Map.entry("unknown-action", Severity.LOW));

    /** Secret values used in the fixtures: none may appear whole in any report. */
    private static final List<String> SECRETS = List.of(
            "AKIA2E3XQWJ5ZK7P4M6N",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw",
            "hunter2",
            "ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
            "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "xoxb-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            "sk_live_51HxQ2kLmNoPqRsTuVwXyZ0a1",
            "AIzaSyD3k9x7Q2w5E8r1T4y6U0i2O9p3A5s7D1f",
            "Zr8vQp2LmX4t",
            "Tr0ub4dor&3xyz",
            "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            "ASIAY34FZKBOKMUTVV7A",
            "Gl0balsPassw0rd",
            "correct-horse-battery",
            "Xq7Lm2Pz9Rt4",
            "sk_live_51HxQ2kLmNoPqRsTuVwXyZ0a9",
            "sk_test_51HxQ2kLmNoPqRsTuVwXyZ0a8",
            "ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8cB7aQ",
            "mL2kJ1iH0gF9eD8cB7aQ",
            "Vb5Nc8Xz1Lk3",
            "Qm9vU2VjcmV0",
            "9c1f0e8d7b6a5f4e3d2c",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW");

    /** unknown-action positives: the catalog's suggestion the finding must name. */
    private static final Map<String, String> SUGGESTION = Map.ofEntries(
            Map.entry("s3-getobjekt.json", "s3:GetObject"),
            Map.entry("lamda-invoke.json", "lambda:InvokeFunction"),
            Map.entry("sam-dynamodb-getitems.yaml", "dynamodb:GetItem"),
            Map.entry("deny-typo.json", "s3:DeleteObject"),
            Map.entry("lowercase-typo.json", "s3:GetObject"),
            Map.entry("resource-policy-typo.json", "lambda:InvokeFunction"),
            Map.entry("serverless-typo.yml", "dynamodb:PutItem"),
            Map.entry("tfplan-typo.json", "sqs:SendMessage"));

    private static Scanner scanner;
    private static Scanner kubernetes;
    private static Scanner kubernetesTestPolicies;

    /** The serverless and Kubernetes analyzers, as the CLI runs them, with the bundled policies. */
    private static synchronized Scanner kubernetes() {
        if (kubernetes == null) {
            kubernetes = new Scanner(List.of(new ServerlessAnalyzer(Catalogs::bundled,
                    AwsOptions.of(List.of(), null, List.of()), CLOCK), KubernetesAnalyzer.withBundledPolicies()),
                    1, CLOCK, ProgressListener.NONE, "test");
        }
        return kubernetes;
    }

    /** As {@link #kubernetes()}, with the test policies of src/test/resources/kubernetes/policies. */
    private static synchronized Scanner kubernetesTestPolicies() {
        if (kubernetesTestPolicies == null) {
            Path policies = Path.of("src/test/resources/kubernetes/policies");
            kubernetesTestPolicies = new Scanner(List.of(new ServerlessAnalyzer(Catalogs::bundled,
                    AwsOptions.of(List.of(), null, List.of()), CLOCK), new KubernetesAnalyzer(
                    () -> PolicySources.directory(policies, "test-policies/"), new EmbeddedRegoEngine(),
                    EvalLimits.DEFAULT)), 1, CLOCK, ProgressListener.NONE, "test");
        }
        return kubernetesTestPolicies;
    }

    private static synchronized Scanner scanner() {
        if (scanner == null) {
            scanner = new Scanner(List.of(new ServerlessAnalyzer(Catalogs::bundled,
                    AwsOptions.of(List.of(), null, List.of()), CLOCK)), 1, CLOCK, ProgressListener.NONE, "test");
        }
        return scanner;
    }

    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("fixtures/controls"))) {
                return p.resolve("fixtures/controls");
            }
        }
        throw new IllegalStateException("fixtures/controls not found");
    }

    static ScanResult scan(Path file) {
        return scan(scanner(), file);
    }

    static ScanResult scan(Scanner scanner, Path file) {
        return scanner.scan(new ScanRequest(List.of(file.toString()), List.of(), false, null,
                        root().getParent().getParent().toString()),
                new Triage(List.of(), null, LocalDate.of(2026, 11, 26)));
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String describe(List<Finding> findings) {
        return findings.stream()
                .map(f -> f.rule().control() + "/" + f.rule().severity() + " " + f.resource() + ": " + f.message())
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    @TestFactory
    Stream<DynamicContainer> everyControlFixture() throws IOException {
        List<DynamicContainer> out = new ArrayList<>();
        try (Stream<Path> controls = Files.list(root())) {
            for (Path dir : controls.filter(Files::isDirectory).sorted().toList()) {
                String control = dir.getFileName().toString();
                if (control.equals("kubernetes") || control.equals("image")) { // their own examiners (ImageControlsTest)
                    continue; // the Kubernetes controls: everyKubernetesControlFixture
                }
                List<DynamicTest> tests = new ArrayList<>();
                for (Path f : files(dir.resolve("positive"))) {
                    tests.add(DynamicTest.dynamicTest(control + " positive " + f.getFileName(), f.toUri(),
                            () -> positive(control, f)));
                }
                for (Path f : files(dir.resolve("negative"))) {
                    tests.add(DynamicTest.dynamicTest(control + " negative " + f.getFileName(), f.toUri(),
                            () -> negative(control, f)));
                }
                out.add(DynamicContainer.dynamicContainer(control, tests));
            }
        }
        return out.stream();
    }

    @TestFactory
    Stream<DynamicContainer> everyKubernetesControlFixture() throws IOException {
        return kubernetesFixtures(root().resolve("kubernetes"), ControlsConformanceTest::kubernetes);
    }

    /** The same examiner over this module's test policies and fixtures: the wiring, whatever policies are bundled. */
    @TestFactory
    Stream<DynamicContainer> kubernetesExaminerOverTestPolicies() throws IOException {
        return kubernetesFixtures(Path.of("src/test/resources/kubernetes/controls"),
                ControlsConformanceTest::kubernetesTestPolicies);
    }

    private static Stream<DynamicContainer> kubernetesFixtures(Path base, java.util.function.Supplier<Scanner> scanner)
            throws IOException {
        List<DynamicContainer> out = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return out.stream();
        }
        try (Stream<Path> controls = Files.list(base)) {
            for (Path dir : controls.filter(Files::isDirectory).sorted().toList()) {
                String control = dir.getFileName().toString();
                List<DynamicTest> tests = new ArrayList<>();
                for (Path f : files(dir.resolve("positive"))) {
                    tests.add(DynamicTest.dynamicTest(control + " positive " + f.getFileName(), f.toUri(),
                            () -> kubernetesCase(scanner.get(), control, f, true)));
                }
                for (Path f : files(dir.resolve("negative"))) {
                    tests.add(DynamicTest.dynamicTest(control + " negative " + f.getFileName(), f.toUri(),
                            () -> kubernetesCase(scanner.get(), control, f, false)));
                }
                out.add(DynamicContainer.dynamicContainer("kubernetes " + control, tests));
            }
        }
        return out.stream();
    }

    private static void kubernetesCase(Scanner scanner, String control, Path file, boolean positive) throws IOException {
        ScanResult r = scan(scanner, file);
        assertScanned(r, file);
        assertThat(r.targets()).as("%s: targets", file)
                .allSatisfy(t -> assertThat(t.type()).isEqualTo(dev.posture.model.TargetType.KUBERNETES));
        String json = new JsonReportWriter().toJson(r).toString();
        for (String s : fixtureSecrets(Files.readString(file))) {
            assertThat(json).as("%s: report carries a secret of the fixture whole", file).doesNotContain(s);
        }
        List<Finding> hits = r.findings().stream().filter(f -> f.rule().control().equals(control)).toList();
        if (positive) {
            assertThat(hits).as("%s: expected a %s finding; got:%s", file, control, describe(r.findings())).isNotEmpty();
            assertThat(hits).as("%s: located in the file", file)
                    .allSatisfy(f -> assertThat(f.location().line()).isPositive());
        } else {
            assertThat(hits).as("%s: expected no %s finding; got:%s", file, control, describe(hits)).isEmpty();
        }
    }

    private static final java.util.regex.Pattern CREDENTIAL_ENV = java.util.regex.Pattern.compile(
            "(?i)name:\\s*['\"]?[A-Z0-9_]*(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)[A-Z0-9_]*['\"]?"
                    + "\\s*[,\\n]\\s*value:\\s*['\"]?([^'\"\\s,}]{6,})");

    /**
     * What must never appear whole in a report of {@code text}: the fixed secrets, token shapes found in it,
     * literal values of credential-named env variables.
     */
    static List<String> fixtureSecrets(String text) {
        List<String> out = new ArrayList<>(SECRETS);
        for (Redaction.Shape shape : Redaction.SHAPES) {
            java.util.regex.Matcher m = shape.pattern().matcher(text);
            while (m.find()) {
                if (!shape.kind().equals("private key")) {
                    out.add(m.group());
                }
            }
        }
        java.util.regex.Matcher m = CREDENTIAL_ENV.matcher(text);
        while (m.find()) {
            out.add(m.group(2));
        }
        return out;
    }

    @Test
    void fixtureSecretsFindCredentialEnvValuesAndTokenShapes() {
        assertThat(fixtureSecrets("""
                env:
                  - name: DB_PASSWORD
                    value: hunter2-prod-password
                  - {name: API_KEY, value: 'x9f8e7d6c5'}
                  - {name: LOG_LEVEL, value: debugging}
                  - {name: X, value: xoxb-1234567890-abcdefghij}
                """)).contains("hunter2-prod-password", "x9f8e7d6c5", "xoxb-1234567890-abcdefghij")
                .doesNotContain("debugging");
    }

    private static void positive(String control, Path file) {
        ScanResult r = scan(file);
        assertScanned(r, file);
        assertNoSecret(r, file);
        List<Finding> hits = r.findings().stream().filter(f -> f.rule().control().equals(control)).toList();
        assertThat(hits).as("%s: expected a %s finding; got:%s", file, control, describe(r.findings())).isNotEmpty();
        assertThat(hits).as("%s: severity of %s", file, control)
                .allSatisfy(f -> assertThat(f.rule().severity()).isEqualTo(SEVERITY.get(control)));
        String suggestion = SUGGESTION.get(file.getFileName().toString());
        if (control.equals("unknown-action") && suggestion != null) {
            assertThat(hits).as("%s: suggestion %s", file, suggestion).anySatisfy(f ->
                    assertThat((f.message() + " " + f.evidence()).toLowerCase(Locale.ROOT))
                            .contains(suggestion.toLowerCase(Locale.ROOT)));
        }
    }

    private static void negative(String control, Path file) {
        ScanResult r = scan(file);
        assertScanned(r, file);
        assertNoSecret(r, file);
        List<Finding> hits = r.findings().stream().filter(f -> f.rule().control().equals(control)).toList();
        assertThat(hits).as("%s: expected no %s finding; got:%s", file, control, describe(hits)).isEmpty();
    }

    private static void assertScanned(ScanResult r, Path file) {
        assertThat(r.targets()).as("%s: targets", file).isNotEmpty()
                .allSatisfy(t -> assertThat(t.status()).as("%s: %s", file, t.error()).isNotEqualTo(TargetStatus.FAILED));
    }

    private static void assertNoSecret(ScanResult r, Path file) {
        String json = new JsonReportWriter().toJson(r).toString();
        for (String s : SECRETS) {
            assertThat(json).as("%s: report carries a secret whole", file).doesNotContain(s);
        }
    }

    @Test
    void everyLambdaIamControlHasTwoPositiveAndTwoNegativeCases() throws IOException {
        for (String control : SEVERITY.keySet()) {
            assertThat(files(root().resolve(control).resolve("positive"))).as(control).hasSizeGreaterThanOrEqualTo(2);
            assertThat(files(root().resolve(control).resolve("negative"))).as(control).hasSizeGreaterThanOrEqualTo(2);
        }
    }
}
