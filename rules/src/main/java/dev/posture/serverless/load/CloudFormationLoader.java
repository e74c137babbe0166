package dev.posture.serverless.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.ParsedDocument;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.source.InputKind;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
            ctx.warn(resources == null || resources.isNull() ? "template has no Resources"
                    : "Resources is " + LoadContext.kind(resources) + ", not a mapping; nothing analysed",
                    resources == null ? "" : "/Resources");
            return new ServerlessApp(List.of(), List.of(), List.of(), warnings);
        }
        warnMalformedResources(ctx, resources, "/Resources");
        JsonNode globals = root.path("Globals").path("Function");
        JsonNode mappings = root.get("Mappings");
        if (mappings != null && mappings.isObject()) {
            // resolve !FindInMap with literal keys, on a copy: the parsed document stays untouched
            resources = resolveMappings(resources.deepCopy(), mappings);
            globals = resolveMappings(globals.deepCopy(), mappings);
        }
        CfnTemplate t = new CfnTemplate(ctx, resources, "/Resources", globals, "/Globals/Function");
        t.process();
        return t.build();
    }

    /** Resources that are not objects or have no string Type are skipped: say so. */
    static void warnMalformedResources(LoadContext ctx, JsonNode resources, String base) {
        for (var e : resources.properties()) {
            String ptr = base + "/" + dev.posture.document.SourceMap.segment(e.getKey());
            JsonNode r = e.getValue();
            if (!r.isObject()) {
                ctx.warn("resource " + e.getKey() + " is " + LoadContext.kind(r) + ", not an object; skipped", ptr);
            } else if (!r.path("Type").isTextual()) {
                ctx.warn("resource " + e.getKey() + (r.has("Type") ? " has a Type that is not a string" : " has no Type")
                        + "; skipped", ptr);
            }
        }
    }

    /**
     * Replaces {@code Fn::FindInMap [Map, TopKey, SecondKey]} whose keys are literals (after
     * resolving nested lookups) with the mapped value; other lookups stay for symbolic rendering.
     */
    static JsonNode resolveMappings(JsonNode node, JsonNode mappings) {
        if (node instanceof ObjectNode o) {
            JsonNode args = o.size() == 1 ? o.get("Fn::FindInMap") : null;
            if (args != null && args.isArray() && args.size() >= 3) {
                JsonNode a = resolveMappings(args.get(0), mappings);
                JsonNode b = resolveMappings(args.get(1), mappings);
                JsonNode c = resolveMappings(args.get(2), mappings);
                if (a.isValueNode() && b.isValueNode() && c.isValueNode()) {
                    JsonNode v = mappings.path(a.asText()).path(b.asText()).get(c.asText());
                    if (v != null) {
                        return v.deepCopy();
                    }
                }
                return o;
            }
            for (String key : o.properties().stream().map(java.util.Map.Entry::getKey).toList()) {
                o.set(key, resolveMappings(o.get(key), mappings));
            }
            return o;
        }
        if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, resolveMappings(a.get(i), mappings));
            }
        }
        return node;
    }
}
