package dev.posture.iam.analysis;

import dev.posture.iam.model.EnvVar;
import dev.posture.iam.model.FunctionUrl;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.model.Finding;
import dev.posture.model.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static dev.posture.iam.analysis.Iam.TARGET;
import static dev.posture.iam.analysis.Iam.analyzer;
import static dev.posture.iam.analysis.Iam.app;
import static dev.posture.iam.analysis.Iam.fn;
import static dev.posture.iam.analysis.Iam.inline;
import static dev.posture.iam.analysis.Iam.of;
import static dev.posture.iam.analysis.Iam.role;
import static dev.posture.iam.analysis.Iam.ruleIds;
import static dev.posture.iam.analysis.Iam.withEnv;
import static dev.posture.iam.analysis.Iam.withResourcePolicy;
import static dev.posture.iam.analysis.Iam.withRuntime;
import static dev.posture.iam.analysis.Iam.withUrls;
import static org.assertj.core.api.Assertions.assertThat;

class IamFunctionRulesTest {

    private static final String OWN_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:Fn";

    private static LambdaFunction base() {
        return fn("Fn", role("FnRole", inline("p",
                "{'Statement':{'Effect':'Allow','Action':'logs:PutLogEvents','Resource':'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/Fn:*'}}")));
    }

    private static AnalysisResult run(LambdaFunction f) {
        return analyzer().analyze(app(f), TARGET);
    }

    private static AnalysisResult runPolicy(String arn, String json) {
        return run(withResourcePolicy(base(), arn, json));
    }

    @Test
    void wellConfiguredFunctionHasNoFindings() {
        assertThat(run(base()).findings()).isEmpty();
    }

    @Test
    void publicInvoke() {
        AnalysisResult r = runPolicy(null, "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'lambda:InvokeFunction','Resource':'*'}]}");
        assertThat(of(r, "public-invoke")).singleElement().satisfies(f -> {
            assertThat(f.rule().severity().id()).isEqualTo("critical");
            assertThat(f.logicalLocation()).isEqualTo("function Fn → resource policy → statement 1");
            assertThat(f.logicalPath()).isEqualTo("function/Fn/resource-policy/statement/0/public");
        });
        assertThat(of(runPolicy(null, "{'Statement':[{'Effect':'Allow','Principal':{'AWS':'*'},'Action':'lambda:*','Resource':'*'}]}"),
                "public-invoke")).hasSize(1);
        assertThat(of(runPolicy(null, "{'Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::*:root'},'Action':'lambda:Invoke*','Resource':'*'}]}"),
                "public-invoke")).hasSize(1);
        assertThat(of(runPolicy(null, "{'Statement':[{'Effect':'Allow','NotPrincipal':{'AWS':'arn:aws:iam::111122223333:root'},'Action':'lambda:InvokeFunction','Resource':'*'}]}"),
                "public-invoke")).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"StringEquals,aws:SourceAccount,111122223333", "ArnLike,AWS:SourceArn,arn:aws:s3:::uploads",
            "StringEquals,aws:PrincipalOrgID,o-abc123", "StringEquals,aws:PrincipalAccount,111122223333",
            "StringEquals,aws:SourceOrgID,o-abc123"})
    void restrictingConditionsMakeItNotPublic(String op, String key, String value) {
        AnalysisResult r = runPolicy(null, "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'lambda:InvokeFunction','Resource':'*',"
                + "'Condition':{'" + op + "':{'" + key + "':'" + value + "'}}}]}");
        assertThat(ruleIds(r)).doesNotContain("public-invoke");
    }

    @Test
    void ifExistsOrWildcardConditionsDoNotRestrict() {
        assertThat(ruleIds(runPolicy(null, "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'lambda:InvokeFunction','Resource':'*',"
                + "'Condition':{'StringEqualsIfExists':{'aws:SourceAccount':'111122223333'}}}]}"))).contains("public-invoke");
        assertThat(ruleIds(runPolicy(null, "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'lambda:InvokeFunction','Resource':'*',"
                + "'Condition':{'StringLike':{'aws:SourceArn':'*'}}}]}"))).contains("public-invoke");
    }

    @Test
    void publicFunctionUrlPermission() {
        AnalysisResult r = runPolicy(null, """
                {'Statement':[{'Effect':'Allow','Principal':'*','Action':'lambda:InvokeFunctionUrl','Resource':'*',
                  'Condition':{'StringEquals':{'lambda:FunctionUrlAuthType':'NONE'}}}]}""");
        assertThat(of(r, "public-invoke")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("FunctionUrlAuthType NONE makes the function URL public"));
    }

    @Test
    void nonInvokeActionsAreIgnored() {
        assertThat(runPolicy(null, "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'lambda:GetFunction','Resource':'*'}]}")
                .findings()).isEmpty();
    }

    @Test
    void confusedDeputy() {
        AnalysisResult r = runPolicy(null, "{'Statement':[{'Effect':'Allow','Principal':{'Service':'s3.amazonaws.com'},'Action':'lambda:InvokeFunction','Resource':'*'}]}");
        assertThat(of(r, "confused-deputy")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("s3.amazonaws.com"));
        assertThat(ruleIds(runPolicy(null, "{'Statement':[{'Effect':'Allow','Principal':{'Service':'s3.amazonaws.com'},'Action':'lambda:InvokeFunction','Resource':'*',"
                + "'Condition':{'ArnLike':{'AWS:SourceArn':'${UploadBucket.Arn}'}}}]}"))).isEmpty();
        assertThat(ruleIds(runPolicy(null, "{'Statement':[{'Effect':'Allow','Principal':{'Service':'sns.amazonaws.com'},'Action':'lambda:InvokeFunction','Resource':'*',"
                + "'Condition':{'StringEquals':{'aws:SourceAccount':'111122223333'}}}]}"))).isEmpty();
    }

    @Test
    void crossAccountWithKnownOwnAccount() {
        String p = "{'Statement':[{'Effect':'Allow','Principal':{'AWS':['arn:aws:iam::444455556666:root','111122223333']},"
                + "'Action':'lambda:InvokeFunction','Resource':'*'}]}";
        assertThat(of(runPolicy(OWN_ARN, p), "cross-account-invoke")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("444455556666").doesNotContain("111122223333,"));
        assertThat(ruleIds(runPolicy(OWN_ARN, "{'Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/caller'},"
                + "'Action':'lambda:InvokeFunction','Resource':'*'}]}"))).isEmpty();
    }

    @Test
    void crossAccountWhenOwnAccountUnknown() {
        assertThat(of(runPolicy(null, "{'Statement':[{'Effect':'Allow','Principal':{'AWS':'111122223333'},'Action':'lambda:InvokeFunction','Resource':'*'}]}"),
                "cross-account-invoke")).hasSize(1);
        assertThat(ruleIds(runPolicy(null, "{'Statement':[{'Effect':'Allow','Principal':{'AWS':['${AWS::AccountId}','arn:${AWS::Partition}:iam::${AWS::AccountId}:root']},"
                + "'Action':'lambda:InvokeFunction','Resource':'*'}]}"))).isEmpty();
    }

    @Test
    void functionUrlWithoutAuthAndPermissionPair() {
        LambdaFunction f = withUrls(withResourcePolicy(base(), null, """
                {'Statement':[
                  {'Effect':'Allow','Principal':'*','Action':'lambda:InvokeFunctionUrl','Resource':'*','Condition':{'StringEquals':{'lambda:FunctionUrlAuthType':'NONE'}}},
                  {'Effect':'Allow','Principal':'*','Action':'lambda:InvokeFunction','Resource':'*'}]}"""),
                new FunctionUrl("NONE", List.of(), false, null, null));
        AnalysisResult r = run(f);
        assertThat(of(r, "function-url-no-auth")).singleElement().satisfies(x -> {
            assertThat(x.rule().severity().id()).isEqualTo("high");
            assertThat(x.evidence()).contains("InvokeFunctionUrl to \"*\" in [statement 1]")
                    .contains("InvokeFunction to \"*\" in [statement 2]").contains("publicly invocable");
            assertThat(x.logicalLocation()).isEqualTo("function Fn → function URL $LATEST");
        });
        assertThat(ruleIds(run(withUrls(base(), new FunctionUrl("AWS_IAM", List.of("https://app.example.com"), false, "live", null)))))
                .isEmpty();
    }

    @Test
    void corsWildcard() {
        AnalysisResult r = run(withUrls(base(), new FunctionUrl("AWS_IAM", List.of("*"), true, "live", null)));
        assertThat(of(r, "cors-wildcard")).singleElement()
                .satisfies(f -> assertThat(f.logicalPath()).isEqualTo("function/Fn/url/live/cors"));
    }

    @Test
    void deprecatedRuntimeDependsOnTheClock() {
        LambdaFunction f = withRuntime(base(), "nodejs20.x");
        Clock before = Clock.fixed(Instant.parse("2026-04-29T23:00:00Z"), ZoneOffset.UTC);
        Clock after = Clock.fixed(Instant.parse("2026-04-30T00:00:00Z"), ZoneOffset.UTC);
        assertThat(ruleIds(new IamAnalyzer(Iam.CATALOG, ManagedPolicyResolver.none(), before).analyze(app(f), TARGET)))
                .doesNotContain("deprecated-runtime");
        AnalysisResult r = new IamAnalyzer(Iam.CATALOG, ManagedPolicyResolver.none(), after).analyze(app(f), TARGET);
        assertThat(of(r, "deprecated-runtime")).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("nodejs20.x").contains("2026-04-30"));
    }

    @Test
    void runtimeTableCoversEveryFamily() {
        assertThat(LambdaRuntimes.table().keySet()).contains("nodejs18.x", "python3.9", "java8", "java8.al2",
                "dotnet6", "ruby2.7", "go1.x", "provided", "provided.al2", "provided.al2023");
        assertThat(LambdaRuntimes.deprecated("go1.x", java.time.LocalDate.of(2024, 1, 8))).isTrue();
        assertThat(LambdaRuntimes.deprecated("go1.x", java.time.LocalDate.of(2024, 1, 7))).isFalse();
        assertThat(LambdaRuntimes.deprecated("python3.13", java.time.LocalDate.of(2026, 11, 26))).isFalse();
        assertThat(LambdaRuntimes.deprecated("somethingelse", java.time.LocalDate.of(2030, 1, 1))).isFalse();
        assertThat(ruleIds(run(withRuntime(base(), "python3.9")))).contains("deprecated-runtime");
    }

    @Test
    void missingDlqTracingAndCodeSigning() {
        LambdaFunction f = new LambdaFunction("Fn", null, "python3.13", "Zip", null, List.of(), "PassThrough", null, true,
                null, null, null, List.of(), Origin.UNKNOWN);
        assertThat(ruleIds(run(f))).containsExactlyInAnyOrder("missing-dlq", "missing-tracing", "missing-code-signing");
        LambdaFunction ok = new LambdaFunction("Fn", null, null, "Image", "123.dkr.ecr.eu-west-1.amazonaws.com/app:1",
                List.of(), "Active", "arn:aws:sqs:eu-west-1:1:dlq", true, null, null, null, List.of(), Origin.UNKNOWN);
        AnalysisResult r = run(ok);
        assertThat(r.findings()).isEmpty(); // Image: no code signing check; DLQ set; tracing active
        assertThat(r.summaries().get(0).imageUri()).isEqualTo("123.dkr.ecr.eu-west-1.amazonaws.com/app:1");
        assertThat(r.summaries().get(0).usedByCode()).isEqualTo("unknown (code is not analysed)");
    }

    @Test
    void inputWarningsBecomeInfoFindingsNamingFileAndLine() {
        ServerlessApp a = new ServerlessApp(List.of(), List.of(), List.of(), List.of(new InputWarning(
                "statement 2 has no Effect; skipped", Origin.file(Location.of("template.yaml", 14, 9), "/Resources/R/Properties/Policies/0/Statement/1"))));
        AnalysisResult r = analyzer().analyze(a, TARGET);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule().id()).isEqualTo("input-warning");
            assertThat(f.rule().control()).isEqualTo("invalid-input");
            assertThat(f.rule().severity().id()).isEqualTo("info");
            assertThat(f.message()).contains("template.yaml:14:9");
            assertThat(f.location()).isEqualTo(Location.of("template.yaml", 14, 9));
        });
    }

    // ---------------------------------------------------------------- secrets

    static final String AWS_KEY = "AKIAZ7QWERTYUIOP1234";
    static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8t3kW9pQ";
    static final String GH = "ghp_0123456789abcdefghijABCDEFGHIJklmnop";
    static final String SLACK = "xoxb-1234567890-abcdefghijKLMN";
    static final String STRIPE = "sk_live_51H8abcdefGHIJKLmnopQR";
    static final String GOOGLE = "AIzaSyA1234567890abcdefghijklmnopqrstuv";
    static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    static final String PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7nq\n-----END RSA PRIVATE KEY-----";
    static final String PASSWORD = "S3cr3t-Pa55word!";
    static final String DB_URL = "postgres://app:Hunter2Hunter2@db.internal:5432/orders";

    @Test
    void secretsAreFoundAndMaskedEverywhere() {
        List<EnvVar> env = List.of(new EnvVar("ACCESS_ID", AWS_KEY, null), new EnvVar("AWS_SECRET_ACCESS_KEY", AWS_SECRET, null),
                new EnvVar("GH", GH, null), new EnvVar("SLACK", SLACK, null), new EnvVar("PAYMENTS", STRIPE, null),
                new EnvVar("MAPS", GOOGLE, null), new EnvVar("SESSION", JWT, null), new EnvVar("KEY", PEM, null),
                new EnvVar("DB_PASSWORD", PASSWORD, null), new EnvVar("DATABASE_URL", DB_URL, null));
        AnalysisResult r = run(withEnv(base(), env.toArray(EnvVar[]::new)));
        List<Finding> secrets = of(r, "secret-in-env");
        assertThat(secrets).hasSize(env.size());
        assertThat(secrets).allSatisfy(f -> assertThat(f.rule().severity().id()).isEqualTo("critical"));
        assertThat(secrets.get(0).message()).contains("AWS access key id").contains("ACCESS_ID").contains("AKIA****");
        assertThat(secrets.get(8).message()).contains("DB_PASSWORD").contains("credential-like value");
        assertThat(secrets.get(9).message()).contains("DATABASE_URL").contains("password in URL").contains("postgres://****");
        for (Finding f : secrets) {
            for (String secret : List.of(AWS_KEY, AWS_SECRET, GH, SLACK, STRIPE, GOOGLE, JWT, PEM, PASSWORD, DB_URL, "Hunter2")) {
                for (String field : Stream.of(f.message(), f.evidence(), f.logicalLocation(), f.logicalPath(), f.resource(),
                        f.fingerprint()).filter(java.util.Objects::nonNull).toList()) {
                    assertThat(field).doesNotContain(secret);
                    assertThat(field).doesNotContain(secret.substring(0, Math.min(secret.length(), 12)));
                }
            }
        }
    }

    @Test
    void placeholdersAndReferencesAreNotSecrets() {
        AnalysisResult r = run(withEnv(base(),
                new EnvVar("DB_PASSWORD", "changeme", null),
                new EnvVar("API_KEY", "${ApiKeyParam}", null),
                new EnvVar("DB_SECRET", "{{resolve:secretsmanager:prod/db:SecretString:password}}", null),
                new EnvVar("SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:db", null),
                new EnvVar("TOKEN", "", null),
                new EnvVar("AUTH_TOKEN", null, null),
                new EnvVar("SECRET_NAME", "prod/db/password", null),
                new EnvVar("TOKEN_TTL", "3600", null),
                new EnvVar("TABLE", "Orders", null),
                new EnvVar("DATABASE_URL", "postgres://${DbUser}:${DbPassword}@db:5432/x", null),
                new EnvVar("SERVICE_URL", "https://api.example.com/v1", null)));
        assertThat(of(r, "secret-in-env")).isEmpty();
    }
}
