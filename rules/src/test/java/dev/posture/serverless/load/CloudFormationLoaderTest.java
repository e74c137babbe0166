package dev.posture.serverless.load;

import dev.posture.iam.model.Condition;
import dev.posture.iam.model.FunctionUrl;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;
import dev.posture.source.InputKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.posture.serverless.load.Fixtures.function;
import static dev.posture.serverless.load.Fixtures.load;
import static dev.posture.serverless.load.Fixtures.policy;
import static dev.posture.serverless.load.Fixtures.policyNames;
import static org.assertj.core.api.Assertions.assertThat;

class CloudFormationLoaderTest {
    private static ServerlessApp sam;
    private static ServerlessApp cdk;

    @BeforeAll
    static void loadTemplates() throws Exception {
        sam = load("sam/template.yaml");
        cdk = load("sam/cdk-synth.template.json");
    }

    @Test
    void detectsTemplates() throws Exception {
        assertThat(ServerlessLoaders.read(Fixtures.path("sam/template.yaml")).kind())
                .isEqualTo(InputKind.CLOUDFORMATION);
        assertThat(ServerlessLoaders.read(Fixtures.path("sam/cdk-synth.template.json")).kind())
                .isEqualTo(InputKind.CLOUDFORMATION);
    }

    @Test
    void invalidYamlThrowsWithFileAndLine() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> load("sam/bad/invalid.yaml"))
                .isInstanceOf(dev.posture.document.InputException.class)
                .hasMessageContaining("invalid.yaml:12:")
                .hasMessageContaining("invalid YAML");
    }

    @Test
    void samFunctionsAndGlobals() {
        assertThat(sam.functions()).extracting(LambdaFunction::name)
                .containsExactly("OrdersApiFunction", "IngestFunction", "ImageWorkerFunction", "LegacyFunction");
        LambdaFunction api = function(sam, "OrdersApiFunction");
        assertThat(api.runtime()).isEqualTo("nodejs20.x");          // from Globals
        assertThat(api.tracingMode()).isEqualTo("Active");          // from Globals
        assertThat(api.packageType()).isEqualTo("Zip");
        assertThat(api.origin().location().line()).isEqualTo(53);
        Map<String, String> env = api.environment().stream()
                .collect(Collectors.toMap(e -> e.name(), e -> String.valueOf(e.value())));
        assertThat(env).containsEntry("STRIPE_API_KEY", "sk_live_51HxQ2aLkdIw9XexampleKey00")
                .containsEntry("TABLE_NAME", "null")                // !Ref: not a literal
                .containsEntry("STAGE", "null")                     // Globals, !Ref
                .containsEntry("LOG_LEVEL", "null");                // Globals, !FindInMap
        assertThat(api.environment().stream().filter(e -> e.name().equals("STAGE")).findFirst().orElseThrow()
                .origin().location().line()).isEqualTo(29);
        LambdaFunction ingest = function(sam, "IngestFunction");
        assertThat(ingest.runtime()).isEqualTo("python3.8");        // own value wins over Globals
        assertThat(ingest.tracingMode()).isEqualTo("PassThrough");
    }

    @Test
    void samPolicyTemplatesManagedNamesInlineAndIf() {
        Role role = function(sam, "OrdersApiFunction").role();
        assertThat(role.name()).isEqualTo("OrdersApiFunctionRole");
        assertThat(policyNames(role)).containsExactly("AWSLambdaBasicExecutionRole", "AWSXrayWriteOnlyAccess",
                "DynamoDBCrudPolicy", "S3ReadPolicy", "SQSSendMessagePolicy", "AmazonSSMReadOnlyAccess",
                "OrdersApiFunctionRolePolicy0", "CloudWatchPutMetricPolicy");
        Policy crud = policy(role, "DynamoDBCrudPolicy");
        assertThat(crud.kind()).isEqualTo(PolicyKind.SAM_TEMPLATE);
        Statement s = crud.document().statements().get(0);
        assertThat(s.actions()).contains("dynamodb:PutItem", "dynamodb:DeleteItem").hasSize(10);
        assertThat(s.resources()).containsExactly(
                "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}",
                "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}/index/*");
        assertThat(s.origin().location().line()).isEqualTo(70);
        assertThat(policy(role, "SQSSendMessagePolicy").document().statements().get(0).resources())
                .containsExactly("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${OrdersQueue.QueueName}");
        Policy managed = policy(role, "AmazonSSMReadOnlyAccess");
        assertThat(managed.kind()).isEqualTo(PolicyKind.AWS_MANAGED);
        assertThat(managed.arn()).isEqualTo("arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess");
        assertThat(managed.document()).isNull();
        // inline statements: the statement-level !If contributes its non-NoValue branch
        List<Statement> inline = policy(role, "OrdersApiFunctionRolePolicy0").document().statements();
        assertThat(inline).extracting(Statement::sid).containsExactly("ReadConfig", "ProdKms");
        assertThat(inline.get(1).resources()).containsExactly("${Import:shared-kms-key-arn}");
        assertThat(inline.get(1).origin().location().line()).isEqualTo(85);
        assertThat(inline.get(0).resources()).containsExactly(
                "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/*");
        // the unknown template is a warning, not a crash
        assertThat(sam.warnings()).singleElement().satisfies(w -> {
            assertThat(w.message()).contains("unknown SAM policy template 'FancyNewPolicy'");
            assertThat(w.origin().location().line()).isEqualTo(94);
        });
    }

    @Test
    void functionUrlConfigUsesTheAlias() {
        FunctionUrl url = function(sam, "OrdersApiFunction").urls().get(0);
        assertThat(url.noAuth()).isTrue();
        assertThat(url.allowOrigins()).containsExactly("*");
        assertThat(url.allowCredentials()).isTrue();
        assertThat(url.qualifier()).isEqualTo("live");
    }

    @Test
    void explicitRoleWithInlineManagedAttachedPoliciesBoundaryAndTrust() {
        Role r = function(sam, "IngestFunction").role();
        assertThat(r.name()).isEqualTo("IngestRole");
        assertThat(policyNames(r)).containsExactly("ingest-passrole", "AWSLambdaBasicExecutionRole",
                "IngestManagedPolicy", "ingest-extra");
        assertThat(policy(r, "AWSLambdaBasicExecutionRole").arn())
                .isEqualTo("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        Policy mp = policy(r, "IngestManagedPolicy");
        assertThat(mp.kind()).isEqualTo(PolicyKind.CUSTOMER_MANAGED);
        assertThat(mp.document().statements().get(0).resources()).containsExactly("${UploadsBucket.Arn}/*");
        Statement passRole = policy(r, "ingest-passrole").document().statements().get(0);
        assertThat(passRole.resources()).containsExactly("arn:aws:iam::${AWS::AccountId}:role/orders-*");
        assertThat(passRole.origin().location().line()).isEqualTo(163);
        assertThat(policy(r, "ingest-extra").document().statements().get(0).actions()).containsExactly("dynamodb:*");
        assertThat(r.permissionsBoundary().arn()).isEqualTo("arn:aws:iam::123456789012:policy/dev-boundary");
        assertThat(r.trustPolicy().statements().get(0).principal().values("Service"))
                .containsExactly("lambda.amazonaws.com");
        // every template role is used by a function, and the managed policy is attached
        assertThat(sam.roles()).isEmpty();
        assertThat(sam.policies()).isEmpty();
    }

    @Test
    void asyncInvocationDlqAndImages() {
        LambdaFunction api = function(sam, "OrdersApiFunction");
        assertThat(api.asyncInvoked()).isFalse();                      // Api event + URL only
        LambdaFunction ingest = function(sam, "IngestFunction");
        assertThat(ingest.asyncInvoked()).isTrue();                    // S3 event
        assertThat(ingest.deadLetterTarget()).isEqualTo("${FailureQueue.Arn}");
        LambdaFunction worker = function(sam, "ImageWorkerFunction");
        assertThat(worker.packageType()).isEqualTo("Image");
        assertThat(worker.imageUri()).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-worker:1.4.2");
        assertThat(worker.deadLetterTarget()).isEqualTo("${FailureQueue.Arn}");  // EventInvokeConfig OnFailure
        assertThat(worker.codeSigningConfigArn()).startsWith("arn:aws:lambda:eu-west-1:123456789012:code-signing");
        // the SQS event adds SAM's poller policy; Policies names it again explicitly
        assertThat(policyNames(worker.role())).containsExactly("AWSLambdaBasicExecutionRole",
                "AWSXrayWriteOnlyAccess", "AWSLambdaSQSQueueExecutionRole", "AWSLambdaSQSQueueExecutionRole");
        assertThat(worker.role().policies().get(2).origin().pointer())
                .isEqualTo("/Resources/ImageWorkerFunction/Properties/Events/Queue");
    }

    @Test
    void lambdaPermissionsBecomeResourcePolicyStatements() {
        List<Statement> api = function(sam, "OrdersApiFunction").resourcePolicy().statements();
        assertThat(api).extracting(Statement::sid)
                .containsExactly("OrdersApiFunctionUrlPublicPermissions", "PublicInvokePermission");
        // the permission SAM deploys with FunctionUrlConfig AuthType NONE
        Statement url = api.get(0);
        assertThat(url.actions()).containsExactly("lambda:InvokeFunctionUrl");
        assertThat(url.principal().isAnyone()).isTrue();
        assertThat(url.conditions()).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("lambda:FunctionUrlAuthType");
            assertThat(c.values()).containsExactly("NONE");
        });
        assertThat(url.origin().pointer()).isEqualTo("/Resources/OrdersApiFunction/Properties/FunctionUrlConfig");
        Statement pub = api.get(1);
        assertThat(pub.index()).isEqualTo(1);
        assertThat(pub.principal().isAnyone()).isTrue();
        assertThat(pub.conditions()).isEmpty();
        assertThat(pub.origin().location().line()).isEqualTo(194);

        Statement s3 = function(sam, "IngestFunction").resourcePolicy().statements().get(0);
        assertThat(s3.principal().values("Service")).containsExactly("s3.amazonaws.com");
        assertThat(s3.conditions()).extracting(Condition::operator, Condition::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ArnLike", "aws:SourceArn"),
                org.assertj.core.groups.Tuple.tuple("StringEquals", "aws:SourceAccount"));
        assertThat(s3.conditions().get(0).values()).containsExactly("${UploadsBucket.Arn}");

        Statement org = function(sam, "LegacyFunction").resourcePolicy().statements().get(0);
        assertThat(org.principal().values("AWS")).containsExactly("${PartnerAccountId}");
        assertThat(org.conditions()).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("aws:PrincipalOrgID");
            assertThat(c.values()).containsExactly("o-a1b2c3d4e5");
        });
    }

    @Test
    void plainLambdaFunctionWithExternalRoleAndUrlResource() {
        LambdaFunction legacy = function(sam, "LegacyFunction");
        assertThat(legacy.runtime()).isEqualTo("nodejs12.x");
        assertThat(legacy.role().arn()).isEqualTo("arn:aws:iam::123456789012:role/legacy-lambda-role");
        assertThat(legacy.role().name()).isEqualTo("legacy-lambda-role");
        assertThat(legacy.role().policies()).isEmpty();                 // unknown: outside the template
        assertThat(legacy.environment()).extracting(e -> e.name() + "=" + e.value())
                .containsExactly("DB_PASSWORD=hunter2-prod-password", "REGION_NAME=null");
        assertThat(legacy.urls()).singleElement().satisfies(u -> {
            assertThat(u.authType()).isEqualTo("AWS_IAM");
            assertThat(u.qualifier()).isEqualTo("live");
            assertThat(u.origin().location().line()).isEqualTo(235);
        });
    }

    @Test
    void cdkSynthesisedTemplate() {
        assertThat(cdk.warnings()).isEmpty();
        LambdaFunction f = function(cdk, "Thumbnailer5C6E7F8A");
        assertThat(f.runtime()).isEqualTo("nodejs18.x");
        assertThat(f.tracingMode()).isEqualTo("Active");
        Role r = f.role();
        assertThat(r.name()).isEqualTo("ThumbnailerServiceRole7D1B3A4C");
        assertThat(policyNames(r)).containsExactly("AWSLambdaBasicExecutionRole",
                "ThumbnailerServiceRoleDefaultPolicy9E8F2A1B");
        assertThat(policy(r, "AWSLambdaBasicExecutionRole").kind()).isEqualTo(PolicyKind.AWS_MANAGED);
        List<Statement> st = policy(r, "ThumbnailerServiceRoleDefaultPolicy9E8F2A1B").document().statements();
        assertThat(st).hasSize(2);
        assertThat(st.get(0).resources()).containsExactly("${MediaBucketBCBB02BA.Arn}",
                "${MediaBucketBCBB02BA.Arn}/*");
        assertThat(st.get(1).actions()).containsExactly("iam:PassRole");
        assertThat(st.get(1).resources()).containsExactly("*");
        assertThat(st.get(1).origin().location().line()).isEqualTo(72);
        assertThat(f.urls()).singleElement().satisfies(u -> {
            assertThat(u.noAuth()).isTrue();
            assertThat(u.allowOrigins()).containsExactly("https://media.example.com");
        });
        Statement perm = f.resourcePolicy().statements().get(0);
        assertThat(perm.actions()).containsExactly("lambda:InvokeFunctionUrl");
        assertThat(perm.principal().isAnyone()).isTrue();
        assertThat(perm.conditions()).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("lambda:FunctionUrlAuthType");
            assertThat(c.values()).containsExactly("NONE");
        });
    }
}
