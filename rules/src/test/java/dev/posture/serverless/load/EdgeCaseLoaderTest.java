package dev.posture.serverless.load;

import dev.posture.document.DocumentParser;
import dev.posture.document.ParsedDocument;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.posture.serverless.load.Fixtures.function;
import static dev.posture.serverless.load.Fixtures.load;
import static dev.posture.serverless.load.Fixtures.policy;
import static dev.posture.serverless.load.Fixtures.policyNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class EdgeCaseLoaderTest {

    @Test
    void conditionsAliasesRolePoliciesAndOutsideFunctions() throws Exception {
        ServerlessApp app = load("sam/edge-cases.yaml");
        LambdaFunction worker = function(app, "WorkerFunction");
        Role role = worker.role();
        assertThat(role.name()).isEqualTo("WorkerRole");
        // Principal: !If → both branches
        assertThat(role.trustPolicy().statements().get(0).principal().byType())
                .containsKeys("AWS", "Service");
        // ManagedPolicyArns: !ImportValue → unresolved, warned
        Policy imported = role.policies().get(0);
        assertThat(imported.document()).isNull();
        assertThat(imported.name()).isEqualTo("${Import:shared-lambda-policy-arn}");
        // AWS::IAM::RolePolicy with Statement: !If → statements of both branches
        List<Statement> st = policy(role, "worker-queue").document().statements();
        assertThat(st).extracting(s -> s.actions().get(0)).containsExactly("sqs:SendMessage", "sqs:ReceiveMessage");
        assertThat(st.get(1).actions()).containsExactly("sqs:ReceiveMessage", "${ExtraAction}");
        // permissions: through the alias, by FunctionName; both make it async (sns, events)
        assertThat(worker.resourcePolicy().statements()).extracting(Statement::sid)
                .containsExactly("AliasPermission", "ByNamePermission");
        assertThat(worker.asyncInvoked()).isTrue();
        // a permission on a function outside the template yields a function with only a resource policy
        LambdaFunction outside = function(app, "someone-elses");
        assertThat(outside.arn()).isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:someone-elses");
        assertThat(outside.role()).isNull();
        assertThat(outside.resourcePolicy().statements().get(0).principal().isAnyone()).isTrue();
        // event source mapping (sync) + event invoke config (async, on-failure destination)
        LambdaFunction roleless = function(app, "RoleLessFunction");
        assertThat(roleless.role()).isNull();
        assertThat(roleless.deadLetterTarget()).isEqualTo("arn:aws:sqs:eu-west-1:123456789012:edge-dlq");
        assertThat(roleless.asyncInvoked()).isTrue();
        // an unattached managed policy stands alone
        assertThat(app.policies()).extracting(Policy::name).containsExactly("OrphanPolicy");
        assertThat(app.warnings()).extracting(w -> w.message()).anySatisfy(m -> assertThat(m)
                        .contains("shared-lambda-policy-arn").contains("cannot be resolved"))
                .anySatisfy(m -> assertThat(m).contains("action is a CloudFormation expression"))
                .anySatisfy(m -> assertThat(m).contains("RoleLessFunction has no Role"));
        assertThat(policyNames(role)).hasSize(2);
    }

    @Test
    void mappingsWithLiteralKeysResolveAndTemplateParametersAreChecked() throws Exception {
        ServerlessApp app = load("sam/edge-cases.yaml");
        LambdaFunction worker = function(app, "WorkerFunction");
        assertThat(worker.environment()).extracting(e -> e.name() + "=" + e.value()).containsExactly(
                "JOBS_QUEUE=arn:aws:sqs:eu-west-1:123456789012:edge-jobs", "OTHER_QUEUE=null");
        Role role = function(app, "TemplateUser").role();
        assertThat(policyNames(role)).containsExactly("AWSLambdaBasicExecutionRole", "S3WritePolicy",
                "EventBridgePutEventsPolicy");
        // missing BucketName: stays a visible placeholder, and is warned about
        assertThat(policy(role, "S3WritePolicy").document().statements().get(0).resources())
                .containsExactly("arn:${AWS::Partition}:s3:::${BucketName}", "arn:${AWS::Partition}:s3:::${BucketName}/*");
        assertThat(app.warnings()).extracting(w -> w.message())
                .contains("SAM policy template S3WritePolicy is missing parameter BucketName");
        assertThat(policy(role, "EventBridgePutEventsPolicy").document().statements().get(0).resources())
                .containsExactly("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/"
                        + "arn:aws:sqs:eu-west-1:123456789012:edge-jobs");
    }

    /** Malformed shapes in every format never crash a loader; they may warn. */
    @ParameterizedTest
    @ValueSource(strings = {
        "Resources:\n  A: 5\n  B:\n    Type: AWS::IAM::Role\n    Properties: text\n",
        "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies: 7\n      Events: x\n"
            + "      Environment: [1]\n      FunctionUrlConfig: true\n      Role: {Fn::GetAtt: null}\n",
        "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - {}\n"
            + "        - S3CrudPolicy: nope\n        - [1, 2]\n        - !Select [0, [!Ref X]]\n",
        "Resources:\n  P:\n    Type: AWS::Lambda::Permission\n    Properties: {}\n"
            + "  U:\n    Type: AWS::Lambda::Url\n    Properties: {TargetFunctionArn: [1]}\n",
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies: [{PolicyDocument: !FindInMap [a, b, c]}]\n"
            + "      ManagedPolicyArns: {Fn::If: [c, !Ref AWS::NoValue, arn:aws:iam::aws:policy/ReadOnlyAccess]}\n",
        "service: s\nprovider: aws\nfunctions:\n  f: 3\n  g:\n    events: [1, {}, {http: x}]\n    url: {cors: 5}\n",
        "service: s\nprovider:\n  name: aws\n  iam:\n    role: 17\n  iamRoleStatements: {Effect: Allow}\nfunctions: []\n",
        "{\"format_version\":\"1.2\",\"planned_values\":{\"root_module\":{\"resources\":[1,{\"values\":3},"
            + "{\"type\":\"aws_iam_role\",\"values\":{\"inline_policy\":{\"a\":1},\"assume_role_policy\":\"{bad\"}},"
            + "{\"type\":\"aws_lambda_permission\",\"values\":{}}],\"child_modules\":{}}}}",
        "{\"RoleDetailList\":{\"x\":1},\"Policies\":[{\"PolicyVersionList\":{}}],\"UserDetailList\":[{}]}",
        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":{\"Fn::If\":[\"c\",\"s3:*\"]},\"Principal\":[1]}}",
        "{\"Policy\":\"not json\"}",
    })
    void neverCrashes(String text) throws Exception {
        for (ParsedDocument doc : DocumentParser.parse("odd", text)) {
            for (ServerlessLoader l : ServerlessLoaders.all()) {
                assertThatCode(() -> ((DocumentLoader) l).load(doc)).as(l.kind() + " on " + text)
                        .doesNotThrowAnyException();
            }
        }
    }
}
