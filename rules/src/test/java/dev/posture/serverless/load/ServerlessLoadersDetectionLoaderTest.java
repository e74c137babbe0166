package dev.posture.serverless.load;

import dev.posture.document.DocumentParser;
import dev.posture.document.ParsedDocument;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.source.InputKind;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Content-based detection, independent of file names. */
class ServerlessLoadersDetectionLoaderTest {

    private static Optional<InputKind> detect(String text) throws Exception {
        ParsedDocument doc = DocumentParser.parse("input", text).get(0);
        return ServerlessLoaders.detect(doc);
    }

    @Test
    void detectsEachFormatByContent() throws Exception {
        assertThat(detect("{\"Version\":\"2012-10-17\",\"Statement\":[]}")).contains(InputKind.IAM_POLICY);
        assertThat(detect("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"))
                .contains(InputKind.IAM_POLICY);
        assertThat(detect("{\"Policy\":\"{\\\"Statement\\\":[]}\",\"RevisionId\":\"x\"}"))
                .contains(InputKind.IAM_POLICY);
        assertThat(detect("{\"RoleDetailList\":[],\"Policies\":[]}")).contains(InputKind.IAM_AUTHORIZATION_DETAILS);
        assertThat(detect("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n"))
                .contains(InputKind.CLOUDFORMATION);
        assertThat(detect("Transform: AWS::Serverless-2016-10-31\nResources: {}\n"))
                .contains(InputKind.CLOUDFORMATION);
        assertThat(detect("AWSTemplateFormatVersion: '2010-09-09'\n")).contains(InputKind.CLOUDFORMATION);
        assertThat(detect("service: x\nprovider:\n  name: aws\n")).contains(InputKind.SERVERLESS_FRAMEWORK);
        assertThat(detect("service: x\nprovider: aws\n")).contains(InputKind.SERVERLESS_FRAMEWORK);
        assertThat(detect("{\"format_version\":\"1.2\",\"planned_values\":{}}")).contains(InputKind.TERRAFORM_PLAN);
    }

    @Test
    void ignoresOtherContent() throws Exception {
        assertThat(detect("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n")).isEmpty();
        assertThat(detect("{\"name\":\"pkg\",\"version\":\"1.0.0\"}")).isEmpty();
        assertThat(detect("service: x\nprovider:\n  name: google\n")).isEmpty();
        assertThat(detect("service: x\nprovider:\n  name: azure\nfunctions:\n  f: {}\n")).isEmpty();
        assertThat(detect("Resources:\n  Thing:\n    Type: Custom::Thing\n")).isEmpty();
    }

    @Test
    void loadsFromTextToo() throws Exception {
        ServerlessApp app = ServerlessLoaders.load(ServerlessLoaders.read("stdin",
                "Statement:\n  Effect: Allow\n  Action: s3:GetObject\n  Resource: '*'\n"));
        assertThat(app.policies()).singleElement()
                .satisfies(p -> assertThat(p.document().statements()).hasSize(1));
    }
}
