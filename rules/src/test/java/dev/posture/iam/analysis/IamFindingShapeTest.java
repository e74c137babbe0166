package dev.posture.iam.analysis;

import dev.posture.document.DocumentParser;
import dev.posture.document.ParsedDocument;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.parse.PolicyParser;
import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Rule;
import dev.posture.model.Surface;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.posture.iam.analysis.Iam.TARGET;
import static dev.posture.iam.analysis.Iam.analyzer;
import static dev.posture.iam.analysis.Iam.fn;
import static dev.posture.iam.analysis.Iam.inline;
import static dev.posture.iam.analysis.Iam.of;
import static dev.posture.iam.analysis.Iam.role;
import static org.assertj.core.api.Assertions.assertThat;

class IamFindingShapeTest {

    @Test
    void rulesAreCompleteAndWellFormed() {
        List<Rule> rules = IamRules.all();
        Set<String> ids = new HashSet<>();
        for (Rule r : rules) {
            assertThat(ids.add(r.id())).as("duplicate " + r.id()).isTrue();
            assertThat(r.surface()).isEqualTo(Surface.SERVERLESS);
            assertThat(r.helpUri()).startsWith("https://");
            assertThat(r.description()).isNotBlank();
            assertThat(r.remediation()).isNotBlank();
            if (!r.id().equals("input-warning")) {
                assertThat(r.control()).isEqualTo(r.id());
            }
        }
        assertThat(ids).containsExactlyInAnyOrder("wildcard-admin", "service-wildcard", "wildcard-action",
                "notaction-allow", "notresource-allow", "privilege-escalation", "passrole-wildcard", "data-exfiltration",
                "resource-exposure", "credentials-exposure", "infrastructure-modification", "public-invoke",
                "confused-deputy", "cross-account-invoke", "function-url-no-auth", "cors-wildcard", "secret-in-env",
                "deprecated-runtime", "missing-dlq", "missing-tracing", "missing-code-signing", "unknown-action",
                "input-warning");
    }

    @Test
    void chainLocationAndFileLineFromTheSourceMap() throws Exception {
        String yaml = """
                Resources:
                  OrdersRole:
                    Type: AWS::IAM::Role
                    Properties:
                      Policies:
                        - PolicyName: ddb
                          PolicyDocument:
                            Version: "2012-10-17"
                            Statement:
                              - Effect: Allow
                                Action: dynamodb:GetItem
                                Resource: !GetAtt Orders.Arn
                              - Effect: Allow
                                Action: iam:PassRole
                                Resource: "*"
                """;
        ParsedDocument d = DocumentParser.parse("template.yaml", yaml).get(0);
        String ptr = "/Resources/OrdersRole/Properties/Policies/0/PolicyDocument";
        PolicyDocument doc = new PolicyParser(d.sourceMap(), null).parse(d.root().at(ptr), ptr).document();
        Role r = role("OrdersRole", new Policy("ddb", PolicyKind.INLINE, null, doc, null));
        AnalysisResult res = analyzer().analyze(Iam.app(fn("OrdersFn", r)), TARGET);
        Finding f = of(res, "passrole-wildcard").get(0);
        assertThat(f.logicalLocation()).isEqualTo("function OrdersFn → role OrdersRole → inline policy ddb → statement 2");
        assertThat(f.logicalPath()).isEqualTo("role/OrdersRole/policy/ddb/statement/1/passrole");
        assertThat(f.resource()).isEqualTo("OrdersFn");
        assertThat(f.location().file()).isEqualTo("template.yaml");
        assertThat(f.location().line()).isEqualTo(13);
        assertThat(f.fingerprint()).hasSize(32);
    }

    @Test
    void sharedRoleIsAnalysedOnceAndReportedPerFunction() {
        Role shared = role("Shared", inline("p", "{'Statement':{'Effect':'Allow','Action':'iam:PassRole','Resource':'*'}}"));
        ServerlessApp app = Iam.app(fn("A", shared), fn("B", shared));
        AnalysisResult r = analyzer().analyze(app, TARGET);
        List<Finding> pr = of(r, "passrole-wildcard");
        assertThat(pr).extracting(Finding::resource).containsExactly("A", "B");
        assertThat(pr).extracting(Finding::logicalPath).containsOnly("role/Shared/policy/p/statement/0/passrole");
        assertThat(pr.get(0).fingerprint()).isNotEqualTo(pr.get(1).fingerprint());
        assertThat(r.summaries()).extracting(FunctionSummary::function).containsExactly("A", "B");
    }

    @Test
    void standaloneRolesAndPoliciesUseTheirNameAsResource() {
        Role unused = role("Unused", inline("p", "{'Statement':{'Effect':'Allow','Action':'iam:PassRole','Resource':'*'}}"));
        Policy standalone = new Policy("ci-deploy", PolicyKind.CUSTOMER_MANAGED, null,
                Iam.doc("{'Statement':[{'Effect':'Allow','Action':'s3:*','Resource':'*'}]}"), null);
        ServerlessApp app = new ServerlessApp(List.of(), List.of(unused), List.of(standalone), List.of());
        AnalysisResult r = analyzer().analyze(app, TARGET);
        assertThat(of(r, "passrole-wildcard")).singleElement().satisfies(f -> {
            assertThat(f.resource()).isEqualTo("Unused");
            assertThat(f.logicalLocation()).isEqualTo("role Unused → inline policy p → statement 1");
        });
        assertThat(of(r, "service-wildcard")).singleElement().satisfies(f -> {
            assertThat(f.resource()).isEqualTo("ci-deploy");
            assertThat(f.logicalLocation()).isEqualTo("managed policy ci-deploy → statement 1");
            assertThat(f.logicalPath()).isEqualTo("policy/ci-deploy/statement/0/service-wildcard");
        });
        assertThat(r.summaries()).isEmpty();
    }

    @Test
    void unresolvedManagedPolicyIsReported() {
        Role r = role("R", Iam.managedRef("MysteryAccess", "arn:aws:iam::aws:policy/MysteryAccess"));
        AnalysisResult res = analyzer().analyze(Iam.app(fn("F", r)), TARGET);
        assertThat(of(res, "input-warning")).singleElement().satisfies(f -> {
            assertThat(f.message()).contains("AWS managed policy MysteryAccess could not be resolved");
            assertThat(f.evidence()).contains("arn:aws:iam::aws:policy/MysteryAccess");
        });
    }

    @Test
    void summaryCountsLevelsAndHighRisk() {
        Role r = role("R", inline("p", """
                {'Statement':[{'Effect':'Allow','Action':['s3:GetObject','s3:PutBucketPolicy','iam:PassRole','ec2:RunInstances'],'Resource':'*'}]}"""));
        FunctionSummary s = analyzer().analyze(Iam.app(fn("F", r)), TARGET).summaries().get(0);
        assertThat(s.role()).isEqualTo("R");
        assertThat(s.grantedActions()).isEqualTo(4);
        assertThat(s.byAccessLevel()).containsEntry("Read", 1).containsEntry("Permissions management", 1);
        assertThat(s.highRiskActions()).containsExactly("ec2:RunInstances", "iam:PassRole", "s3:GetObject", "s3:PutBucketPolicy");
        assertThat(s.usedByCode()).isEqualTo("unknown (code is not analysed)");
        assertThat(s.imageUri()).isNull();
    }

    @Test
    void findingsAreDeterministic() {
        Role r = role("R", inline("p", "{'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}"));
        AnalysisResult a = analyzer().analyze(Iam.app(fn("F", r)), TARGET);
        AnalysisResult b = analyzer().analyze(Iam.app(fn("F", r)), TARGET);
        assertThat(a.findings()).extracting(Finding::fingerprint)
                .containsExactlyElementsOf(b.findings().stream().map(Finding::fingerprint).toList())
                .doesNotHaveDuplicates();
    }

    @Test
    void oneAnalyzerIsSafeToShareAcrossThreads() {
        IamAnalyzer shared = analyzer();
        List<Policy> policies = IamAnalysisBenchmark.generate(400, List.copyOf(Iam.CATALOG.allActions()), new java.util.Random(7));
        IamAnalyzer fresh = analyzer();
        List<List<String>> sequential = policies.stream().map(p -> fingerprints(fresh, p)).toList();
        List<List<String>> parallel = policies.parallelStream().map(p -> fingerprints(shared, p)).toList();
        assertThat(parallel).isEqualTo(sequential);
    }

    private static List<String> fingerprints(IamAnalyzer a, Policy p) {
        return a.analyze(Iam.policies(p), TARGET).findings().stream().map(f -> f.fingerprint() + f.message()).toList();
    }
}
