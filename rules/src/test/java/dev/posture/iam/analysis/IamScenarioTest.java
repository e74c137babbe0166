package dev.posture.iam.analysis;

import dev.posture.iam.model.EnvVar;
import dev.posture.iam.model.FunctionUrl;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.posture.iam.analysis.Iam.TARGET;
import static dev.posture.iam.analysis.Iam.doc;
import static dev.posture.iam.analysis.Iam.inline;
import static dev.posture.iam.analysis.Iam.managedRef;
import static dev.posture.iam.analysis.Iam.role;
import static org.assertj.core.api.Assertions.assertThat;

/** A small but realistic application with the real catalog and the bundled managed policies. */
class IamScenarioTest {

    private static final String BASIC = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

    private static LambdaFunction function(String name, Role role, String runtime, boolean async, List<EnvVar> env,
                                           String resourcePolicy, List<FunctionUrl> urls) {
        return new LambdaFunction(name, null, runtime, "Zip", null, env, null, null, async, null, role,
                resourcePolicy == null ? null : doc(resourcePolicy), urls, Origin.UNKNOWN);
    }

    @Test
    void realisticApplication() {
        Role orders = role("OrdersRole", managedRef("AWSLambdaBasicExecutionRole", BASIC), inline("ddb", """
                {'Version':'2012-10-17','Statement':[
                  {'Effect':'Allow','Action':['dynamodb:GetItem','dynamodb:PutItem'],'Resource':'${OrdersTable.Arn}'}]}"""));
        Role ops = role("OpsRole", managedRef("AmazonS3FullAccess", "arn:aws:iam::aws:policy/AmazonS3FullAccess"),
                managedRef("AWSLambda_FullAccess", "arn:aws:iam::aws:policy/AWSLambda_FullAccess"));
        LambdaFunction ordersFn = function("OrdersFn", orders, "python3.13", false, List.of(new EnvVar("TABLE", "${OrdersTable}", null)),
                "{'Statement':[{'Effect':'Allow','Principal':{'Service':'apigateway.amazonaws.com'},'Action':'lambda:InvokeFunction','Resource':'*',"
                        + "'Condition':{'ArnLike':{'AWS:SourceArn':'${Api.Arn}/*'}}}]}", List.of());
        LambdaFunction reportFn = function("ReportFn", orders, "nodejs16.x", true, List.of(), null, List.of());
        LambdaFunction opsFn = function("OpsFn", ops, "python3.12", false,
                List.of(new EnvVar("SLACK_TOKEN", "xoxb-2222222222-abcdefghijklmno", null)),
                "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'lambda:InvokeFunctionUrl','Resource':'*',"
                        + "'Condition':{'StringEquals':{'lambda:FunctionUrlAuthType':'NONE'}}}]}",
                List.of(new FunctionUrl("NONE", List.of("*"), false, null, null)));
        ServerlessApp app = new ServerlessApp(List.of(ordersFn, reportFn, opsFn), List.of(), List.of(), List.of());
        AnalysisResult r = new IamAnalyzer(Iam.CATALOG, ManagedPolicyResolver.bundled(), Iam.CLOCK).analyze(app, TARGET);

        if (Boolean.getBoolean("iam.print")) {
            r.findings().forEach(f -> System.out.println(f.rule().id() + " | " + f.resource() + " | " + f.logicalLocation()
                    + " | " + f.logicalPath() + "\n    " + f.message() + "\n    " + f.evidence()));
        }
        Map<String, List<String>> byResource = new TreeMap<>();
        for (Finding f : r.findings()) {
            byResource.computeIfAbsent(f.resource(), k -> new java.util.ArrayList<>()).add(f.rule().id());
        }
        // OrdersFn: least privilege apart from the basic execution role's log writes on "*"
        assertThat(byResource.get("OrdersFn")).containsExactlyInAnyOrder("infrastructure-modification",
                "missing-tracing", "missing-code-signing");
        assertThat(byResource.get("ReportFn")).contains("deprecated-runtime", "missing-dlq")
                .doesNotContain("secret-in-env", "public-invoke");
        assertThat(byResource.get("OpsFn")).contains("service-wildcard", "wildcard-action", "data-exfiltration",
                "resource-exposure", "passrole-wildcard", "privilege-escalation", "public-invoke", "function-url-no-auth",
                "cors-wildcard", "secret-in-env").doesNotContain("wildcard-admin", "input-warning");
        assertThat(r.findings()).noneMatch(f -> f.rule().id().equals("input-warning"));
        assertThat(r.findings()).allSatisfy(f -> {
            assertThat(f.logicalLocation()).startsWith("function " + f.resource());
            assertThat(String.valueOf(f.message()) + f.evidence()).doesNotContain("abcdefghijklmno");
        });

        FunctionSummary ops1 = r.summaries().get(2);
        assertThat(ops1.function()).isEqualTo("OpsFn");
        assertThat(ops1.adminEquivalent()).isFalse();
        assertThat(ops1.grantedActions()).isGreaterThan(Iam.CATALOG.expand("s3:*").size());
        assertThat(ops1.highRiskActions()).contains("iam:PassRole", "s3:PutBucketPolicy", "lambda:UpdateFunctionCode");
        FunctionSummary orders1 = r.summaries().get(0);
        assertThat(orders1.grantedActions()).isEqualTo(5);
        assertThat(orders1.highRiskActions()).isEmpty();
    }
}
