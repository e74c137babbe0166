package dev.posture.realworld;

import dev.posture.iam.catalog.Catalogs;
import dev.posture.model.Finding;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.model.Unrecognised;
import dev.posture.scan.ProgressListener;
import dev.posture.scan.ScanRequest;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Scanner;
import dev.posture.serverless.ServerlessAnalyzer;
import dev.posture.triage.Triage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What public template collections are made of, in minimal fixtures of our own
 * ({@code fixtures/real-world/}): files that are no input, templates CloudFormation deploys
 * although they repeat a key, and policies written as JSON strings. One scan of the folder, as a
 * user would run it.
 */
class RealRepositoryPatternsTest {
    private static final Path DIR = Path.of("..", "fixtures", "real-world").normalize();
    private static ScanResult result;

    @BeforeAll
    static void scan() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
        Scanner scanner = new Scanner(List.of(new ServerlessAnalyzer(Catalogs::bundled, null, clock)), 2, clock,
                ProgressListener.NONE, "test");
        result = scanner.scan(new ScanRequest(List.of(DIR.toString()), List.of(), false,
                new ByteArrayInputStream(new byte[0]), "."), new Triage(List.of(), null, LocalDate.of(2026, 12, 1)));
    }

    private static String path(String rel) {
        return DIR.resolve(rel).toString();
    }

    private static Target target(String rel) {
        return result.targets().stream().filter(t -> t.name().equals(path(rel))).findFirst()
                .orElseThrow(() -> new AssertionError("no target " + rel + " in " + result.targets()));
    }

    private static List<Finding> findings(String rel, String ruleId) {
        return result.findings().stream().filter(f -> f.target().name().equals(path(rel)))
                .filter(f -> f.rule().id().equals(ruleId)).toList();
    }

    @Test
    void filesThatAreNoInputAreListedNeverFailed() {
        Map<String, String> unrecognised = result.unrecognised().stream()
                .collect(Collectors.toMap(Unrecognised::path, Unrecognised::reason));
        assertThat(unrecognised).containsOnlyKeys(path("typescript-app/tsconfig.json"),
                path("typescript-app/secrets.json"), path("typescript-app/example-pattern.json"),
                path("typescript-app/Orders.sln.template"), path("events/records.json"),
                path("helm-chart/templates/deployment.yaml"), path("helm-chart/templates/hpa.yaml"));
        // a chart template is no broken manifest: it needs rendering first, and the reason says how
        // (also one whose first line, "{{- if … }}", looks like JSON)
        assertThat(unrecognised.get(path("helm-chart/templates/deployment.yaml"))).contains("helm template");
        assertThat(unrecognised.get(path("helm-chart/templates/hpa.yaml"))).contains("helm template");
        // comments and trailing commas do not make tsconfig.json "broken": its keys are read and named
        assertThat(unrecognised.get(path("typescript-app/tsconfig.json"))).contains("compilerOptions");
        assertThat(unrecognised.get(path("typescript-app/secrets.json"))).isEqualTo("empty file");
        assertThat(unrecognised.get(path("events/records.json"))).contains("Records");
        assertThat(result.targets()).noneMatch(t -> t.status() == TargetStatus.FAILED);
        assertThat(result.incomplete()).isFalse();
    }

    @Test
    void aTemplateWithARepeatedKeyIsAnalysedWithTheLastValueAndBothLinesNamed() {
        assertThat(target("duplicate-keys/template.yaml").status()).isEqualTo(TargetStatus.SCANNED);
        List<String> warnings = findings("duplicate-keys/template.yaml", "input-warning").stream()
                .map(Finding::message).toList();
        assertThat(warnings).anySatisfy(w -> assertThat(w)
                .contains("key 'Name' is written twice in one mapping (lines 10 and 11)", "as CloudFormation does"));
        assertThat(warnings).anySatisfy(w -> assertThat(w)
                .contains("key 'ReportsFunction' is written twice in one mapping (lines 12 and 22)"));
        // the second ReportsFunction is the one deployed: python3.12, not the deprecated python3.8
        assertThat(findings("duplicate-keys/template.yaml", "deprecated-runtime")).isEmpty();
        // and its Deny-then-Allow statement is read as the Allow it may be
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("key 'Effect' is written twice (lines 29 and 32)",
                "read as Allow, the broadest reading"));
        assertThat(findings("duplicate-keys/template.yaml", "wildcard-admin")).singleElement()
                .satisfies(f -> assertThat(f.resource()).isEqualTo("ReportsFunction"));
    }

    @Test
    void aJsonTemplateWithARepeatedKeyIsReadTheSameWay() {
        String t = "duplicate-keys/template.json";
        assertThat(target(t).status()).isEqualTo(TargetStatus.SCANNED);
        // the second ExportFunction (python3.12) is the one deployed
        assertThat(findings(t, "deprecated-runtime")).isEmpty();
        assertThat(findings(t, "input-warning")).extracting(Finding::message)
                .anySatisfy(w -> assertThat(w).contains("key 'ExportFunction' is written twice in one mapping (lines 18 and 22)"))
                .anySatisfy(w -> assertThat(w).contains("key 'Action' is written twice (lines 12 and 13)", "the union"));
        // both actions are granted: the read and the credential creation
        assertThat(findings(t, "data-exfiltration")).isNotEmpty();
        assertThat(findings(t, "credentials-exposure")).isNotEmpty();
    }

    @Test
    void duplicatesInsidePolicyStringsAreReadBroadlyInEveryFormat() {
        // Terraform plan: "Effect":"Allow" then "Effect":"Deny" inside the policy string
        assertThat(findings("duplicate-keys/plan.json", "wildcard-admin")).hasSize(1);
        assertThat(findings("duplicate-keys/plan.json", "input-warning")).extracting(Finding::message)
                .anySatisfy(w -> assertThat(w).contains("key 'Effect' is written twice (line 1 (twice) of the policy string)"));
        // GetPolicy response: a public Allow hidden behind a first Deny
        assertThat(findings("duplicate-keys/get-policy.json", "public-invoke")).hasSize(1);
        // serverless.yml: two Action keys are both granted
        assertThat(findings("duplicate-keys/serverless.yml", "passrole-wildcard")).hasSize(1);
        assertThat(findings("duplicate-keys/serverless.yml", "data-exfiltration")).hasSize(1);
        assertThat(findings("duplicate-keys/serverless.yml", "input-warning")).extracting(Finding::message)
                .anySatisfy(w -> assertThat(w).contains("key 'timeout' is written twice", "the last value is used"));
    }

    @Test
    void policiesWrittenAsJsonStringsAreRead() {
        for (String t : List.of("sam-json-string-policies/template.yaml", "sam-json-string-policies/template.json")) {
            assertThat(target(t).status()).isEqualTo(TargetStatus.SCANNED);
            // Fn::Join of literal parts: s3:* on *
            assertThat(findings(t, "service-wildcard")).as(t).isNotEmpty();
            // Fn::Sub with and without a variable map: iam:PassRole
            assertThat(findings(t, "passrole-wildcard").size() + findings(t, "privilege-escalation").size())
                    .as(t).isPositive();
            assertThat(findings(t, "input-warning")).as(t).extracting(Finding::message)
                    .noneMatch(m -> m.contains("cannot be resolved"));
        }
        // a plain JSON string: secretsmanager:GetSecretValue on *
        assertThat(findings("sam-json-string-policies/template.yaml", "data-exfiltration"))
                .anySatisfy(f -> assertThat(f.message()).contains("secretsmanager:GetSecretValue"));
        // located at the attribute that holds the string, in the user's file
        assertThat(findings("sam-json-string-policies/template.yaml", "service-wildcard")).allSatisfy(f -> {
            assertThat(f.location().file()).isEqualTo(path("sam-json-string-policies/template.yaml"));
            assertThat(f.location().line()).isEqualTo(25);
        });
    }

    @Test
    void resourcePoliciesOfOtherServicesAreReadButNotJudgedAsIdentities() {
        String t = "sam-json-string-policies/resource-policies.yaml";
        assertThat(target(t).status()).isEqualTo(TargetStatus.SCANNED);
        // the default key policy (kms:* for the account) is no admin grant of any identity
        assertThat(result.findings().stream().filter(f -> f.target().name().equals(path(t))))
                .extracting(f -> f.rule().id()).containsOnly("unknown-action", "input-warning");
        // a misspelt action in a bucket policy is still a typo worth fixing
        assertThat(findings(t, "unknown-action")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("s3:GetObjekt"));
        // a queue policy string that is cut short is named with its place in the string
        assertThat(findings(t, "input-warning")).extracting(Finding::message)
                .anySatisfy(m -> assertThat(m).contains("policy document string is not valid JSON (line 1, column"));
    }
}
