package dev.posture.iam.parse;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * CloudFormation intrinsic functions kept symbolic. Values we cannot resolve statically stay
 * recognisable and specific: {@code {"Ref": "Bucket"}} → {@code ${Bucket}},
 * {@code {"Fn::GetAtt": ["Table", "Arn"]}} → {@code ${Table.Arn}}, {@code {"Fn::Sub": "arn:…:${X}"}} →
 * the template string itself, {@code Fn::Join} → the joined parts. A symbolic value is never
 * treated as the wildcard {@code *}.
 */
public final class Intrinsics {
    private Intrinsics() {
    }

    public static boolean isIntrinsic(JsonNode node) {
        if (node == null || !node.isObject() || node.size() != 1) {
            return false;
        }
        String k = node.fieldNames().next();
        return k.equals("Ref") || k.startsWith("Fn::") || k.equals("Condition");
    }

    /** The name of the intrinsic, e.g. "Fn::If". */
    public static String describe(JsonNode node) {
        return node.fieldNames().next();
    }

    /**
     * Replaces each {@code ${name}} of a Sub template whose name is in {@code vars}, in one pass
     * (replacing variable by variable cost the template's length per variable: a 10 MB template
     * with 10,000 variables never finished). Substituted values are not substituted again.
     */
    static String substitute(String template, JsonNode vars) {
        StringBuilder sb = new StringBuilder(template.length());
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("${", i);
            int close = open < 0 ? -1 : template.indexOf('}', open + 2);
            if (close < 0) {
                break;
            }
            sb.append(template, i, open);
            JsonNode v = vars.get(template.substring(open + 2, close));
            if (v != null) {
                sb.append(text(v));
            } else {
                sb.append(template, open, close + 1);
            }
            i = close + 1;
        }
        return sb.append(template, Math.min(i, template.length()), template.length()).toString();
    }

    /** Renders any value as text; intrinsics become symbolic strings. */
    public static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        if (isIntrinsic(node)) {
            String fn = describe(node);
            JsonNode arg = node.get(fn);
            switch (fn) {
                case "Ref":
                    return "${" + text(arg) + "}";
                case "Fn::GetAtt":
                    if (arg.isArray()) {
                        StringBuilder sb = new StringBuilder("${");
                        for (int i = 0; i < arg.size(); i++) {
                            if (i > 0) {
                                sb.append('.');
                            }
                            sb.append(text(arg.get(i)));
                        }
                        return sb.append('}').toString();
                    }
                    return "${" + text(arg) + "}";
                case "Fn::Sub":
                    if (arg.isArray() && arg.size() > 0) {
                        String template = text(arg.get(0));
                        if (arg.size() > 1 && arg.get(1).isObject() && arg.get(1).size() > 0) {
                            // substitute the variables given in the map (their values stay symbolic)
                            return substitute(template, arg.get(1));
                        }
                        return template;
                    }
                    return text(arg);
                case "Fn::FindInMap":
                    if (arg.isArray()) {
                        StringBuilder sb = new StringBuilder("${FindInMap:");
                        for (int i = 0; i < arg.size(); i++) {
                            sb.append(i > 0 ? "." : "").append(text(arg.get(i)));
                        }
                        return sb.append('}').toString();
                    }
                    break;
                case "Fn::Select":
                    if (arg.isArray() && arg.size() == 2) {
                        if (arg.get(1).isArray() && arg.get(0).canConvertToInt()
                                && arg.get(0).asInt() >= 0 && arg.get(0).asInt() < arg.get(1).size()) {
                            return text(arg.get(1).get(arg.get(0).asInt()));
                        }
                        return "${Select:" + text(arg.get(0)) + ":" + text(arg.get(1)) + "}";
                    }
                    break;
                case "Fn::Join":
                    if (arg.isArray() && arg.size() == 2 && arg.get(1).isArray()) {
                        String sep = text(arg.get(0));
                        StringBuilder sb = new StringBuilder();
                        Iterator<JsonNode> it = arg.get(1).elements();
                        boolean first = true;
                        while (it.hasNext()) {
                            if (!first) {
                                sb.append(sep);
                            }
                            first = false;
                            sb.append(text(it.next()));
                        }
                        return sb.toString();
                    }
                    break;
                case "Fn::ImportValue":
                    return "${Import:" + text(arg) + "}";
                case "Fn::If":
                    // Both branches are possible; keep the expression recognisable, never "*".
                    return "${If:" + (arg.isArray() && arg.size() > 0 ? text(arg.get(0)) : "?") + "}";
                default:
                    break;
            }
            return "${" + fn + "}";
        }
        // Other objects/arrays: a stable compact text.
        StringBuilder sb = new StringBuilder("{");
        Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            sb.append(e.getKey()).append(':').append(text(e.getValue()));
            if (it.hasNext()) {
                sb.append(',');
            }
        }
        return sb.append('}').toString();
    }
}
