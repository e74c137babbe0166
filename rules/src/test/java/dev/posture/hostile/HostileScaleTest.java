package dev.posture.hostile;

import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.posture.hostile.Hostile.scan;
import static dev.posture.hostile.Hostile.scanned;
import static dev.posture.hostile.Hostile.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large but valid inputs must finish: nothing here asserts a time, the timeout only turns a hang
 * (or something quadratic gone wild) into a failure.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileScaleTest {

    @Test
    void veryLongActionNamesAndPathologicalWildcards(@TempDir Path dir) {
        String longName = "s3:" + "G".repeat(100_000);
        Path f = write(dir, "long.json", "{\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"" + longName + "\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"" + "*".repeat(100_000) + "iam:PassRole\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"iam:" + "*a".repeat(20_000) + "b\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"" + "?".repeat(100_000) + "\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"NotAction\":\"" + "s3:*".repeat(25_000) + "\",\"Resource\":\""
                + "arn:aws:s3:::" + "*".repeat(100_000) + "\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":"
                + "{\"aws:PrincipalArn\":\"" + "*a".repeat(50_000) + "\"}}}]}");
        ScanResult r = scan(f);
        scanned(r, f);
        assertThat(r.findings()).anySatisfy(x -> assertThat(x.rule().id()).isEqualTo("unknown-action"));
    }

    @Test
    void hundredThousandStatementsInOnePolicy(@TempDir Path dir) {
        StringBuilder json = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; i < 100_000; i++) {
            json.append(i > 0 ? "," : "").append("{\"Effect\":\"").append(i % 7 == 0 ? "Deny" : "Allow")
                    .append("\",\"Action\":[\"s3:GetObject\",\"iam:PassRole\",\"lambda:*\"],\"Resource\":\"arn:aws:s3:::b")
                    .append(i).append("/*\"}");
        }
        Path f = write(dir, "many.json", json.append("]}").toString());
        ScanResult r = scan(f);
        scanned(r, f);
        // AWS never accepts such a policy; the part beyond the cap is named, not dropped silently
        assertThat(Hostile.inputWarnings(r)).anySatisfy(w -> assertThat(w)
                .contains("policy has 100000 statements; only the first 1000 are analysed"));
    }

    @Test
    void tenThousandFunctionsInOneSamTemplate(@TempDir Path dir) {
        StringBuilder y = new StringBuilder("Transform: AWS::Serverless-2016-10-31\nResources:\n");
        for (int i = 0; i < 10_000; i++) {
            y.append("  F").append(i).append(":\n    Type: AWS::Serverless::Function\n    Properties:\n")
                    .append("      Runtime: python3.12\n      Handler: a\n")
                    .append("      Policies:\n        - Statement:\n            - {Effect: Allow, Action: 's3:*', Resource: '*'}\n")
                    .append("      Events: {A: {Type: Api, Properties: {Path: /, Method: get}}}\n");
        }
        Path f = write(dir, "sam.yaml", y.toString());
        ScanResult r = scan(f);
        scanned(r, f);
        assertThat(r.summaries()).hasSize(10_000);
    }

    @Test
    void tenThousandFunctionsRolesAndPermissionsByArnInCloudFormation(@TempDir Path dir) {
        StringBuilder j = new StringBuilder("{\"AWSTemplateFormatVersion\":\"2010-09-09\",\"Resources\":{");
        for (int i = 0; i < 10_000; i++) {
            j.append(i > 0 ? "," : "")
                    .append("\"R").append(i).append("\":{\"Type\":\"AWS::IAM::Role\",\"Properties\":{\"RoleName\":\"R")
                    .append(i).append("\",\"AssumeRolePolicyDocument\":{\"Statement\":[{\"Effect\":\"Allow\",")
                    .append("\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}}},")
                    .append("\"F").append(i).append("\":{\"Type\":\"AWS::Lambda::Function\",\"Properties\":{")
                    .append("\"FunctionName\":\"F").append(i).append("\",\"Runtime\":\"python3.12\",")
                    .append("\"Role\":\"arn:aws:iam::123456789012:role/R").append(i).append("\"}},")
                    .append("\"P").append(i).append("\":{\"Type\":\"AWS::Lambda::Permission\",\"Properties\":{")
                    .append("\"FunctionName\":\"arn:aws:lambda:us-east-1:123456789012:function:F").append(i)
                    .append("\",\"Action\":\"lambda:InvokeFunction\",\"Principal\":\"*\"}}");
        }
        Path f = write(dir, "cfn.json", j.append("}}").toString());
        ScanResult r = scan(f);
        scanned(r, f);
        assertThat(r.summaries()).hasSize(10_000);
    }

    @Test
    void tenThousandFunctionsInServerlessYmlAndTerraform(@TempDir Path dir) {
        StringBuilder s = new StringBuilder("service: s\nprovider:\n  name: aws\n  runtime: nodejs18.x\nfunctions:\n");
        for (int i = 0; i < 10_000; i++) {
            s.append("  f").append(i).append(": {handler: h, events: [{http: {path: /, method: get}}]}\n");
        }
        Path sls = write(dir.resolve("sls"), "serverless.yml", s.toString());
        StringBuilder t = new StringBuilder("{\"format_version\":\"1.2\",\"planned_values\":{\"root_module\":{\"resources\":[");
        for (int i = 0; i < 10_000; i++) {
            t.append(i > 0 ? "," : "")
                    .append("{\"address\":\"aws_iam_role.r").append(i).append("\",\"mode\":\"managed\",\"type\":\"aws_iam_role\",")
                    .append("\"name\":\"r").append(i).append("\",\"values\":{\"name\":\"r").append(i)
                    .append("\",\"arn\":\"arn:aws:iam::1:role/r").append(i).append("\",\"assume_role_policy\":")
                    .append("\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"Service\\\":")
                    .append("\\\"lambda.amazonaws.com\\\"},\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}\"}},")
                    .append("{\"address\":\"aws_lambda_function.f").append(i).append("\",\"mode\":\"managed\",")
                    .append("\"type\":\"aws_lambda_function\",\"name\":\"f").append(i).append("\",\"values\":{")
                    .append("\"function_name\":\"f").append(i).append("\",\"runtime\":\"python3.12\",")
                    .append("\"role\":\"arn:aws:iam::1:role/r").append(i).append("\"}}");
        }
        Path tf = write(dir, "plan.json", t.append("]}}}").toString());
        ScanResult r = scan(sls, tf);
        scanned(r, sls);
        scanned(r, tf);
        assertThat(r.summaries()).hasSize(20_000);
    }

    @Test
    void terraformVariablesAndModuleOutputsReferringToEachOther(@TempDir Path dir) {
        // var.x -> module.c.out -> var.x ..., each listed 30 times: exponential before references were deduplicated
        String mod = ("\"module.c.out\",").repeat(29) + "\"module.c.out\"";
        String var = ("\"var.x\",").repeat(29) + "\"var.x\"";
        Path f = write(dir, "loop.json", "{\"format_version\":\"1.2\",\"planned_values\":{\"root_module\":"
                + "{\"child_modules\":[{\"address\":\"module.c\",\"resources\":["
                + "{\"address\":\"module.c.aws_lambda_function.f\",\"mode\":\"managed\",\"type\":\"aws_lambda_function\","
                + "\"name\":\"f\",\"values\":{\"function_name\":\"f\",\"runtime\":\"python3.12\"}},"
                + "{\"address\":\"module.c.aws_iam_role_policy_attachment.a\",\"mode\":\"managed\","
                + "\"type\":\"aws_iam_role_policy_attachment\",\"name\":\"a\",\"values\":{}}]}]}},"
                + "\"configuration\":{\"root_module\":{\"module_calls\":{\"c\":{\"expressions\":{\"x\":{\"references\":["
                + mod + "]}},\"module\":{\"outputs\":{\"out\":{\"expression\":{\"references\":[" + var + "]}}},"
                + "\"resources\":[{\"address\":\"aws_lambda_function.f\",\"expressions\":{\"role\":{\"references\":["
                + var + "]}}},{\"address\":\"aws_iam_role_policy_attachment.a\",\"expressions\":{\"role\":"
                + "{\"references\":[" + var + "]},\"policy_arn\":{\"references\":[" + var + "]}}}]}}}}}}");
        scanned(scan(f), f);
    }

    @Test
    void subWithAHugeTemplateAndManyVariables(@TempDir Path dir) {
        StringBuilder vars = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            vars.append(i > 0 ? "," : "").append("\"v").append(i).append("\":\"x\"");
        }
        Path f = write(dir, "sub.json", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":{\"Fn::Sub\":[\"arn:aws:s3:::" + "${v1}/".repeat(1_000_000) + "\",{" + vars + "}]}}]}");
        scanned(scan(f), f);
    }
}
