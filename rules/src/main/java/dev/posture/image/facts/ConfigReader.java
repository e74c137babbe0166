package dev.posture.image.facts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the image configuration JSON (OCI image spec / Docker image JSON) into facts. */
public final class ConfigReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The parts of a config the facts need.
     *
     * @param diffIds {@code rootfs.diff_ids}, null when the config has none
     */
    public record ParsedConfig(ImageConfig config, Instant created, List<HistoryEntry> history,
                               List<String> diffIds, List<String> warnings) {
    }

    private ConfigReader() {
    }

    /**
     * @param layerCount how many layers the manifest lists: history steps are matched to them
     * @throws IOException when the bytes are not a JSON object
     */
    public static ParsedConfig parse(byte[] json, int layerCount) throws IOException {
        JsonNode root = JSON.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException("the image config is not a JSON object");
        }
        List<String> warnings = new ArrayList<>();
        JsonNode c = root.path("config");
        JsonNode health = c.path("Healthcheck").path("Test");
        List<String> test = strings(health);
        boolean disabled = !test.isEmpty() && test.get(0).equals("NONE");
        ImageConfig config = new ImageConfig(text(c.get("User"), ""), env(c.path("Env"), warnings),
                keys(c.path("ExposedPorts")), keys(c.path("Volumes")), test.isEmpty() || disabled ? null : test,
                disabled, labels(c.path("Labels")), strings(c.path("Entrypoint")), strings(c.path("Cmd")),
                text(c.get("WorkingDir"), ""), text(root.get("os"), null), text(root.get("architecture"), null),
                text(root.get("variant"), null));
        JsonNode diffIds = root.path("rootfs").path("diff_ids");
        return new ParsedConfig(config, created(root.get("created"), warnings),
                history(root.path("history"), layerCount, warnings), diffIds.isArray() ? strings(diffIds) : null,
                warnings);
    }

    private static Instant created(JsonNode node, List<String> warnings) {
        String s = text(node, null);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            warnings.add("config 'created' is not a date: " + abbreviate(s));
            return null;
        }
    }

    private static List<HistoryEntry> history(JsonNode history, int layerCount, List<String> warnings) {
        if (!history.isArray()) {
            return List.of();
        }
        long made = 0;
        for (JsonNode h : history) {
            made += h.path("empty_layer").asBoolean(false) ? 0 : 1;
        }
        boolean lineUp = made == layerCount;
        if (!lineUp && history.size() > 0) {
            warnings.add("history has " + made + " step(s) that made a layer but the image has " + layerCount
                    + " layer(s): steps are not matched to layers");
        }
        List<HistoryEntry> out = new ArrayList<>();
        int layer = 0;
        for (JsonNode h : history) {
            boolean empty = h.path("empty_layer").asBoolean(false);
            out.add(new HistoryEntry(out.size(), text(h.get("created"), null), text(h.get("created_by"), ""),
                    text(h.get("comment"), null), empty, empty || !lineUp ? null : layer));
            layer += empty ? 0 : 1;
        }
        return out;
    }

    private static List<ImageConfig.EnvVar> env(JsonNode env, List<String> warnings) {
        List<ImageConfig.EnvVar> out = new ArrayList<>();
        for (JsonNode e : env) {
            if (!e.isTextual()) {
                warnings.add("config Env has a " + e.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " entry; skipped");
                continue;
            }
            String s = e.asText();
            int eq = s.indexOf('=');
            out.add(eq < 0 ? new ImageConfig.EnvVar(s, "") : new ImageConfig.EnvVar(s.substring(0, eq),
                    s.substring(eq + 1)));
        }
        return out;
    }

    /** Keys of an object ({@code {"22/tcp": {}}}), or the items of an array some tools write instead. */
    private static List<String> keys(JsonNode node) {
        if (node.isArray()) {
            return strings(node);
        }
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
        }
        return out;
    }

    /** An array of strings, or one string as a one-item list; null and anything else are empty. */
    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                out.add(n.isValueNode() ? n.asText() : n.toString());
            }
        }
        return out;
    }

    private static String text(JsonNode node, String absent) {
        return node == null || node.isNull() ? absent : node.isValueNode() ? node.asText() : node.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
