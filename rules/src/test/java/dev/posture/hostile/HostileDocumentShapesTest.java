package dev.posture.hostile;

import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.posture.hostile.Hostile.inputWarnings;
import static dev.posture.hostile.Hostile.scan;
import static dev.posture.hostile.Hostile.scanned;
import static dev.posture.hostile.Hostile.skipped;
import static dev.posture.hostile.Hostile.unrecognised;
import static dev.posture.hostile.Hostile.inputWarnings;
import static dev.posture.hostile.Hostile.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents that parse but are shaped wrongly, for every serverless format: each is scanned (what
 * can be analysed is) and every part that could not be read is named in an input warning —
 * never a crash, never silently dropped.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileDocumentShapesTest {
    private static final String CFN = "AWSTemplateFormatVersion: '2010-09-09'\n";
    private static final String SAM = "Transform: AWS::Serverless-2016-10-31\n";

    private static List<String> warningsOf(Path dir, String name, String text) {
        Path f = write(dir, name, text);
        ScanResult r = scan(f);
        scanned(r, f);
        return inputWarnings(r);
    }

    @Test
    void cloudFormationResourcesAsListStringOrNull(@TempDir Path dir) {
        assertThat(warningsOf(dir, "list.yaml", CFN + "Resources:\n  - Type: AWS::IAM::Role\n"))
                .anySatisfy(w -> assertThat(w).contains("Resources is a list, not a mapping"));
        assertThat(warningsOf(dir, "string.yaml", CFN + "Resources: hello\n"))
                .anySatisfy(w -> assertThat(w).contains("Resources is a string, not a mapping"));
        assertThat(warningsOf(dir, "null.yaml", CFN + "Resources:\n"))
                .anySatisfy(w -> assertThat(w).contains("template has no Resources"));
    }

    @Test
    void resourcesWithoutTypeOrNotObjects(@TempDir Path dir) {
        List<String> w = warningsOf(dir, "notype.yaml", CFN + "Resources:\n  R: {Properties: {}}\n"
                + "  F: {Type: AWS::Lambda::Function}\n  G: null\n  H: 5\n  I: [1]\n  J: {Type: {a: 1}}\n");
        assertThat(w).anySatisfy(x -> assertThat(x).contains("resource R has no Type"))
                .anySatisfy(x -> assertThat(x).contains("resource G is null"))
                .anySatisfy(x -> assertThat(x).contains("resource H is a number"))
                .anySatisfy(x -> assertThat(x).contains("resource I is a list"))
                .anySatisfy(x -> assertThat(x).contains("resource J has a Type that is not a string"));
    }

    @Test
    void propertiesAsStringsForEveryResourceType(@TempDir Path dir) {
        StringBuilder t = new StringBuilder(SAM + "Resources:\n");
        String[] types = {"AWS::IAM::Role", "AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy", "AWS::Lambda::Permission", "AWS::Lambda::Url", "AWS::Lambda::EventSourceMapping",
            "AWS::Lambda::EventInvokeConfig", "AWS::Lambda::Alias", "AWS::Lambda::Version", "AWS::IAM::RolePolicy"};
        String[] values = {"hello", "5", "[1, 2]", "null", "true"};
        int i = 0;
        for (String type : types) {
            for (String v : values) {
                t.append("  R").append(i++).append(": {Type: '").append(type).append("', Properties: ").append(v)
                        .append("}\n");
            }
        }
        assertThat(warningsOf(dir, "props.yaml", t.toString())).isNotEmpty();
    }

    @Test
    void policiesStatementsActionsPrincipalsAndConditionsOfTheWrongShape(@TempDir Path dir) {
        List<String> w = warningsOf(dir, "shapes.yaml", SAM + String.join("\n",
                "Resources:",
                "  F:",
                "    Type: AWS::Serverless::Function",
                "    Properties: {Runtime: python3.12, Handler: a, Policies: 5, Environment: 3, Events: 4}",
                "  G:",
                "    Type: AWS::Serverless::Function",
                "    Properties:",
                "      Runtime: 5",
                "      Policies: [5, null, [1], {a: {b: 1}}, {S3ReadPolicy: 7}, {Statement: x}]",
                "      Environment: {Variables: [1]}",
                "      Events: {E: 5, E2: {Type: 5}, E3: {Type: Api, Properties: 5}}",
                "  R:",
                "    Type: AWS::IAM::Role",
                "    Properties:",
                "      AssumeRolePolicyDocument: 5",
                "      Policies: 5",
                "      ManagedPolicyArns: {a: 1}",
                "      PermissionsBoundary: [1]",
                "  R2:",
                "    Type: AWS::IAM::Role",
                "    Properties:",
                "      AssumeRolePolicyDocument: {Statement: {a: {Effect: Allow}, b: {c: 1}}}",
                "      Policies:",
                "        - 5",
                "        - {PolicyName: x}",
                "        - PolicyDocument:",
                "            Statement:",
                "              - just a string",
                "              - null",
                "              - 5",
                "              - {Effect: Allow, Action: {a: 1}, Resource: 5, Principal: 5, Condition: [1, 2]}",
                "              - {Effect: Allow, Action: [null, {a: b}], NotResource: {x: 1},"
                        + " Principal: {AWS: {x: 1}}, Condition: {StringEquals: [1]}}",
                "              - {Effect: 5, Action: '*', Resource: '*'}",
                "              - {Effect: allow, Action: '*', Resource: '*'}",
                "        - PolicyDocument: {Version: 5, Statement: []}",
                "        - PolicyDocument: {Statement: {Effect: Allow, Action: [[['*']]], Resource: '*'}}",
                ""));
        assertThat(w).anySatisfy(x -> assertThat(x).contains("statement 1 is not an object"))
                .anySatisfy(x -> assertThat(x).contains("statement 2 is not an object"))
                .anySatisfy(x -> assertThat(x).contains("has no Effect"))
                .anySatisfy(x -> assertThat(x).contains("invalid Effect 'allow'"))
                .anySatisfy(x -> assertThat(x).contains("unknown policy Version '5'"))
                .anySatisfy(x -> assertThat(x).contains("Condition is a list, not a mapping of operators; ignored"))
                .anySatisfy(x -> assertThat(x).contains("condition operator StringEquals has a list"));
    }

    @Test
    void samFunctionWhoseRoleIsAnIntrinsicLoop(@TempDir Path dir) {
        List<String> w = warningsOf(dir, "loop.yaml", SAM + String.join("\n",
                "Resources:",
                "  F:",
                "    Type: AWS::Serverless::Function",
                "    Properties: {Runtime: python3.12, Handler: a, Role: !GetAtt F.Arn}",
                "  G:",
                "    Type: AWS::Serverless::Function",
                "    Properties: {Runtime: python3.12, Handler: a, Role: !Ref G}",
                "  H:",
                "    Type: AWS::Serverless::Function",
                "    Properties: {Runtime: python3.12, Handler: a, Role: !GetAtt [R, Arn]}",
                "  R:",
                "    Type: AWS::IAM::Role",
                "    Properties: {RoleName: !Ref R, AssumeRolePolicyDocument: !Ref R, Path: !GetAtt R.Arn}",
                "  A:",
                "    Type: AWS::Lambda::Alias",
                "    Properties: {FunctionName: !Ref B, Name: a}",
                "  B:",
                "    Type: AWS::Lambda::Alias",
                "    Properties: {FunctionName: !Ref A, Name: b}",
                "  P:",
                "    Type: AWS::Lambda::Permission",
                "    Properties: {FunctionName: !Ref A, Action: 'lambda:InvokeFunction', Principal: '*'}",
                "  Mp:",
                "    Type: AWS::IAM::ManagedPolicy",
                "    Properties: {Roles: [!Ref Mp], PolicyDocument: !Ref Mp}",
                ""));
        assertThat(w).anySatisfy(x -> assertThat(x).contains("role ${F.Arn} cannot be resolved statically"));
    }

    @Test
    void serverlessFrameworkWithFunctionsAsListAndProviderAsString(@TempDir Path dir) {
        assertThat(warningsOf(dir, "list/serverless.yml", "service: s\nprovider: {name: aws, runtime: nodejs18.x}\n"
                + "functions:\n  - a\n  - {x: 1}\n"))
                .anySatisfy(x -> assertThat(x).contains("functions is a list, not a mapping"));
        assertThat(warningsOf(dir, "str/serverless.yml", "service: s\nprovider: aws\nfunctions:\n  f: {handler: h}\n"
                + "  g: 5\n  h: null\n  i: [1]\n"))
                .anySatisfy(x -> assertThat(x).contains("function g is not a mapping"));
        assertThat(warningsOf(dir, "weird/serverless.yml", "service: s\nprovider:\n  name: aws\n  iam: 5\n"
                + "  iamRoleStatements: 7\n  environment: [1]\nfunctions: 5\nresources: {Resources: [1]}\n"))
                .anySatisfy(x -> assertThat(x).contains("functions is a number"))
                .anySatisfy(x -> assertThat(x).contains("resources.Resources is a list"));
        assertThat(warningsOf(dir, "weird2/serverless.yml", "service: s\nprovider:\n  name: aws\n"
                + "  iam: {role: {statements: {a: 1}, managedPolicies: 3, permissionsBoundary: [1]}}\n"
                + "functions:\n  f: {handler: h, events: 5, environment: 5, role: {a: 1}, iamRoleStatements: 5, url: [1]}\n"
                + "  g: {handler: h, events: [5, null, {http: 5}, {s3: [1]}], url: {authorizer: [1]}}\n"))
                .isNotEmpty();
    }

    @Test
    void terraformPlansWithNullsAndNonLists(@TempDir Path dir) {
        assertThat(warningsOf(dir, "null.json", "{\"format_version\":\"1.2\",\"planned_values\":null}"))
                .anySatisfy(x -> assertThat(x).contains("nothing to analyse"));
        assertThat(warningsOf(dir, "notlist.json", "{\"format_version\":\"1.2\",\"planned_values\":{\"root_module\":"
                + "{\"resources\":{\"a\":1},\"child_modules\":5}}}"))
                .anySatisfy(x -> assertThat(x).contains("resources is a mapping, not a list"))
                .anySatisfy(x -> assertThat(x).contains("child_modules is a number, not a list"));
        assertThat(warningsOf(dir, "rootnum.json", "{\"format_version\":\"1.2\",\"planned_values\":{\"root_module\":5}}"))
                .anySatisfy(x -> assertThat(x).contains("module is a number"));
        assertThat(warningsOf(dir, "weird.json", "{\"format_version\":\"1.2\",\"planned_values\":{\"root_module\":"
                + "{\"resources\":[5,null,{\"type\":5},{\"type\":\"aws_iam_role\",\"values\":null},"
                + "{\"type\":\"aws_iam_role\",\"address\":\"aws_iam_role.r\",\"name\":\"r\",\"values\":"
                + "{\"assume_role_policy\":\"{not json\",\"inline_policy\":5}},"
                + "{\"type\":\"aws_iam_policy\",\"address\":\"aws_iam_policy.p\",\"values\":{\"policy\":\"[1,2]\"}},"
                + "{\"type\":\"aws_lambda_function\",\"address\":\"aws_lambda_function.f\",\"values\":"
                + "{\"role\":5,\"environment\":\"x\"}},"
                + "{\"type\":\"aws_iam_role_policy\",\"address\":\"aws_iam_role_policy.x\",\"values\":"
                + "{\"policy\":\"\\\"str\\\"\",\"role\":[1]}}],"
                + "\"child_modules\":[5,null,{\"resources\":\"x\",\"child_modules\":{\"a\":1}}]}},"
                + "\"resource_changes\":5,\"configuration\":\"x\",\"prior_state\":5}"))
                .anySatisfy(x -> assertThat(x).contains("resource 0 is a number"))
                .anySatisfy(x -> assertThat(x).contains("not valid JSON"))
                .anySatisfy(x -> assertThat(x).contains("not a JSON object"));
    }

    @Test
    void authorizationDetailsWithGarbage(@TempDir Path dir) {
        List<String> w = warningsOf(dir, "authz.json", "{\"RoleDetailList\":[5,null,{\"RoleName\":\"r\","
                + "\"AssumeRolePolicyDocument\":\"%ZZ%7B\",\"RolePolicyList\":[{\"PolicyName\":\"p\","
                + "\"PolicyDocument\":\"%7B%ZZ\"},5,{\"PolicyDocument\":\"%7B%22Statement%22%3A5%7D\"}],"
                + "\"AttachedManagedPolicies\":5}],"
                + "\"Policies\":[{\"PolicyName\":\"m\",\"Arn\":\"arn:aws:iam::1:policy/m\",\"DefaultVersionId\":\"v1\","
                + "\"PolicyVersionList\":[{\"VersionId\":\"v1\",\"IsDefaultVersion\":true,\"Document\":\"%ZZ\"},5]},5],"
                + "\"UserDetailList\":5,\"GroupDetailList\":\"x\"}");
        assertThat(w).anySatisfy(x -> assertThat(x).contains("not valid URL-encoded text"))
                .anySatisfy(x -> assertThat(x).contains("entry 0 of RoleDetailList is a number"))
                .anySatisfy(x -> assertThat(x).contains("entry 1 of Policies is a number"))
                .anySatisfy(x -> assertThat(x).contains("UserDetailList is a number, not a list"))
                .anySatisfy(x -> assertThat(x).contains("GroupDetailList is a string, not a list"));
        assertThat(warningsOf(dir, "authz2.json", "{\"RoleDetailList\":\"x\",\"Policies\":5}"))
                .anySatisfy(x -> assertThat(x).contains("RoleDetailList is a string, not a list"));
    }

    @Test
    void policyJsonStringsThatAreInvalidOrNotObjects(@TempDir Path dir) {
        // a GetPolicy response whose Policy string is not a policy is not recognised, with the reason
        Path invalid = write(dir, "invalid.json", "{\"Policy\": \"{not json\"}");
        Path array = write(dir, "array.json", "{\"Policy\": \"[1,2]\"}");
        Path deep = write(dir, "deep.json", "{\"Policy\": \"" + "[".repeat(5_000) + "\"}");
        ScanResult r = scan(invalid, array, deep);
        unrecognised(r, invalid, "looks like an IAM policy at first sight, but is not one");
        unrecognised(r, array, "looks like an IAM policy");
        unrecognised(r, deep, "looks like an IAM policy");
        // inside a template, the same strings become warnings on a scanned target
        assertThat(warningsOf(dir, "tpl.yaml", CFN + "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
                + "      AssumeRolePolicyDocument: '{not json'\n      Policies:\n"
                + "        - {PolicyName: a, PolicyDocument: '[1,2]'}\n"
                + "        - {PolicyName: b, PolicyDocument: '\"str\"'}\n"
                + "        - {PolicyName: c, PolicyDocument: '" + "[".repeat(5_000) + "'}\n"
                + "        - {PolicyName: d, PolicyDocument: '%7B%ZZ'}\n"))
                .anySatisfy(x -> assertThat(x).contains("not valid JSON"))
                .anySatisfy(x -> assertThat(x).contains("not a JSON object"))
                .anySatisfy(x -> assertThat(x).contains("not valid URL-encoded text"));
    }
}
