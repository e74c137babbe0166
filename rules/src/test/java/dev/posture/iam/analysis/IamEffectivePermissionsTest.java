package dev.posture.iam.analysis;

import dev.posture.iam.catalog.AccessLevel;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.posture.iam.analysis.Iam.analyzer;
import static dev.posture.iam.analysis.Iam.doc;
import static dev.posture.iam.analysis.Iam.inline;
import static dev.posture.iam.analysis.Iam.managedRef;
import static dev.posture.iam.analysis.Iam.role;
import static org.assertj.core.api.Assertions.assertThat;

class IamEffectivePermissionsTest {

    private static EffectivePermissions eff(Role r) {
        return analyzer().effectivePermissions(r);
    }

    @Test
    void allowMinusUnconditionalDeny() {
        EffectivePermissions ep = eff(role("R", inline("p", """
                {'Version':'2012-10-17','Statement':[
                  {'Effect':'Allow','Action':'s3:*','Resource':'*'},
                  {'Effect':'Deny','Action':['s3:DeleteBucket','s3:PutBucketPolicy'],'Resource':'*'}]}""")));
        assertThat(ep.isGranted("s3:GetObject")).isTrue();
        assertThat(ep.isGranted("s3:DeleteBucket")).isFalse();
        assertThat(ep.isGranted("S3:PUTBUCKETPOLICY")).isFalse();
        assertThat(ep.grantedCount()).isEqualTo(Iam.CATALOG.expand("s3:*").size() - 2);
    }

    @Test
    void conditionalDenyDoesNotRemoveTheGrantAndSaysSo() {
        EffectivePermissions ep = eff(role("R", inline("p", """
                {'Version':'2012-10-17','Statement':[
                  {'Effect':'Allow','Action':'s3:GetObject','Resource':'*'},
                  {'Effect':'Allow','Action':'s3:PutObject','Resource':'*'},
                  {'Effect':'Deny','Action':'s3:*','Resource':'*','Condition':{'Bool':{'aws:SecureTransport':'false'}}}]}""")));
        assertThat(ep.isGranted("s3:GetObject")).isTrue();
        assertThat(ep.notes()).anyMatch(n -> n.startsWith("Deny in statement 3 of inline policy p is conditional")
                && n.endsWith("not subtracted"));
    }

    @Test
    void denyOnNarrowerResourcesIsNotSubtractedButCoveringDenyIs() {
        EffectivePermissions ep = eff(role("R", inline("p", """
                {'Version':'2012-10-17','Statement':[
                  {'Effect':'Allow','Action':'s3:GetObject','Resource':'*'},
                  {'Effect':'Allow','Action':'s3:PutObject','Resource':'arn:aws:s3:::logs/*'},
                  {'Effect':'Deny','Action':['s3:GetObject','s3:PutObject'],'Resource':'arn:aws:s3:::logs/*'}]}""")));
        assertThat(ep.isGranted("s3:GetObject")).isTrue();
        assertThat(ep.isGranted("s3:PutObject")).isFalse();
        assertThat(ep.notes()).anyMatch(n -> n.contains("narrower resources"));
    }

    @Test
    void notActionAllowGrantsEveryOtherCatalogAction() {
        EffectivePermissions ep = eff(role("R", inline("p", """
                {'Statement':{'Effect':'Allow','NotAction':'iam:*','Resource':'*'}}""")));
        int all = Iam.CATALOG.allActions().size();
        int iam = Iam.CATALOG.expand("iam:*").size();
        assertThat(ep.grantedCount()).isEqualTo(all - iam);
        assertThat(ep.isGranted("iam:PassRole")).isFalse();
        assertThat(ep.isGranted("ec2:RunInstances")).isTrue();
    }

    @Test
    void notActionDenySubtractsEverythingButTheList() {
        EffectivePermissions ep = eff(role("R", inline("p", """
                {'Statement':[{'Effect':'Allow','Action':'*','Resource':'*'},
                  {'Effect':'Deny','NotAction':['s3:GetObject','logs:*'],'Resource':'*'}]}""")));
        assertThat(ep.isGranted("s3:GetObject")).isTrue();
        assertThat(ep.isGranted("logs:PutLogEvents")).isTrue();
        assertThat(ep.isGranted("s3:PutObject")).isFalse();
        assertThat(ep.grantedCount()).isEqualTo(1 + Iam.CATALOG.expand("logs:*").size());
    }

    @Test
    void wildcardInTheMiddleOfAName() {
        EffectivePermissions ep = eff(role("R", inline("p", """
                {'Statement':{'Effect':'Allow','Action':'iam:*Policy*','Resource':'*'}}""")));
        assertThat(ep.isGranted("iam:CreatePolicyVersion")).isTrue();
        assertThat(ep.isGranted("iam:PutRolePolicy")).isTrue();
        assertThat(ep.isGranted("iam:AttachRolePolicy")).isTrue();
        assertThat(ep.isGranted("iam:PassRole")).isFalse();
        assertThat(ep.grants().keySet()).allMatch(a -> a.toLowerCase().contains("policy"));
    }

    @Test
    void grantsRecordStatementsUnconstrainedAndConditional() {
        EffectivePermissions ep = eff(role("R", inline("p", """
                {'Statement':[
                  {'Sid':'Scoped','Effect':'Allow','Action':'dynamodb:GetItem','Resource':'${Table.Arn}'},
                  {'Effect':'Allow','Action':'dynamodb:GetItem','Resource':'*','Condition':{'StringEquals':{'aws:RequestedRegion':'eu-west-1'}}},
                  {'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::data'}]}""")));
        Grant g = ep.grant("dynamodb:getitem").orElseThrow();
        assertThat(g.action()).isEqualTo("dynamodb:GetItem");
        assertThat(g.statements()).hasSize(2);
        assertThat(g.statements().get(0).logicalLocation()).isEqualTo("role R → inline policy p → statement 1 (Sid Scoped)");
        assertThat(g.statements().get(0).logicalPath()).isEqualTo("role/R/policy/p/statement/0");
        assertThat(g.unconstrainedResource()).isTrue();
        assertThat(g.conditional()).isFalse(); // statement 1 grants it unconditionally
        Grant list = ep.grants().get("s3:ListBucket");
        assertThat(list.unconstrainedResource()).isFalse();
        assertThat(ep.grant("s3:GetObject")).isEmpty();
    }

    @Test
    void onlyConditionalGrantsAreConditional() {
        EffectivePermissions ep = eff(role("R", inline("p", """
                {'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'*',
                  'Condition':{'StringEquals':{'aws:PrincipalTag/team':'a'}}}}""")));
        assertThat(ep.grant("s3:GetObject").orElseThrow().conditional()).isTrue();
    }

    @Test
    void notResourceAllowIsUnconstrained() {
        EffectivePermissions ep = eff(role("R", inline("p", """
                {'Statement':{'Effect':'Allow','Action':'s3:GetObject','NotResource':'arn:aws:s3:::secret/*'}}""")));
        assertThat(ep.grant("s3:GetObject").orElseThrow().unconstrainedResource()).isTrue();
    }

    @Test
    void permissionsBoundaryIntersects() {
        Policy boundary = new Policy("Boundary", dev.posture.iam.model.PolicyKind.PERMISSIONS_BOUNDARY, null, doc("""
                {'Statement':[{'Effect':'Allow','Action':['s3:*','dynamodb:*'],'Resource':'*'},
                  {'Effect':'Deny','Action':'s3:DeleteBucket','Resource':'*'}]}"""), null);
        EffectivePermissions ep = eff(Iam.bounded("R", boundary, inline("p", """
                {'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}""")));
        assertThat(ep.boundaryApplied()).isTrue();
        assertThat(ep.isGranted("s3:GetObject")).isTrue();
        assertThat(ep.isGranted("s3:DeleteBucket")).isFalse();
        assertThat(ep.isGranted("iam:PassRole")).isFalse();
        assertThat(ep.adminEquivalent()).isFalse();
    }

    @Test
    void boundaryOnSpecificResourcesMakesGrantConstrained() {
        Policy boundary = new Policy("B", dev.posture.iam.model.PolicyKind.PERMISSIONS_BOUNDARY, null, doc("""
                {'Statement':{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws:s3:::app/*'}}"""), null);
        EffectivePermissions ep = eff(Iam.bounded("R", boundary, inline("p", """
                {'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}}""")));
        assertThat(ep.grant("s3:GetObject").orElseThrow().unconstrainedResource()).isFalse();
    }

    @Test
    void managedPoliciesResolveByArnOrNameAndUnresolvedAreReported() {
        var admin = doc("{'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}");
        IamAnalyzer a = analyzer(Map.of("arn:aws:iam::aws:policy/AdministratorAccess", admin));
        EffectivePermissions ep = a.effectivePermissions(role("R",
                managedRef("AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess"),
                managedRef("NoSuchPolicy", "arn:aws:iam::aws:policy/NoSuchPolicy")));
        assertThat(ep.adminEquivalent()).isTrue();
        assertThat(ep.unresolvedPolicies()).extracting(Policy::name).containsExactly("NoSuchPolicy");
        assertThat(ep.notes()).anyMatch(n -> n.contains("NoSuchPolicy") && n.contains("could not be resolved"));
    }

    @Test
    void countsByAccessLevel() {
        EffectivePermissions ep = eff(role("R", inline("p", """
                {'Statement':{'Effect':'Allow','Action':['s3:GetObject','s3:ListBucket','s3:PutObject','s3:PutBucketPolicy'],'Resource':'*'}}""")));
        Map<AccessLevel, Integer> c = ep.countsByLevel();
        assertThat(c.get(AccessLevel.READ)).isEqualTo(1);
        assertThat(c.get(AccessLevel.LIST)).isEqualTo(1);
        assertThat(c.get(AccessLevel.PERMISSIONS_MANAGEMENT)).isEqualTo(1);
        assertThat(c.get(AccessLevel.WRITE)).isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "arn:aws:s3:::*", "arn:aws:s3:::*/*", "arn:aws:iam::*:role/*", "arn:aws:*:*:*:*",
            "arn:aws:iam::123456789012:role/*", "arn:aws:lambda:*:*:function:*", "arn:aws:dynamodb:*:*:table/*",
            "arn:${AWS::Partition}:s3:::*", "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:*",
            "arn:aws:logs:*:*:*", "arn:*", "arn:aws:ssm:eu-west-1:111122223333:parameter/*"})
    void unconstrainedResources(String r) {
        assertThat(Resources.isUnconstrained(r)).as(r).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", "${Bucket.Arn}", "${Bucket.Arn}/*",
            "arn:aws:iam::123456789012:role/app-*", "arn:aws:dynamodb:eu-west-1:1:table/Orders",
            "arn:aws:sqs:*:*:orders", "arn:${AWS::Partition}:s3:::${Bucket}/*", "${Import:SharedTable}",
            "arn:aws:logs:*:*:log-group:/aws/lambda/*", "arn:aws:lambda:*:*:function:${Fn}"})
    void specificResources(String r) {
        assertThat(Resources.isUnconstrained(r)).as(r).isFalse();
    }

    @Test
    void expansionsAreMemoisedPerPattern() {
        ActionIndex ix = new ActionIndex(Iam.CATALOG);
        assertThat(ix.expand("s3:Get*")).isSameAs(ix.expand("S3:GET*"));
        assertThat(ix.expand("*").toBits()).isSameAs(ix.all());
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "s3:*", "s3:Get*", "S3:GET*OBJECT*", "iam:*Policy*", "ec2:Describe?pcs", "*:Get*",
            "lambda:Invoke*", "s3:GetObject", "s3:getobject", "nosuchservice:*", "s3:Nope*", "dynamodb:?etItem"})
    void indexExpansionAgreesWithTheCatalog(String pattern) {
        ActionIndex ix = new ActionIndex(Iam.CATALOG);
        java.util.BitSet bits = ix.expand(pattern).toBits();
        java.util.Set<String> names = new java.util.TreeSet<>(ix.names(bits, Integer.MAX_VALUE));
        assertThat(names).isEqualTo(new java.util.TreeSet<>(Iam.CATALOG.expand(pattern)));
    }
}
