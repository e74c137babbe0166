package dev.posture.serverless.load;

import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;
import dev.posture.iam.model.Effect;
import dev.posture.source.InputKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.posture.serverless.load.Fixtures.function;
import static dev.posture.serverless.load.Fixtures.load;
import static dev.posture.serverless.load.Fixtures.policy;
import static dev.posture.serverless.load.Fixtures.policyNames;
import static org.assertj.core.api.Assertions.assertThat;

class TerraformPlanLoaderTest {
    private static ServerlessApp plan;

    @BeforeAll
    static void loadPlan() throws Exception {
        plan = load("tfplan/plan.json");
    }

    @Test
    void detected() throws Exception {
        assertThat(ServerlessLoaders.read(Fixtures.path("tfplan/plan.json")).kind())
                .isEqualTo(InputKind.TERRAFORM_PLAN);
        assertThat(ServerlessLoaders.read(Fixtures.path("tfplan/prior-state-only.json")).kind())
                .isEqualTo(InputKind.TERRAFORM_PLAN);
    }

    @Test
    void rootModuleFunctionLinkedThroughConfigurationReferences() {
        assertThat(plan.warnings()).isEmpty();
        assertThat(plan.functions()).extracting(LambdaFunction::name).containsExactly("orders-api", "orders-worker");
        LambdaFunction api = function(plan, "orders-api");
        assertThat(api.runtime()).isEqualTo("nodejs16.x");
        assertThat(api.tracingMode()).isEqualTo("PassThrough");
        assertThat(api.deadLetterTarget()).isNull();
        assertThat(api.codeSigningConfigArn()).isNull();
        assertThat(api.environment()).extracting(e -> e.name() + "=" + e.value())
                .containsExactly("TABLE_NAME=orders", "JWT_SECRET=s3cr3t-jwt-signing-key-please-rotate");
        assertThat(api.environment().get(1).origin().location().line()).isEqualTo(76);
        // the role ARN is known only after apply: linked via aws_iam_role.lambda.arn
        Role role = api.role();
        assertThat(role.name()).isEqualTo("orders-api-lambda");
        assertThat(policyNames(role)).containsExactly("orders-api-inline", "AWSLambdaBasicExecutionRole");
        List<Statement> st = policy(role, "orders-api-inline").document().statements();
        assertThat(st).extracting(Statement::sid).containsExactly("Table", "Logs");
        // a JSON-string document: statements point at the attribute holding the string
        assertThat(st.get(1).origin().location().line()).isEqualTo(40);
        assertThat(st.get(1).origin().pointer())
                .isEqualTo("/aws_iam_role_policy.lambda/values/policy/Statement/1");
        assertThat(role.trustPolicy().statements().get(0).principal().values("Service"))
                .containsExactly("lambda.amazonaws.com");
    }

    @Test
    void permissionAndUrl() {
        LambdaFunction api = function(plan, "orders-api");
        Statement s = api.resourcePolicy().statements().get(0);
        assertThat(s.sid()).isEqualTo("AllowAPIGatewayInvoke");
        assertThat(s.principal().values("Service")).containsExactly("apigateway.amazonaws.com");
        assertThat(s.conditions()).singleElement().satisfies(c -> {
            assertThat(c.operator()).isEqualTo("ArnLike");
            assertThat(c.key()).isEqualTo("aws:SourceArn");
        });
        assertThat(api.urls()).singleElement().satisfies(u -> {
            assertThat(u.noAuth()).isTrue();
            assertThat(u.allowOrigins()).containsExactly("*");
            assertThat(u.origin().location().line()).isEqualTo(130);
        });
        assertThat(api.asyncInvoked()).isFalse();
    }

    @Test
    void childModuleImageFunctionRoleAndAttachedPolicyByReference() {
        LambdaFunction worker = function(plan, "orders-worker");
        assertThat(worker.packageType()).isEqualTo("Image");
        assertThat(worker.imageUri()).contains("@sha256:");
        assertThat(worker.tracingMode()).isEqualTo("Active");
        assertThat(worker.deadLetterTarget()).isEqualTo("arn:aws:sqs:eu-west-1:123456789012:orders-worker-dlq");
        assertThat(worker.codeSigningConfigArn()).contains("code-signing-config");
        assertThat(worker.asyncInvoked()).isTrue();
        // logical pointers name the resource address (stable when resources are added); lines come from the plan
        assertThat(worker.origin().pointer()).isEqualTo("/module.worker.aws_lambda_function.this");
        assertThat(worker.origin().location().line()).isEqualTo(218);
        Role role = worker.role();
        assertThat(role.arn()).isEqualTo("arn:aws:iam::123456789012:role/orders-worker");
        assertThat(policyNames(role)).containsExactly("queue", "AWSXRayDaemonWriteAccess", "orders-worker-secrets");
        assertThat(policy(role, "queue").document().statements().get(0).actions()).containsExactly("sqs:*");
        Policy secrets = policy(role, "orders-worker-secrets");
        assertThat(secrets.kind()).isEqualTo(PolicyKind.CUSTOMER_MANAGED);
        assertThat(secrets.document().statements()).extracting(Statement::effect)
                .containsExactly(Effect.ALLOW, Effect.DENY);
        assertThat(role.permissionsBoundary().arn()).isEqualTo("arn:aws:iam::123456789012:policy/dev-boundary");
        Statement s3 = worker.resourcePolicy().statements().get(0);
        assertThat(s3.principal().values("Service")).containsExactly("s3.amazonaws.com");
        assertThat(s3.conditions()).singleElement().satisfies(c -> assertThat(c.key()).isEqualTo("aws:SourceAccount"));
        // everything is attached: nothing stands alone
        assertThat(plan.roles()).isEmpty();
        assertThat(plan.policies()).isEmpty();
    }

    @Test
    void rolesLinkThroughModuleVariablesAndOutputs() throws Exception {
        ServerlessApp app = load("tfplan/modules-plan.json");
        assertThat(app.warnings()).isEmpty();
        // module.fn's role = var.role_arn, which the root passes as aws_iam_role.lambda.arn
        LambdaFunction fn = function(app, "svc-fn");
        assertThat(fn.role().name()).isEqualTo("svc-lambda");
        assertThat(policyNames(fn.role())).containsExactly("read-config");
        assertThat(fn.origin().pointer()).isEqualTo("/module.fn.aws_lambda_function.this");
        // the root function's role = module.iam.role_arn, an output of aws_iam_role.this in module.iam
        LambdaFunction other = function(app, "svc-other");
        assertThat(other.role().name()).isEqualTo("svc-other");
        assertThat(other.role().policies().get(0).document().statements().get(0).actions()).containsExactly("*");
        assertThat(app.roles()).isEmpty();
    }

    @Test
    void priorStateFallback() throws Exception {
        ServerlessApp state = load("tfplan/prior-state-only.json");
        assertThat(state.warnings()).isEmpty();
        LambdaFunction f = function(state, "legacy");
        assertThat(f.arn()).isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:legacy");
        assertThat(f.runtime()).isEqualTo("go1.x");
        assertThat(policyNames(f.role())).containsExactly("AdministratorAccess");  // empty inline block skipped
        assertThat(f.role().policies().get(0).kind()).isEqualTo(PolicyKind.AWS_MANAGED);
    }
}
