package dev.posture.serverless.load;

import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;
import org.junit.jupiter.api.Test;

import static dev.posture.serverless.load.Fixtures.load;
import static dev.posture.serverless.load.Fixtures.policy;
import static dev.posture.serverless.load.Fixtures.policyNames;
import static dev.posture.serverless.load.Fixtures.role;
import static org.assertj.core.api.Assertions.assertThat;

class AuthorizationDetailsLoaderTest {

    @Test
    void rolesWithInlineManagedBoundaryAndTrust() throws Exception {
        ServerlessApp app = load("iam/authorization-details.json");
        assertThat(app.warnings()).isEmpty();
        Role r = role(app, "orders-api-role");
        assertThat(r.arn()).isEqualTo("arn:aws:iam::123456789012:role/service-role/orders-api-role");
        assertThat(policyNames(r)).containsExactly("orders-table", "AWSLambdaBasicExecutionRole", "deploy-lambda");
        // URL-encoded inline document
        Policy inline = policy(r, "orders-table");
        assertThat(inline.kind()).isEqualTo(PolicyKind.INLINE);
        assertThat(inline.document().statements()).singleElement()
                .satisfies(s -> assertThat(s.actions()).containsExactly("dynamodb:GetItem", "dynamodb:PutItem"));
        // AWS managed: no document, resolved later from the catalog
        Policy basic = policy(r, "AWSLambdaBasicExecutionRole");
        assertThat(basic.kind()).isEqualTo(PolicyKind.AWS_MANAGED);
        assertThat(basic.document()).isNull();
        // customer managed: the DEFAULT version (v2), not v1's "*"
        Policy deploy = policy(r, "deploy-lambda");
        assertThat(deploy.kind()).isEqualTo(PolicyKind.CUSTOMER_MANAGED);
        assertThat(deploy.document().statements()).singleElement().satisfies(s -> assertThat(s.actions())
                .containsExactly("lambda:UpdateFunctionCode", "lambda:CreateFunction", "iam:PassRole"));
        assertThat(r.permissionsBoundary().kind()).isEqualTo(PolicyKind.PERMISSIONS_BOUNDARY);
        assertThat(r.permissionsBoundary().document().statements().get(0).notAction()).isTrue();
        // URL-encoded trust policy; its statements point at the attribute holding the string
        Statement trust = r.trustPolicy().statements().get(0);
        assertThat(trust.principal().values("Service")).containsExactly("lambda.amazonaws.com");
        assertThat(trust.origin().location().line()).isEqualTo(54);
        // logical pointers: by name and ARN, never by list position or version
        assertThat(trust.origin().pointer())
                .isEqualTo("/RoleDetailList/orders-api-role/AssumeRolePolicyDocument/Statement/0");
        assertThat(inline.document().statements().get(0).origin().pointer())
                .isEqualTo("/RoleDetailList/orders-api-role/RolePolicyList/orders-table/PolicyDocument/Statement/0");
        assertThat(inline.document().statements().get(0).origin().location().line()).isEqualTo(59);
        Statement deployStatement = deploy.document().statements().get(0);
        assertThat(deployStatement.origin().pointer())
                .isEqualTo("/Policies/arn:aws:iam::123456789012:policy~1deploy-lambda/Document/Statement/0");
        assertThat(deployStatement.origin().location().line()).isEqualTo(134);
        assertThat(deploy.origin().pointer())
                .isEqualTo("/RoleDetailList/orders-api-role/AttachedManagedPolicies/"
                        + "arn:aws:iam::123456789012:policy~1deploy-lambda");
        assertThat(deploy.origin().location().line()).isEqualTo(67);
    }

    @Test
    void objectTrustPolicyAndUsersInheritGroupPolicies() throws Exception {
        ServerlessApp app = load("iam/authorization-details.json");
        Role auditor = role(app, "readonly-auditor");
        assertThat(auditor.trustPolicy().statements().get(0).conditions()).singleElement()
                .satisfies(c -> assertThat(c.key()).isEqualTo("aws:MultiFactorAuthPresent"));
        assertThat(auditor.trustPolicy().statements().get(0).origin().location().line()).isEqualTo(88);
        Role user = role(app, "ci-deployer");
        assertThat(user.arn()).endsWith(":user/ci-deployer");
        assertThat(policyNames(user)).containsExactly("assume-deploy", "deploy-lambda");
    }

    @Test
    void unattachedManagedPoliciesStandAloneButBoundariesDoNot() throws Exception {
        ServerlessApp app = load("iam/authorization-details.json");
        assertThat(app.policies()).extracting(Policy::name).containsExactly("legacy-s3-admin");
        assertThat(app.policies().get(0).document().statements().get(0).actions()).containsExactly("s3:*");
    }
}
