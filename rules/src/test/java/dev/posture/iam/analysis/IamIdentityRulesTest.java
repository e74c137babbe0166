package dev.posture.iam.analysis;

import dev.posture.model.Finding;
import org.junit.jupiter.api.Test;

import static dev.posture.iam.analysis.Iam.analyseInline;
import static dev.posture.iam.analysis.Iam.of;
import static dev.posture.iam.analysis.Iam.ruleIds;
import static org.assertj.core.api.Assertions.assertThat;

class IamIdentityRulesTest {

    private static final String LEAST_PRIVILEGE = """
            {'Version':'2012-10-17','Statement':[
              {'Sid':'Table','Effect':'Allow','Action':['dynamodb:GetItem','dynamodb:PutItem','dynamodb:Query'],
               'Resource':['arn:aws:dynamodb:eu-west-1:111122223333:table/Orders','${OrdersTable.Arn}/index/*']},
              {'Sid':'Bucket','Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::orders-archive/*'},
              {'Sid':'Logs','Effect':'Allow','Action':['logs:CreateLogStream','logs:PutLogEvents'],
               'Resource':'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/orders:*'},
              {'Sid':'Secret','Effect':'Allow','Action':'secretsmanager:GetSecretValue','Resource':'${DbSecret}'},
              {'Sid':'PassOne','Effect':'Allow','Action':'iam:PassRole','Resource':'arn:aws:iam::111122223333:role/orders-worker',
               'Condition':{'StringEquals':{'iam:PassedToService':'states.amazonaws.com'}}}]}""";

    @Test
    void leastPrivilegePolicyHasNoIdentityFindings() {
        AnalysisResult r = analyseInline(LEAST_PRIVILEGE);
        assertThat(r.findings()).isEmpty();
        assertThat(r.summaries().get(0).grantedActions()).isEqualTo(8);
        assertThat(r.summaries().get(0).adminEquivalent()).isFalse();
    }

    @Test
    void wildcardAdmin() {
        AnalysisResult r = analyseInline("{'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}");
        assertThat(of(r, "wildcard-admin")).singleElement().satisfies(f -> {
            assertThat(f.rule().severity().id()).isEqualTo("critical");
            assertThat(f.message()).startsWith("Role FnRole is admin-equivalent").contains("100%");
        });
        assertThat(r.summaries().get(0).adminEquivalent()).isTrue();
    }

    @Test
    void notActionIamWithAllowOnStarIsAdminEquivalentByTheNinetyPercentRule() {
        AnalysisResult r = analyseInline("{'Statement':{'Effect':'Allow','NotAction':'iam:*','Resource':'*'}}");
        assertThat(ruleIds(r)).contains("wildcard-admin", "notaction-allow");
    }

    @Test
    void notActionLeavingLittleIsNotAdmin() {
        AnalysisResult r = analyseInline("""
                {'Statement':[{'Effect':'Allow','NotAction':'iam:*','Resource':'*'},
                  {'Effect':'Deny','NotAction':['s3:*','dynamodb:*'],'Resource':'*'}]}""");
        assertThat(ruleIds(r)).contains("notaction-allow").doesNotContain("wildcard-admin");
        AnalysisResult scoped = analyseInline("{'Statement':{'Effect':'Allow','NotAction':'iam:*','Resource':'arn:aws:s3:::bucket/*'}}");
        assertThat(ruleIds(scoped)).contains("notaction-allow").doesNotContain("wildcard-admin");
    }

    @Test
    void powerUserAccessIsAdminEquivalentThroughNotAction() {
        IamAnalyzer a = new IamAnalyzer(Iam.CATALOG, ManagedPolicyResolver.bundled(), Iam.CLOCK);
        AnalysisResult r = a.analyze(Iam.app(Iam.fn("Fn", Iam.role("FnRole",
                Iam.managedRef("PowerUserAccess", "arn:${AWS::Partition}:iam::aws:policy/PowerUserAccess")))), Iam.TARGET);
        assertThat(of(r, "wildcard-admin")).singleElement().satisfies(f -> {
            assertThat(f.message()).contains("on unconstrained resources");
            assertThat(f.logicalLocation()).isEqualTo("function Fn → role FnRole → AWS managed policy PowerUserAccess → statement 1");
        });
        assertThat(ruleIds(r)).contains("notaction-allow").doesNotContain("input-warning");
    }

    @Test
    void allOfIamIsAdminEquivalent() {
        AnalysisResult r = analyseInline("{'Statement':{'Effect':'Allow','Action':'iam:*','Resource':'*'}}");
        assertThat(of(r, "wildcard-admin")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("every iam action"));
    }

    @Test
    void adminOnSpecificResourceIsNotAdmin() {
        AnalysisResult r = analyseInline("{'Statement':{'Effect':'Allow','Action':'*','Resource':'arn:aws:s3:::bucket/*'}}");
        assertThat(ruleIds(r)).doesNotContain("wildcard-admin", "wildcard-action", "data-exfiltration",
                "infrastructure-modification", "passrole-wildcard");
    }

    @Test
    void unconditionalDenyRemovesAdmin() {
        AnalysisResult r = analyseInline("""
                {'Statement':[{'Effect':'Allow','Action':'*','Resource':'*'},
                  {'Effect':'Deny','NotAction':['s3:GetObject'],'Resource':'*'}]}""");
        assertThat(ruleIds(r)).doesNotContain("wildcard-admin", "privilege-escalation");
    }

    @Test
    void conditionalDenyKeepsAdminAndSaysSo() {
        AnalysisResult r = analyseInline("""
                {'Statement':[{'Effect':'Allow','Action':'*','Resource':'*'},
                  {'Effect':'Deny','Action':'*','Resource':'*','Condition':{'Bool':{'aws:MultiFactorAuthPresent':'false'}}}]}""");
        assertThat(of(r, "wildcard-admin")).singleElement()
                .satisfies(f -> assertThat(f.evidence()).contains("Deny in statement 2 of inline policy p is conditional")
                        .contains("not subtracted"));
    }

    @Test
    void serviceWildcard() {
        AnalysisResult r = analyseInline("{'Statement':{'Effect':'Allow','Action':'dynamodb:*','Resource':'arn:aws:dynamodb:eu-west-1:1:table/Orders'}}");
        assertThat(of(r, "service-wildcard")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("dynamodb:*"));
        // scoped resource: no wildcard-action
        assertThat(ruleIds(r)).doesNotContain("wildcard-action");
        assertThat(ruleIds(analyseInline("{'Statement':{'Effect':'Allow','Action':'dynamodb:Get*','Resource':'*'}}")))
                .doesNotContain("service-wildcard").contains("wildcard-action");
    }

    @Test
    void serviceWildcardFullyDeniedIsNotReported() {
        AnalysisResult r = analyseInline("""
                {'Statement':[{'Effect':'Allow','Action':'sqs:*','Resource':'*'},{'Effect':'Deny','Action':'sqs:*','Resource':'*'}]}""");
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void wildcardActionInTheMiddle() {
        AnalysisResult r = analyseInline("{'Statement':{'Effect':'Allow','Action':'iam:*Policy*','Resource':'*'}}");
        assertThat(of(r, "wildcard-action")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("iam:*Policy*").contains("unconstrained resource *"));
        assertThat(of(r, "privilege-escalation")).extracting(Finding::logicalPath)
                .anyMatch(p -> p.endsWith("CreateNewPolicyVersion"))
                .anyMatch(p -> p.endsWith("PutRolePolicy"));
    }

    @Test
    void wildcardActionNotOnScopedResource() {
        assertThat(ruleIds(analyseInline("{'Statement':{'Effect':'Allow','Action':'s3:Get*','Resource':'arn:aws:s3:::b/*'}}")))
                .doesNotContain("wildcard-action");
    }

    @Test
    void notResourceAllow() {
        AnalysisResult r = analyseInline("{'Statement':{'Effect':'Allow','Action':'s3:PutObject','NotResource':'arn:aws:s3:::prod/*'}}");
        assertThat(of(r, "notresource-allow")).hasSize(1);
        assertThat(ruleIds(analyseInline("{'Statement':{'Effect':'Deny','Action':'s3:*','NotResource':'arn:aws:s3:::prod/*'}}")))
                .doesNotContain("notresource-allow");
    }

    @Test
    void notActionDenyIsNotReported() {
        assertThat(ruleIds(analyseInline("""
                {'Statement':[{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'},
                  {'Effect':'Deny','NotAction':'s3:GetObject','Resource':'*'}]}"""))).isEmpty();
    }

    @Test
    void passRoleWildcardAndScoped() {
        assertThat(of(analyseInline("{'Statement':{'Effect':'Allow','Action':'iam:PassRole','Resource':'arn:aws:iam::*:role/*'}}"),
                "passrole-wildcard")).hasSize(1);
        assertThat(ruleIds(analyseInline("{'Statement':{'Effect':'Allow','Action':'iam:PassRole','Resource':'arn:aws:iam::111122223333:role/worker'}}")))
                .doesNotContain("passrole-wildcard");
    }

    @Test
    void dataExfiltration() {
        AnalysisResult r = analyseInline("{'Statement':{'Effect':'Allow','Action':['secretsmanager:GetSecretValue','kms:Decrypt','ssm:GetParametersByPath'],'Resource':'*'}}");
        assertThat(of(r, "data-exfiltration")).singleElement().satisfies(f -> assertThat(f.message())
                .contains("secretsmanager:GetSecretValue").contains("kms:Decrypt").contains("ssm:GetParametersByPath"));
        assertThat(ruleIds(analyseInline("{'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}}")))
                .doesNotContain("data-exfiltration");
        assertThat(ruleIds(analyseInline("{'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::*/*'}}")))
                .contains("data-exfiltration");
    }

    @Test
    void resourceExposure() {
        AnalysisResult r = analyseInline("{'Statement':{'Effect':'Allow','Action':['s3:PutBucketPolicy','lambda:AddPermission','sqs:AddPermission'],'Resource':'*'}}");
        assertThat(of(r, "resource-exposure")).singleElement().satisfies(f -> assertThat(f.message())
                .contains("s3:PutBucketPolicy").contains("lambda:AddPermission").contains("sqs:AddPermission"));
        assertThat(ruleIds(analyseInline("{'Statement':{'Effect':'Allow','Action':'s3:PutObject','Resource':'arn:aws:s3:::b/*'}}")))
                .doesNotContain("resource-exposure");
    }

    @Test
    void credentialsExposure() {
        assertThat(of(analyseInline("{'Statement':{'Effect':'Allow','Action':['ecr:GetAuthorizationToken','sts:GetFederationToken'],'Resource':'*'}}"),
                "credentials-exposure")).hasSize(1);
        assertThat(of(analyseInline("{'Statement':{'Effect':'Allow','Action':'sts:AssumeRole','Resource':'*'}}"),
                "credentials-exposure")).hasSize(1);
        assertThat(ruleIds(analyseInline("{'Statement':{'Effect':'Allow','Action':'sts:AssumeRole','Resource':'arn:aws:iam::111122223333:role/reader'}}")))
                .doesNotContain("credentials-exposure");
    }

    @Test
    void infrastructureModificationIsOnePerIdentityWithCountAndSample() {
        AnalysisResult r = analyseInline("""
                {'Statement':[{'Effect':'Allow','Action':['ec2:CreateVpc','ec2:DeleteVpc'],'Resource':'*'},
                  {'Effect':'Allow','Action':'sqs:DeleteQueue','Resource':'*'}]}""");
        assertThat(of(r, "infrastructure-modification")).singleElement().satisfies(f -> {
            assertThat(f.message()).contains("3 write action(s)");
            assertThat(f.evidence()).contains("count 3").contains("ec2:CreateVpc");
        });
        assertThat(ruleIds(analyseInline("{'Statement':{'Effect':'Allow','Action':'sqs:DeleteQueue','Resource':'arn:aws:sqs:*:*:q'}}")))
                .doesNotContain("infrastructure-modification");
    }

    @Test
    void unknownActionWithSuggestion() {
        AnalysisResult r = analyseInline("""
                {'Statement':[{'Effect':'Allow','Action':['s3:GetObjekt','s3:GetObject'],'Resource':'arn:aws:s3:::b/*'},
                  {'Effect':'Deny','Action':['s4:GetObject','dynamodb:Get*Objekt'],'Resource':'*'}]}""");
        assertThat(of(r, "unknown-action")).hasSize(2);
        assertThat(of(r, "unknown-action").get(0).message()).contains("s3:GetObjekt").contains("did you mean s3:GetObject?");
        assertThat(of(r, "unknown-action").get(1).message()).contains("unknown service prefix \"s4\"")
                .contains("dynamodb:Get*Objekt\" matches no action");
        assertThat(ruleIds(analyseInline("{'Statement':{'Effect':'Allow','Action':['s3:getobject','S3:List*'],'Resource':'arn:aws:s3:::b/*'}}")))
                .doesNotContain("unknown-action");
    }

    @Test
    void conditionalAllowIsReportedAsConditional() {
        AnalysisResult r = analyseInline("""
                {'Statement':{'Effect':'Allow','Action':'iam:PassRole','Resource':'*','Condition':{'StringEquals':{'iam:PassedToService':'lambda.amazonaws.com'}}}}""");
        assertThat(of(r, "passrole-wildcard")).singleElement()
                .satisfies(f -> assertThat(f.evidence()).contains("conditional Allow").contains("iam:PassedToService"));
    }
}
