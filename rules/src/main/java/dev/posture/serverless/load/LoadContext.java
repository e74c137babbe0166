package dev.posture.serverless.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.document.ParsedDocument;
import dev.posture.document.SourceMap;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.parse.Intrinsics;
import dev.posture.iam.parse.PolicyParser;
import dev.posture.document.DocumentParser;
import dev.posture.document.InputException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Per-document state of a load: the source map, and the warnings collected so far. */
final class LoadContext {
    private static final ObjectMapper JSON = new ObjectMapper();

    final ParsedDocument doc;
    final SourceMap map;
    final List<InputWarning> warnings;
    /** Logical pointer prefix → physical pointer prefix (longest match wins). */
    private final java.util.TreeMap<String, String> aliases = new java.util.TreeMap<>();

    LoadContext(ParsedDocument doc, List<InputWarning> warnings) {
        this.doc = doc;
        this.map = doc.sourceMap();
        this.warnings = warnings;
    }

    String file() {
        return doc.file();
    }

    /**
     * Declares that pointers under {@code logical} name the values under {@code physical} of the
     * document: origins keep the logical pointer (stable for fingerprints) and take their
     * location from the physical one.
     */
    void alias(String logical, String physical) {
        aliases.put(logical, physical);
    }

    /** The physical pointer of a logical one. */
    String physical(String pointer) {
        if (aliases.isEmpty() || pointer == null) {
            return pointer;
        }
        String p = pointer;
        while (true) {
            String target = aliases.get(p);
            if (target != null) {
                return target + pointer.substring(p.length());
            }
            int slash = p.lastIndexOf('/');
            if (slash <= 0) {
                return pointer;
            }
            p = p.substring(0, slash);
        }
    }

    Origin origin(String pointer) {
        return Origin.file(map.at(physical(pointer)), pointer);
    }

    void warn(String message, String pointer) {
        warnings.add(new InputWarning(message, origin(pointer)));
    }

    /**
     * Parses a policy document given as an object, or as a JSON string (possibly URL-encoded, or
     * built with {@code Fn::Sub} / {@code Fn::Join}, as CloudFormation accepts).
     */
    PolicyDocument policy(JsonNode node, String pointer) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            warn("policy document is missing", pointer);
            return null;
        }
        JsonNode tree = node;
        PolicyParser.Duplicates duplicates = PolicyParser.Duplicates.of(map, this::physical);
        String built = jsonStringExpression(node);
        if (node.isTextual() || built != null) {
            ParsedDocument inner = parseJsonString(built != null ? built : node.asText(), pointer,
                    built != null ? Intrinsics.describe(node) : null);
            if (inner == null) {
                return null;
            }
            tree = inner.root();
            // the string's own lines locate its duplicate keys; findings point at the attribute holding it
            duplicates = PolicyParser.Duplicates.inString(inner.sourceMap(), pointer);
        }
        if (!tree.isObject()) {
            warn("policy document is not a JSON object", pointer);
            return null;
        }
        if (!tree.has("Statement") && Intrinsics.isIntrinsic(tree)) {
            warn("policy document is a CloudFormation expression (" + Intrinsics.describe(tree)
                    + ") that cannot be resolved statically", pointer);
            return null;
        }
        // Pointers inside a JSON-string document have no own position: SourceMap.at falls back to
        // the attribute holding the string.
        PolicyParser.Result r = new PolicyParser(map, null, this::physical, duplicates).parse(tree, pointer);
        warnings.addAll(r.warnings());
        return r.document();
    }

    /**
     * The text of a policy written as {@code Fn::Sub} or {@code Fn::Join} of a JSON string: known
     * variables substituted, {@code ${…}} kept otherwise ({@code ${!x}} is the literal {@code ${x}}).
     * Null when the node is no such expression or does not build a JSON object.
     */
    static String jsonStringExpression(JsonNode node) {
        if (!Intrinsics.isIntrinsic(node)) {
            return null;
        }
        String fn = Intrinsics.describe(node);
        if (!fn.equals("Fn::Sub") && !fn.equals("Fn::Join")) {
            return null;
        }
        String text = Intrinsics.text(node);
        if (fn.equals("Fn::Sub")) {
            text = text.replace("${!", "${");
        }
        return text.strip().startsWith("{") || text.strip().startsWith("%7B") ? text : null;
    }
    /** Parses statements written outside a policy document (a list or a single statement). */
    PolicyDocument statements(JsonNode node, String pointer) {
        PolicyParser.Result r = new PolicyParser(map, null, this::physical)
                .parseStatements("2012-10-17", node, pointer);
        warnings.addAll(r.warnings());
        return r.document();
    }

    /**
     * Decodes a policy held in a JSON string; URL-encoded text (IAM API output) is decoded first.
     * Duplicate keys are kept (last value) and recorded, for the policy parser to read broadly.
     *
     * @param via the intrinsic that built the string, for messages, or null
     */
    ParsedDocument parseJsonString(String text, String pointer, String via) {
        String s = text.strip();
        if (s.startsWith("%7B") || s.startsWith("%7b") || (!s.startsWith("{") && s.contains("%22"))) {
            try {
                s = URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                warn("policy document is not valid URL-encoded text: " + e.getMessage(), pointer);
                return null;
            }
        }
        String what = via == null ? "policy document string" : "policy document built with " + via;
        if (s.isEmpty()) {
            warn(what + " is empty", pointer);
            return null;
        }
        try {
            return DocumentParser.parseJsonText(what, s);
        } catch (InputException e) {
            // "what:L:C: invalid JSON: reason" → "what is not valid JSON (line L, column C of the string): reason"
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^.*?(?::(\\d+):(\\d+))?: invalid JSON: (.*)$")
                    .matcher(e.getMessage());
            String detail = m.matches() ? (m.group(1) == null ? "" : " (line " + m.group(1) + ", column " + m.group(2)
                    + " of the string)") + ": " + m.group(3) : ": " + e.getMessage();
            warn(what + " is not valid JSON" + detail + (via == null ? "" : "; known variables were substituted"),
                    pointer);
            return null;
        }
    }

    /**
     * The node when it is a list; else an empty list, with a warning when something that is not a
     * list was written there (a malformed input never crashes the load, and is never dropped silently).
     */
    JsonNode list(JsonNode n, String pointer, String what) {
        if (n != null && n.isArray()) {
            return n;
        }
        if (n != null && !n.isMissingNode() && !n.isNull()) {
            warn(what + " is " + kind(n) + ", not a list; ignored", pointer);
        }
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    }

    /** "a mapping", "a string", … for messages about wrongly shaped values. */
    static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        return switch (n.getNodeType()) {
            case OBJECT -> "a mapping";
            case ARRAY -> "a list";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    static JsonNode tryParseJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
