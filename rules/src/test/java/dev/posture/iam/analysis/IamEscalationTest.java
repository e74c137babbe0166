package dev.posture.iam.analysis;

import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyKind;
import dev.posture.model.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.posture.iam.analysis.Iam.TARGET;
import static dev.posture.iam.analysis.Iam.analyseInline;
import static dev.posture.iam.analysis.Iam.analyzer;
import static dev.posture.iam.analysis.Iam.app;
import static dev.posture.iam.analysis.Iam.doc;
import static dev.posture.iam.analysis.Iam.fn;
import static dev.posture.iam.analysis.Iam.inline;
import static dev.posture.iam.analysis.Iam.of;
import static org.assertj.core.api.Assertions.assertThat;

class IamEscalationTest {

    static Stream<EscalationMethod> methods() {
        return EscalationMethod.ALL.stream();
    }

    private static String policyFor(List<String> actions) {
        return "{'Statement':{'Effect':'Allow','Action':["
                + actions.stream().map(a -> "'" + a + "'").collect(Collectors.joining(",")) + "],'Resource':'*'}}";
    }

    private static List<String> firstAlternatives(EscalationMethod m) {
        return m.required().stream().map(g -> g.get(0)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void eachMethodIsDetectedAndNamed(EscalationMethod m) {
        AnalysisResult r = analyseInline(policyFor(firstAlternatives(m)));
        List<Finding> esc = of(r, "privilege-escalation");
        assertThat(esc).filteredOn(f -> f.logicalPath().equals("role/FnRole/privilege-escalation/" + m.name()))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.message()).contains(m.name());
                    assertThat(f.evidence()).contains("statement 1 of inline policy p");
                    assertThat(f.logicalLocation()).isEqualTo("function Fn → role FnRole → inline policy p → statement 1");
                    assertThat(f.rule().severity().id()).isEqualTo("high");
                });
    }

    @ParameterizedTest(name = "{0} needs every part")
    @MethodSource("methods")
    void combinationsNeedEveryPart(EscalationMethod m) {
        if (m.required().size() < 2) {
            return;
        }
        for (int skip = 0; skip < m.required().size(); skip++) {
            List<String> partial = new java.util.ArrayList<>(firstAlternatives(m));
            partial.remove(skip);
            AnalysisResult r = analyseInline(policyFor(partial));
            assertThat(of(r, "privilege-escalation")).extracting(Finding::logicalPath)
                    .doesNotContain("role/FnRole/privilege-escalation/" + m.name());
        }
    }

    @Test
    void onePerMethodPerIdentityEvenWithSeveralGrantingStatements() {
        AnalysisResult r = analyseInline("""
                {'Statement':[{'Effect':'Allow','Action':'iam:CreatePolicyVersion','Resource':'*'},
                  {'Effect':'Allow','Action':'iam:Create*','Resource':'arn:aws:iam::111122223333:policy/app-*'}]}""");
        assertThat(of(r, "privilege-escalation")).filteredOn(f -> f.logicalPath().endsWith("CreateNewPolicyVersion"))
                .singleElement()
                .satisfies(f -> assertThat(f.evidence()).contains("statement 1 of inline policy p, statement 2 of inline policy p"));
    }

    @Test
    void passRoleLambdaChainIsOneFindingNamingAllStatements() {
        AnalysisResult r = analyseInline("""
                {'Statement':[{'Effect':'Allow','Action':'iam:PassRole','Resource':'*'},
                  {'Effect':'Allow','Action':['lambda:CreateFunction','lambda:InvokeFunction'],'Resource':'*'}]}""");
        assertThat(of(r, "privilege-escalation")).filteredOn(f -> f.logicalPath().endsWith("PassRoleToNewLambdaInvoke"))
                .singleElement()
                .satisfies(f -> assertThat(f.evidence()).contains("iam:PassRole on any resource by statement 1")
                        .contains("lambda:CreateFunction on any resource by statement 2"));
    }

    @Test
    void permissionsBoundaryRemovesEscalation() {
        Policy boundary = new Policy("AppBoundary", PolicyKind.PERMISSIONS_BOUNDARY, null, doc("""
                {'Statement':[{'Effect':'Allow','Action':['s3:*','dynamodb:*','logs:*','lambda:InvokeFunction'],'Resource':'*'}]}"""), null);
        var role = Iam.bounded("FnRole", boundary, inline("p", "{'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}"));
        AnalysisResult r = analyzer().analyze(app(fn("Fn", role)), TARGET);
        assertThat(of(r, "privilege-escalation")).isEmpty();
        assertThat(of(r, "wildcard-admin")).isEmpty();
        assertThat(of(r, "passrole-wildcard")).isEmpty();
        // without the boundary the same policy escalates in every way: one finding names every method
        AnalysisResult unbounded = analyseInline("{'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}");
        assertThat(of(unbounded, "privilege-escalation")).singleElement().satisfies(f -> {
            assertThat(f.message()).contains(EscalationMethod.ALL.size() + " methods");
            for (EscalationMethod m : EscalationMethod.ALL) {
                assertThat(f.message()).contains(m.name());
            }
        });
    }

    @Test
    void denyRemovesEscalation() {
        AnalysisResult r = analyseInline("""
                {'Statement':[{'Effect':'Allow','Action':'lambda:*','Resource':'*'},
                  {'Effect':'Deny','Action':['lambda:UpdateFunctionCode','lambda:UpdateFunctionConfiguration'],'Resource':'*'}]}""");
        assertThat(of(r, "privilege-escalation")).extracting(Finding::logicalPath)
                .noneMatch(p -> p.endsWith("UpdateExistingLambdaCode") || p.endsWith("UpdateExistingLambdaConfiguration"));
    }

    @Test
    void scopedUpdateFunctionCodeStillEscalatesAndSaysSpecificResources() {
        AnalysisResult r = analyseInline("{'Statement':{'Effect':'Allow','Action':'lambda:UpdateFunctionCode','Resource':'arn:aws:lambda:eu-west-1:111122223333:function:admin-fn'}}");
        assertThat(of(r, "privilege-escalation")).singleElement()
                .satisfies(f -> assertThat(f.evidence()).contains("on specific resources"));
    }
}
