package dev.posture.serverless.load;

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

import static dev.posture.serverless.load.Fixtures.function;
import static dev.posture.serverless.load.Fixtures.load;
import static dev.posture.serverless.load.Fixtures.policy;
import static dev.posture.serverless.load.Fixtures.policyNames;
import static org.assertj.core.api.Assertions.assertThat;

class ServerlessFrameworkLoaderTest {
    private static ServerlessApp app;

    @BeforeAll
    static void loadFile() throws Exception {
        app = load("serverless/serverless.yml");
    }

    @Test
    void detected() throws Exception {
        assertThat(ServerlessLoaders.read(Fixtures.path("serverless/serverless.yml")).kind())
                .isEqualTo(InputKind.SERVERLESS_FRAMEWORK);
        assertThat(ServerlessLoaders.read(Fixtures.path("serverless/legacy.yml")).kind())
                .isEqualTo(InputKind.SERVERLESS_FRAMEWORK);
    }

    @Test
    void functionsRuntimeTracingAndEnvironment() {
        assertThat(app.warnings()).isEmpty();
        assertThat(app.functions()).extracting(LambdaFunction::name)
                .containsExactly("api", "worker", "processor", "reporter");
        LambdaFunction api = function(app, "api");
        assertThat(api.runtime()).isEqualTo("nodejs18.x");
        assertThat(api.tracingMode()).isEqualTo("Active");
        assertThat(function(app, "worker").runtime()).isEqualTo("python3.12");
        assertThat(api.environment()).extracting(e -> e.name() + "=" + e.value()).containsExactly(
                "TABLE_NAME=null", "DB_PASSWORD=null",       // ${self:…}, ${ssm:…} are references
                "SENTRY_DSN=https://0123456789abcdef@o123.ingest.sentry.io/456");
        LambdaFunction processor = function(app, "processor");
        assertThat(processor.environment()).filteredOn(e -> e.name().equals("DB_PASSWORD")).singleElement()
                .satisfies(e -> {
                    assertThat(e.value()).isEqualTo("correct-horse-battery-staple");
                    assertThat(e.origin().location().line()).isEqualTo(66);
                });
    }

    @Test
    void providerStatementsFormTheSharedRole() {
        Role shared = function(app, "api").role();
        assertThat(shared.name()).isEqualTo("IamRoleLambdaExecution");
        assertThat(policyNames(shared)).containsExactly("provider.iam.role.statements",
                "AmazonDynamoDBReadOnlyAccess");
        List<Statement> st = policy(shared, "provider.iam.role.statements").document().statements();
        assertThat(st).hasSize(2);
        assertThat(st.get(0).resources()).containsExactly(
                "arn:aws:dynamodb:${aws:region}:${aws:accountId}:table/${self:custom.ordersTable}");
        assertThat(st.get(1).actions()).containsExactly("s3:*");
        assertThat(st.get(1).origin().location().line()).isEqualTo(35);
        assertThat(st.get(1).origin().pointer()).isEqualTo("/provider/iam/role/statements/1");
        assertThat(policy(shared, "AmazonDynamoDBReadOnlyAccess").kind()).isEqualTo(PolicyKind.AWS_MANAGED);
        assertThat(shared.permissionsBoundary().arn()).isEqualTo("arn:aws:iam::123456789012:policy/dev-boundary");
    }

    @Test
    void perFunctionRolesPluginAndNative() {
        Role worker = function(app, "worker").role();
        assertThat(worker.name()).isEqualTo("WorkerIamRoleLambdaExecution");
        // plugin statements + inherited provider statements and managed policies
        assertThat(policyNames(worker)).containsExactly("functions.worker.iamRoleStatements",
                "provider.iam.role.statements", "AmazonDynamoDBReadOnlyAccess");
        assertThat(policy(worker, "functions.worker.iamRoleStatements").document().statements().get(0)
                .origin().location().line()).isEqualTo(54);
        Role processor = function(app, "processor").role();
        assertThat(policyNames(processor)).containsExactly("functions.processor.iam.role.statements");
        Statement s = processor.policies().get(0).document().statements().get(0);
        assertThat(s.actions()).containsExactly("s3:GetObject");
        assertThat(s.resources()).containsExactly("arn:aws:s3:::${self:custom.uploadsBucket}/*");
    }

    @Test
    void roleFromTheResourcesBlock() {
        Role reporter = function(app, "reporter").role();
        assertThat(reporter.name()).isEqualTo("ReporterRole");
        Policy p = policy(reporter, "reporter");
        assertThat(p.document().statements().get(0).actions()).containsExactly("ses:SendEmail");
        assertThat(reporter.trustPolicy()).isNotNull();
    }

    @Test
    void urlsDestinationsAndEvents() {
        LambdaFunction api = function(app, "api");
        assertThat(api.urls()).singleElement().satisfies(u -> {
            assertThat(u.authType()).isEqualTo("NONE");
            assertThat(u.allowOrigins()).isEmpty();
        });
        assertThat(api.asyncInvoked()).isFalse();                   // http + httpApi + URL
        LambdaFunction processor = function(app, "processor");
        assertThat(processor.urls()).singleElement().satisfies(u -> {
            assertThat(u.authType()).isEqualTo("AWS_IAM");
            assertThat(u.allowOrigins()).containsExactly("https://app.example.com");
            assertThat(u.allowCredentials()).isTrue();
        });
        assertThat(processor.deadLetterTarget()).isEqualTo("arn:aws:sqs:eu-west-1:123456789012:processor-dlq");
        assertThat(processor.asyncInvoked()).isTrue();              // s3
        LambdaFunction reporter = function(app, "reporter");
        assertThat(reporter.urls()).singleElement().satisfies(u -> {
            assertThat(u.noAuth()).isTrue();
            assertThat(u.allowOrigins()).containsExactly("*");       // cors: true
        });
        assertThat(reporter.asyncInvoked()).isTrue();               // schedule
        assertThat(reporter.deadLetterTarget()).isNull();
        assertThat(function(app, "worker").asyncInvoked()).isFalse(); // sqs
    }

    @Test
    void resourcesPermissionLinksToTheFrameworkFunction() {
        List<Statement> st = function(app, "api").resourcePolicy().statements();
        assertThat(st).extracting(Statement::sid).containsExactly("ApiLambdaPermissionFnUrl", "PartnerInvoke");
        // url: true deploys a public InvokeFunctionUrl permission
        assertThat(st.get(0).principal().isAnyone()).isTrue();
        assertThat(st.get(0).conditions()).singleElement()
                .satisfies(c -> assertThat(c.values()).containsExactly("NONE"));
        assertThat(function(app, "processor").resourcePolicy()).isNull();   // aws_iam URL: no public permission
        Statement s = st.get(1);
        assertThat(s.principal().values("AWS")).containsExactly("210987654321");
    }

    @Test
    void legacyProviderSyntax() throws Exception {
        ServerlessApp legacy = load("serverless/legacy.yml");
        assertThat(legacy.warnings()).isEmpty();
        LambdaFunction charge = function(legacy, "charge");
        assertThat(charge.runtime()).isEqualTo("nodejs10.x");
        assertThat(charge.tracingMode()).isNull();
        assertThat(charge.deadLetterTarget()).isEqualTo("arn:aws:sns:eu-west-1:123456789012:billing-failures");
        assertThat(charge.asyncInvoked()).isTrue();
        assertThat(function(legacy, "refund").asyncInvoked()).isFalse();
        Role role = charge.role();
        assertThat(role).isSameAs(function(legacy, "refund").role());
        assertThat(policyNames(role)).containsExactly("provider.iamRoleStatements", "AWSLambdaVPCAccessExecutionRole");
        List<Statement> st = role.policies().get(0).document().statements();
        assertThat(st).extracting(s -> s.actions().get(0)).containsExactly("dynamodb:*", "iam:PassRole");
        assertThat(st.get(1).resources()).containsExactly("*");
        assertThat(st.get(1).origin().location().line()).isEqualTo(11);
    }
}
