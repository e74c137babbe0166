package dev.posture.serverless.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.document.ParsedDocument;
import dev.posture.document.SourceMap;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.parse.PolicyParser;

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

    /** Parses a policy document given as an object (or as a JSON string, possibly URL-encoded). */
    PolicyDocument policy(JsonNode node, String pointer) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            warn("policy document is missing", pointer);
            return null;
        }
        JsonNode tree = node;
        if (node.isTextual()) {
            tree = parseJsonString(node.asText(), pointer);
            if (tree == null) {
                return null;
            }
        }
        if (!tree.isObject()) {
            warn("policy document is not a JSON object", pointer);
            return null;
        }
        if (!tree.has("Statement") && dev.posture.iam.parse.Intrinsics.isIntrinsic(tree)) {
            warn("policy document is a CloudFormation expression ("
                    + dev.posture.iam.parse.Intrinsics.describe(tree) + ") that cannot be resolved statically",
                    pointer);
            return null;
        }
        // Pointers inside a JSON-string document have no own position: SourceMap.at falls back to
        // the attribute holding the string.
        PolicyParser.Result r = new PolicyParser(map, null, this::physical).parse(tree, pointer);
        warnings.addAll(r.warnings());
        return r.document();
    }

    /** Parses statements written outside a policy document (a list or a single statement). */
    PolicyDocument statements(JsonNode node, String pointer) {
        PolicyParser.Result r = new PolicyParser(map, null, this::physical)
                .parseStatements("2012-10-17", node, pointer);
        warnings.addAll(r.warnings());
        return r.document();
    }

    /** Decodes a policy held in a JSON string; URL-encoded text (IAM API output) is decoded first. */
    JsonNode parseJsonString(String text, String pointer) {
        String s = text.strip();
        if (s.startsWith("%7B") || s.startsWith("%7b") || (!s.startsWith("{") && s.contains("%22"))) {
            try {
                s = URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                warn("policy document is not valid URL-encoded text: " + e.getMessage(), pointer);
                return null;
            }
        }
        try {
            return JSON.readTree(s);
        } catch (JsonProcessingException e) {
            warn("policy document string is not valid JSON: " + e.getOriginalMessage(), pointer);
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
