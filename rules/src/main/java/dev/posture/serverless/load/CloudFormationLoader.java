package dev.posture.serverless.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.ParsedDocument;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.source.InputKind;

import java.util.ArrayList;
import java.util.List;

/**
 * CloudFormation and SAM templates, YAML or JSON (CDK output included): IAM roles, policies and
 * managed policies, SAM and plain Lambda functions, Lambda permissions, URLs, event invoke
 * configs and event source mappings. See {@code docs/serverless-inputs.md}.
 */
public final class CloudFormationLoader extends DocumentLoader {

    @Override
    public InputKind kind() {
        return InputKind.CLOUDFORMATION;
    }

    @Override
    public boolean recognises(ParsedDocument doc) {
        JsonNode r = doc.root();
        if (r == null || !r.isObject()) {
            return false;
        }
        if (r.has("AWSTemplateFormatVersion")) {
            return true;
        }
        JsonNode t = r.get("Transform");
        if (t != null && t.toString().contains("AWS::Serverless")) {
            return true;
        }
        JsonNode res = r.get("Resources");
        if (res != null && res.isObject()) {
            for (JsonNode v : res) {
                String type = v.path("Type").asText("");
                if (type.startsWith("AWS::")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public ServerlessApp load(ParsedDocument doc) {
        List<InputWarning> warnings = new ArrayList<>();
        LoadContext ctx = new LoadContext(doc, warnings);
        JsonNode root = doc.root();
        JsonNode resources = root.get("Resources");
        if (resources == null || !resources.isObject()) {
            ctx.warn("template has no Resources", "");
            return new ServerlessApp(List.of(), List.of(), List.of(), warnings);
        }
        CfnTemplate t = new CfnTemplate(ctx, resources, "/Resources", root.path("Globals").path("Function"),
                "/Globals/Function");
        t.process();
        return t.build();
    }
}
