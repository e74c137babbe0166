package dev.posture.serverless.aws;

import dev.posture.iam.model.FunctionUrl;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.model.TargetType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real SDK clients of {@link LiveAwsCollector} against {@link AwsLoopbackServer}, a
 * loopback stand-in for AWS replaying the recorded responses in {@code fixtures/aws/}. Nothing
 * leaves 127.0.0.1; credentials are fake.
 */
class AwsLiveCollectorLoopbackTest {

    static final String ACCOUNT = "123456789012";
    static final String FN = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final StaticCredentialsProvider FAKE = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", SECRET));

    /** Short timeouts and near-zero backoff so retries and dead endpoints cost milliseconds. */
    static AwsClientSettings fast() {
        return new AwsClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(2), AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5)))
                .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5)))
                .circuitBreakerEnabled(false)
                .build());
    }

    static List<AwsOutcome> collect(URI endpoint, List<String> regions, List<String> functions) {
        return collect(endpoint, endpoint, endpoint, regions, functions);
    }

    static List<AwsOutcome> collect(URI iam, URI lambda, URI sts, List<String> regions, List<String> functions) {
        AwsOptions options = new AwsOptions(regions, null, functions, iam, lambda, sts, FAKE);
        return new LiveAwsCollector(options, fast()).collect();
    }

    static AwsOutcome outcome(List<AwsOutcome> outcomes, String name) {
        return outcomes.stream().filter(o -> o.target().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no outcome " + name + " in "
                        + outcomes.stream().map(o -> o.target().name()).toList()));
    }

    static LambdaFunction function(ServerlessApp app, String name) {
        return app.functions().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no function " + name));
    }

    static Policy policy(Role role, String name) {
        return role.policies().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no policy " + name + " on " + role.name()));
    }

    @Test
    void collectsFunctionsRolesAndAccountAcrossPages() throws IOException {
        try (AwsLoopbackServer aws = AwsLoopbackServer.start("routes.json")) {
            List<AwsOutcome> outcomes = collect(aws.endpoint(), List.of("us-east-1", "eu-west-1"), List.of());

            assertThat(outcomes).extracting(o -> o.target().name()).containsExactly(
                    FN + "orders-api", FN + "public-webhook", FN + "image-resizer", FN + "billing-report",
                    "aws-lambda:eu-west-1", "aws-account:" + ACCOUNT);
            assertThat(aws.requests()).as("every request was routed").noneMatch(r -> r.status() == 500);

            // one STS call; IAM authorization details once, two pages, filters and the marker sent back
            assertThat(aws.requests("GetCallerIdentity")).hasSize(1);
            List<AwsLoopbackServer.Request> iam = aws.requests("GetAccountAuthorizationDetails");
            assertThat(iam).hasSize(2);
            assertThat(iam.get(0).params()).containsEntry("Filter.member.1", "Role")
                    .containsEntry("Filter.member.2", "LocalManagedPolicy")
                    .containsEntry("Filter.member.3", "AWSManagedPolicy")
                    .doesNotContainKey("Marker");
            assertThat(iam.get(1).params()).containsEntry("Marker",
                    "AAE5Kp2xCdc8LQKd0RLtLJAKv3Fv0oYeGd5zQBhNu9nkwz/Ut0rrz1JBg+m8a6r/6Nt0cDJAoAw=");
            assertThat(iam).allMatch(r -> "iam".equals(r.service()) && "us-east-1".equals(r.region()));
            // ListFunctions: two pages in us-east-1, the marker sent back verbatim
            List<AwsLoopbackServer.Request> list = aws.requests("/2015-03-31/functions").stream()
                    .filter(r -> "us-east-1".equals(r.region())).toList();
            assertThat(list).hasSize(2);
            assertThat(list.get(1).params()).containsEntry("Marker", "v1%3Aeyqd3NLHnYyT2t0LCBtYXJrZXI6IDJ9");

            // orders-api: public resource policy, least-privilege role, boundary resolved from page 2
            AwsOutcome orders = outcome(outcomes, FN + "orders-api");
            assertThat(orders.target()).isEqualTo(new Target(TargetType.LAMBDA, FN + "orders-api", "aws:us-east-1",
                    TargetStatus.SCANNED, null));
            assertThat(orders.app().functions()).extracting(LambdaFunction::name)
                    .containsExactly("orders-api", "orders-api:live");
            LambdaFunction fn = function(orders.app(), "orders-api");
            assertThat(fn.arn()).isEqualTo(FN + "orders-api");
            assertThat(fn.runtime()).isEqualTo("python3.12");
            assertThat(fn.packageType()).isEqualTo("Zip");
            assertThat(fn.tracingMode()).isEqualTo("Active");
            assertThat(fn.codeSigningConfigArn()).as("blank CodeSigningConfigArn = none").isNull();
            assertThat(fn.deadLetterTarget()).isNull();
            assertThat(fn.asyncInvoked()).isTrue();
            assertThat(fn.urls()).isEmpty();
            assertThat(fn.environment()).extracting(e -> e.name() + "=" + e.value())
                    .containsExactly("DB_PASSWORD=hunter2-orders-prod", "LOG_LEVEL=INFO", "TABLE_NAME=orders");
            assertThat(fn.environment().get(0).origin())
                    .isEqualTo(Origin.live(FN + "orders-api", "/Environment/Variables/DB_PASSWORD"));
            Statement pub = fn.resourcePolicy().statements().get(0);
            assertThat(pub.principal().isAnyone()).isTrue();
            assertThat(pub.actions()).containsExactly("lambda:InvokeFunction");
            assertThat(pub.conditions()).isEmpty();
            assertThat(pub.origin()).isEqualTo(Origin.live(FN + "orders-api", "/Statement/0"));

            Role role = fn.role();
            assertThat(role.arn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/service-role/orders-api-role");
            Policy inline = policy(role, "orders-table-access");
            assertThat(inline.kind()).isEqualTo(PolicyKind.INLINE);
            Statement table = inline.document().statements().get(0);
            assertThat(table.sid()).isEqualTo("OrdersTable");
            assertThat(table.actions()).containsExactly("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query");
            assertThat(table.resources()).containsExactly("arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/orders",
                    "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/orders/index/*");
            assertThat(table.origin()).isEqualTo(Origin.live(role.arn(), "/RolePolicyList/orders-table-access/Statement/0"));
            Policy basic = policy(role, "AWSLambdaBasicExecutionRole");
            assertThat(basic.kind()).isEqualTo(PolicyKind.AWS_MANAGED);
            assertThat(basic.arn()).isEqualTo("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
            assertThat(basic.document().statements().get(0).actions()).contains("logs:PutLogEvents");
            assertThat(role.permissionsBoundary().kind()).isEqualTo(PolicyKind.PERMISSIONS_BOUNDARY);
            assertThat(role.permissionsBoundary().name()).isEqualTo("orders-boundary");
            assertThat(role.permissionsBoundary().document().statements().get(0).actions())
                    .containsExactly("dynamodb:*", "logs:*");
            assertThat(role.trustPolicy().statements().get(0).principal().values("Service"))
                    .containsExactly("lambda.amazonaws.com");
            assertThat(orders.app().warnings()).isEmpty();

            // the alias with its own policy: separate function, configuration of version 2
            LambdaFunction live = function(orders.app(), "orders-api:live");
            assertThat(live.arn()).isEqualTo(FN + "orders-api:live");
            assertThat(live.runtime()).isEqualTo("python3.12");
            assertThat(live.role()).isSameAs(role);
            Statement apigw = live.resourcePolicy().statements().get(0);
            assertThat(apigw.principal().values("Service")).containsExactly("apigateway.amazonaws.com");
            assertThat(apigw.conditions()).singleElement().satisfies(c -> {
                assertThat(c.keyIs("aws:SourceArn")).isTrue();
                assertThat(c.operator()).isEqualTo("ArnLike");
            });
            assertThat(live.asyncInvoked()).as("only API Gateway invokes it").isFalse();
            // versions 1 and 2 were asked for their own policies (none), $LATEST was not
            assertThat(aws.requests("/2015-03-31/functions/orders-api/policy"))
                    .extracting(r -> r.params().get("Qualifier")).containsExactly(null, "1", "2", "live");

            // public-webhook: function URL without auth, admin role; alias prod has its own (IAM-auth) URL
            ServerlessApp webhookApp = outcome(outcomes, FN + "public-webhook").app();
            assertThat(webhookApp.functions()).extracting(LambdaFunction::name)
                    .containsExactly("public-webhook", "public-webhook:prod");
            LambdaFunction prod = function(webhookApp, "public-webhook:prod");
            assertThat(prod.arn()).isEqualTo(FN + "public-webhook:prod");
            assertThat(prod.resourcePolicy()).isNull();
            assertThat(prod.runtime()).as("alias on $LATEST").isEqualTo("nodejs16.x");
            assertThat(prod.urls()).singleElement().satisfies(u -> {
                assertThat(u.authType()).isEqualTo("AWS_IAM");
                assertThat(u.noAuth()).isFalse();
                assertThat(u.qualifier()).isEqualTo("prod");
                assertThat(u.allowOrigins()).isEmpty();
            });
            LambdaFunction webhook = function(webhookApp, "public-webhook");
            assertThat(webhook.runtime()).isEqualTo("nodejs16.x");
            assertThat(webhook.urls()).singleElement().satisfies(u -> {
                assertThat(u.noAuth()).isTrue();
                assertThat(u.allowOrigins()).containsExactly("*");
                assertThat(u.allowCredentials()).isFalse();
                assertThat(u.qualifier()).isNull();
            });
            assertThat(webhook.resourcePolicy().statements().get(0).conditions())
                    .singleElement().satisfies(c -> assertThat(c.key()).isEqualTo("lambda:FunctionUrlAuthType"));
            Policy admin = policy(webhook.role(), "AdministratorAccess");
            assertThat(admin.kind()).isEqualTo(PolicyKind.AWS_MANAGED);
            assertThat(admin.document().statements().get(0).actions()).containsExactly("*");
            assertThat(admin.document().statements().get(0).resources()).containsExactly("*");
            assertThat(admin.document().statements().get(0).origin())
                    .isEqualTo(Origin.live("arn:aws:iam::aws:policy/AdministratorAccess", "/Statement/0"));

            // image-resizer: Image package, image URI from GetFunction, on-failure destination, code signing
            LambdaFunction image = function(outcome(outcomes, FN + "image-resizer").app(), "image-resizer");
            assertThat(image.packageType()).isEqualTo("Image");
            assertThat(image.runtime()).isNull();
            assertThat(image.imageUri()).isEqualTo(ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com/image-resizer:1.4.2");
            assertThat(image.deadLetterTarget()).isEqualTo("arn:aws:sqs:us-east-1:" + ACCOUNT + ":image-resizer-failures");
            assertThat(image.codeSigningConfigArn()).endsWith(":code-signing-config:csc-0a1b2c3d4e5f6a7b8");
            assertThat(image.asyncInvoked()).isTrue();
            assertThat(image.resourcePolicy().statements().get(0).conditions()).hasSize(2);

            // billing-report: AccessDenied on GetPolicy fails that function only
            AwsOutcome billing = outcome(outcomes, FN + "billing-report");
            assertThat(billing.target().status()).isEqualTo(TargetStatus.FAILED);
            assertThat(billing.target().source()).isEqualTo("aws:us-east-1");
            assertThat(billing.target().error()).startsWith("lambda:GetPolicy AccessDeniedException: User: ")
                    .contains("not authorized to perform: lambda:GetPolicy").endsWith("(HTTP 403)");
            assertThat(billing.app().functions()).isEmpty();
            assertThat(aws.requests("/2015-03-31/functions/billing-report/policy")).hasSize(1);

            // eu-west-1: the whole region cannot be listed
            Target eu = outcome(outcomes, "aws-lambda:eu-west-1").target();
            assertThat(eu.type()).isEqualTo(TargetType.LAMBDA);
            assertThat(eu.source()).isEqualTo("aws:eu-west-1");
            assertThat(eu.status()).isEqualTo(TargetStatus.FAILED);
            assertThat(eu.error()).startsWith("lambda:ListFunctions AccessDeniedException: ")
                    .contains("service control policy");

            // the account: roles no function uses, customer policies on no role
            AwsOutcome account = outcome(outcomes, "aws-account:" + ACCOUNT);
            assertThat(account.target()).isEqualTo(new Target(TargetType.IAM, "aws-account:" + ACCOUNT, "aws",
                    TargetStatus.SCANNED, null));
            assertThat(account.app().roles()).extracting(Role::name).containsExactly("ci-deployer-role");
            Policy passrole = policy(account.app().roles().get(0), "deployer-passrole");
            assertThat(passrole.kind()).isEqualTo(PolicyKind.CUSTOMER_MANAGED);
            Statement deploy = passrole.document().statements().get(0);
            assertThat(deploy.sid()).as("default version v2, URL-decoded").isEqualTo("Deploy functions + pass any role");
            assertThat(deploy.actions()).contains("iam:PassRole");
            assertThat(deploy.resources()).containsExactly("*");
            assertThat(account.app().roles().get(0).trustPolicy().statements().get(0).conditions())
                    .singleElement().satisfies(c -> assertThat(c.key()).isEqualTo("aws:MultiFactorAuthPresent"));
            assertThat(account.app().policies()).extracting(Policy::name).containsExactly("legacy-s3-read");
            assertThat(account.app().functions()).isEmpty();
            assertThat(account.app().warnings()).isEmpty();

            assertThat(outcomes).allSatisfy(o -> assertThat(String.valueOf(o.target().error())).doesNotContain(SECRET));
        }
    }

    @Test
    void functionFilterSelectsByNameOrArnAndReportsMissingNames() throws IOException {
        try (AwsLoopbackServer aws = AwsLoopbackServer.start("routes.json")) {
            List<AwsOutcome> outcomes = collect(aws.endpoint(), List.of("us-east-1"),
                    List.of("public-webhook", FN + "image-resizer", "no-such-function"));

            assertThat(outcomes).extracting(o -> o.target().name() + " " + o.target().status()).containsExactly(
                    FN + "public-webhook SCANNED", FN + "image-resizer SCANNED", "no-such-function FAILED",
                    "aws-account:" + ACCOUNT + " SCANNED");
            assertThat(outcome(outcomes, "no-such-function").target().error())
                    .isEqualTo("function no-such-function not found in region(s) us-east-1");
            assertThat(aws.requests()).noneMatch(r -> r.path().contains("/orders-api") || r.path().contains("/billing-report"));
            // roles of functions outside the filter are account roles now
            assertThat(outcome(outcomes, "aws-account:" + ACCOUNT).app().roles()).extracting(Role::name)
                    .containsExactly("orders-api-role", "billing-report-role", "ci-deployer-role");
        }
    }

    @Test
    void throttlingIsRetriedThenFailsOnlyThatTarget() throws IOException {
        try (AwsLoopbackServer aws = AwsLoopbackServer.start("routes-throttling.json")) {
            long start = System.nanoTime();
            List<AwsOutcome> outcomes = collect(aws.endpoint(), List.of("us-east-1"), List.of());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // throttled on every attempt: the SDK tried 3 times, then the function failed
            AwsOutcome orders = outcome(outcomes, FN + "orders-api");
            assertThat(orders.target().status()).isEqualTo(TargetStatus.FAILED);
            assertThat(orders.target().error()).isEqualTo(
                    "lambda:GetPolicy TooManyRequestsException: Rate exceeded (HTTP 429, throttled; gave up after 3 attempts)");
            assertThat(aws.requests("/2015-03-31/functions/orders-api/policy")).hasSize(3);
            // throttled once: the retry succeeded
            AwsOutcome image = outcome(outcomes, FN + "image-resizer");
            assertThat(image.target().status()).isEqualTo(TargetStatus.SCANNED);
            assertThat(aws.requests("/2015-03-31/functions/image-resizer/policy")).hasSize(2);
            assertThat(function(image.app(), "image-resizer").resourcePolicy()).isNotNull();
            assertThat(outcome(outcomes, FN + "public-webhook").target().status()).isEqualTo(TargetStatus.SCANNED);

            // IAM Throttling (HTTP 400): the account target fails; functions go on without roles, with a warning
            AwsOutcome account = outcome(outcomes, "aws-account:" + ACCOUNT);
            assertThat(account.target().type()).isEqualTo(TargetType.IAM);
            assertThat(account.target().status()).isEqualTo(TargetStatus.FAILED);
            assertThat(account.target().error()).isEqualTo(
                    "iam:GetAccountAuthorizationDetails Throttling: Rate exceeded (HTTP 400, throttled; gave up after 3 attempts)");
            assertThat(aws.requests("GetAccountAuthorizationDetails")).hasSize(3);
            ServerlessApp webhook = outcome(outcomes, FN + "public-webhook").app();
            assertThat(webhook.functions().get(0).role()).isNull();
            assertThat(webhook.warnings()).singleElement().satisfies(w -> assertThat(w.message())
                    .contains("webhook-admin-role").contains("authorization details are unavailable")
                    .contains("Throttling"));

            assertThat(took).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void iamAccessDeniedFailsTheAccountTargetWithoutRetrying() throws IOException {
        try (AwsLoopbackServer aws = AwsLoopbackServer.start("routes-iam-denied.json")) {
            List<AwsOutcome> outcomes = collect(aws.endpoint(), List.of("us-east-1"), List.of());

            Target account = outcome(outcomes, "aws-account:" + ACCOUNT).target();
            assertThat(account.status()).isEqualTo(TargetStatus.FAILED);
            assertThat(account.error()).startsWith("iam:GetAccountAuthorizationDetails AccessDenied: User: ")
                    .endsWith("(HTTP 403)");
            assertThat(aws.requests("GetAccountAuthorizationDetails")).hasSize(1);
            assertThat(outcome(outcomes, FN + "orders-api").target().status()).isEqualTo(TargetStatus.SCANNED);
        }
    }

    @Test
    void unreachableEndpointGivesFailedTargetsNamingIt() throws IOException {
        URI closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        long start = System.nanoTime();
        List<AwsOutcome> outcomes = collect(closed, List.of("us-east-1"), List.of());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(outcomes).extracting(o -> o.target().name() + " " + o.target().status())
                .containsExactly("aws-lambda:us-east-1 FAILED", "aws-account:unknown FAILED");
        assertThat(outcome(outcomes, "aws-lambda:us-east-1").target().error())
                .startsWith("lambda:ListFunctions: cannot reach endpoint " + closed + " (");
        assertThat(outcome(outcomes, "aws-account:unknown").target().error())
                .startsWith("iam:GetAccountAuthorizationDetails: cannot reach endpoint " + closed + " (");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void stsFailureLeavesTheAccountUnknownButScans() throws IOException {
        URI closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        try (AwsLoopbackServer aws = AwsLoopbackServer.start("routes.json")) {
            List<AwsOutcome> outcomes = collect(aws.endpoint(), aws.endpoint(), closed, List.of("eu-central-1"), List.of());

            assertThat(outcomes).extracting(o -> o.target().name() + " " + o.target().status())
                    .containsExactly("aws-account:unknown SCANNED");
            AwsOutcome account = outcomes.get(0);
            assertThat(account.app().warnings()).singleElement().satisfies(w -> assertThat(w.message())
                    .startsWith("sts:GetCallerIdentity: cannot reach endpoint " + closed)
                    .endsWith("; account id unknown"));
            assertThat(account.app().roles()).hasSize(5);
            assertThat(account.app().policies()).extracting(Policy::name).containsExactly("legacy-s3-read");
        }
    }

    @Test
    void missingProfileCredentialsFailTargetsWithoutThrowing(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("config"), "[profile other]\nregion = eu-west-1\n");
        Path creds = Files.writeString(dir.resolve("credentials"), "");
        String oldConfig = System.getProperty("aws.configFile");
        String oldCreds = System.getProperty("aws.sharedCredentialsFile");
        System.setProperty("aws.configFile", config.toString());
        System.setProperty("aws.sharedCredentialsFile", creds.toString());
        try (AwsLoopbackServer aws = AwsLoopbackServer.start("routes.json")) {
            AwsOptions options = new AwsOptions(List.of("us-east-1"), "no-such-profile", List.of(),
                    aws.endpoint(), aws.endpoint(), aws.endpoint(), null);
            List<AwsOutcome> outcomes = new LiveAwsCollector(options, fast()).collect();

            assertThat(outcomes).extracting(o -> o.target().name() + " " + o.target().status())
                    .containsExactly("aws-lambda:us-east-1 FAILED", "aws-account:unknown FAILED");
            assertThat(outcomes).allSatisfy(o -> assertThat(o.target().error()).contains("no-such-profile"));
            assertThat(aws.requests()).as("nothing is sent unsigned").isEmpty();
        } finally {
            restore("aws.configFile", oldConfig);
            restore("aws.sharedCredentialsFile", oldCreds);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void urlEncodedDocumentsAreDecodedAndPlainOnesKept() {
        String plain = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"a+b\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
        String encoded = java.net.URLEncoder.encode(plain, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(IamAccountSnapshot.decode(encoded)).isEqualTo(plain);
        assertThat(IamAccountSnapshot.decode(plain)).isEqualTo(plain);
        assertThat(IamAccountSnapshot.managedKind("arn:aws:iam::aws:policy/ReadOnlyAccess")).isEqualTo(PolicyKind.AWS_MANAGED);
        assertThat(IamAccountSnapshot.managedKind("arn:aws-cn:iam::aws:policy/ReadOnlyAccess")).isEqualTo(PolicyKind.AWS_MANAGED);
        assertThat(IamAccountSnapshot.managedKind("arn:aws:iam::123456789012:policy/aws")).isEqualTo(PolicyKind.CUSTOMER_MANAGED);
    }

    @Test
    void optionsNeverPrintCredentials() {
        AwsOptions o = new AwsOptions(List.of("us-east-1"), null, null, null, null, null, FAKE);
        assertThat(o.toString()).doesNotContain(SECRET).doesNotContain("AKIA").contains("credentials=explicit");
        assertThat(o.functionNames()).isEmpty();
        assertThat(Map.of("k", o.regions())).containsEntry("k", List.of("us-east-1"));
        assertThat(FunctionUrl.class).isNotNull();
    }
}
