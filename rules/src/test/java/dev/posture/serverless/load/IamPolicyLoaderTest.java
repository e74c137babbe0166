package dev.posture.serverless.load;

import dev.posture.document.InputException;
import dev.posture.iam.model.Effect;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;
import dev.posture.source.InputKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.posture.serverless.load.Fixtures.load;
import static dev.posture.serverless.load.Fixtures.warnings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IamPolicyLoaderTest {

    @Test
    void leastPrivilegeIdentityPolicyBecomesAStandalonePolicy() throws Exception {
        ServerlessApp app = load("iam/identity-least-privilege.json");
        assertThat(app.functions()).isEmpty();
        assertThat(app.roles()).isEmpty();
        assertThat(app.warnings()).isEmpty();
        assertThat(app.policies()).hasSize(1);
        Policy p = app.policies().get(0);
        assertThat(p.name()).isEqualTo("identity-least-privilege");
        assertThat(p.kind()).isEqualTo(PolicyKind.CUSTOMER_MANAGED);
        List<Statement> st = p.document().statements();
        assertThat(st).hasSize(3);
        assertThat(st.get(0).sid()).isEqualTo("ReadOrderExports");
        assertThat(st.get(0).actions()).containsExactly("s3:GetObject");
        assertThat(st.get(0).resources()).containsExactly("arn:aws:s3:::orders-exports-prod/exports/*");
        assertThat(st.get(0).conditions()).singleElement()
                .satisfies(c -> assertThat(c.keyIs("aws:securetransport")).isTrue());
        assertThat(st.get(1).resources()).hasSize(2);
        assertThat(st.get(2).actions()).containsExactly("kms:Decrypt");
        assertThat(st.get(2).origin().location().line()).isEqualTo(22);
        assertThat(st.get(2).origin().pointer()).isEqualTo("/Statement/2");
    }

    @Test
    void trapsAreKeptAsWritten() throws Exception {
        ServerlessApp app = load("iam/identity-traps.json");
        List<Statement> st = app.policies().get(0).document().statements();
        assertThat(st).hasSize(5);
        assertThat(st.get(0).notAction()).isTrue();
        assertThat(st.get(0).actions()).containsExactly("iam:*", "organizations:*");
        assertThat(st.get(1).effect()).isEqualTo(Effect.DENY);
        assertThat(st.get(2).actions()).containsExactly("s3:Get*Acl", "S3:PutObject*");
        assertThat(st.get(3).resources()).containsExactly("arn:aws:iam::123456789012:role/app/orders-*");
        assertThat(st.get(3).conditions()).extracting(c -> c.key()).containsExactly("iam:PassedToService");
        assertThat(st.get(4).notResource()).isTrue();
        assertThat(st.get(4).origin().location().line()).isEqualTo(31);
    }

    @Test
    void singleStatementObjectIsAPolicyWithOneStatement() throws Exception {
        ServerlessApp app = load("iam/single-statement.json");
        assertThat(app.warnings()).isEmpty();
        Statement s = app.policies().get(0).document().statements().get(0);
        assertThat(s.actions()).containsExactly("SQS:SendMessage");
        assertThat(s.resources()).containsExactly("arn:aws:sqs:eu-west-1:123456789012:orders-queue");
        assertThat(s.origin().location().line()).isEqualTo(1);
    }

    @Test
    void getPolicyResponseBecomesAFunctionWithItsResourcePolicy() throws Exception {
        ServerlessApp app = load("iam/lambda-get-policy-response.json");
        assertThat(app.policies()).isEmpty();
        LambdaFunction f = Fixtures.function(app, "orders-api");
        assertThat(f.arn()).isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:orders-api");
        assertThat(f.role()).isNull();
        List<Statement> st = f.resourcePolicy().statements();
        assertThat(st).hasSize(2);
        assertThat(st.get(0).principal().isAnyone()).isTrue();
        assertThat(st.get(0).actions()).containsExactly("lambda:InvokeFunctionUrl");
        assertThat(st.get(0).conditions()).singleElement()
                .satisfies(c -> assertThat(c.values()).containsExactly("NONE"));
        assertThat(st.get(1).principal().values("Service")).containsExactly("s3.amazonaws.com");
        assertThat(st.get(1).conditions()).extracting(c -> c.keyLower())
                .containsExactly("aws:sourcearn", "aws:sourceaccount");
        // statements inside the JSON string point at the "Policy" attribute
        assertThat(st.get(1).origin().location().line()).isEqualTo(2);
        assertThat(st.get(1).origin().pointer()).isEqualTo("/Policy/Statement/1");
    }

    @Test
    void rawFunctionPolicyIsNamedFromTheResourceArn() throws Exception {
        ServerlessApp app = load("iam/lambda-resource-policy.json");
        LambdaFunction f = Fixtures.function(app, "thumbnailer");
        assertThat(f.arn()).isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:thumbnailer");
        assertThat(f.resourcePolicy().statements()).extracting(Statement::sid)
                .containsExactly("AnyoneMayInvoke", "PartnerAccount", "OrgOnly");
        assertThat(f.resourcePolicy().statements().get(2).conditions()).singleElement()
                .satisfies(c -> assertThat(c.keyIs("aws:PrincipalOrgID")).isTrue());
    }

    @Test
    void trustPolicyBecomesARoleWithOnlyATrustPolicy() throws Exception {
        ServerlessApp app = load("iam/trust-policy.json");
        Role r = Fixtures.role(app, "trust-policy");
        assertThat(r.policies()).isEmpty();
        assertThat(r.trustPolicy().statements()).hasSize(2);
        assertThat(r.trustPolicy().statements().get(1).principal().values("AWS"))
                .containsExactly("arn:aws:iam::210987654321:root");
        assertThat(r.trustPolicy().statements().get(1).conditions()).extracting(c -> c.key())
                .containsExactly("sts:ExternalId");
    }

    @Test
    void invalidJsonThrowsWithFileAndLine() {
        assertThatThrownBy(() -> load("iam/bad/invalid.json"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("invalid.json:4:50")
                .hasMessageContaining("invalid JSON");
    }

    @Test
    void statementWithoutEffectIsSkippedWithAWarning() throws Exception {
        ServerlessApp app = load("iam/bad/no-effect.json");
        List<Statement> st = app.policies().get(0).document().statements();
        assertThat(st).extracting(Statement::sid).containsExactly("Fine");
        assertThat(app.warnings()).hasSize(2);
        assertThat(app.warnings().get(0).message()).contains("statement 1 has no Effect");
        assertThat(app.warnings().get(0).origin().location().line()).isEqualTo(4);
        assertThat(app.warnings().get(1).message()).contains("invalid Effect 'allow'");
        assertThat(app.warnings().get(1).origin().location().line()).isEqualTo(17);
    }

    @Test
    void getPolicyResponseWithABrokenPolicyStringWarns() throws Exception {
        ServerlessApp app = new IamPolicyLoader().load(ServerlessLoaders.read(Fixtures.path(
                "iam/bad/get-policy-broken-string.json")));
        assertThat(app.functions()).isEmpty();
        assertThat(app.warnings()).singleElement().satisfies(w -> {
            assertThat(w.message()).contains("not valid JSON");
            assertThat(w.origin().location().line()).isEqualTo(2);
        });
    }

    @Test
    void unknownVersionSkipsThePolicyWithAWarning() throws Exception {
        ServerlessApp app = load("iam/bad/unknown-version.json");
        assertThat(app.policies().get(0).document().statements()).isEmpty();
        assertThat(warnings(app)).singleElement().asString().contains("unknown policy Version '2020-01-01'")
                .contains("unknown-version.json:2:");
    }

    @Test
    void aJsonFileThatIsNotAPolicyIsNotRecognisedAndWarns() throws Exception {
        var input = ServerlessLoaders.read(Fixtures.path("iam/bad/not-a-policy.json"));
        assertThat(input.kind()).isEqualTo(InputKind.UNKNOWN);
        ServerlessApp app = ServerlessLoaders.load(input);
        assertThat(app.functions()).isEmpty();
        assertThat(app.policies()).isEmpty();
        assertThat(app.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("not an IAM policy"));
        // forced through the policy loader it still warns instead of failing
        ServerlessApp forced = new IamPolicyLoader().load(input.documents().get(0));
        assertThat(forced.warnings()).singleElement()
                .satisfies(w -> assertThat(w.message()).contains("not an IAM policy"));
    }
}
