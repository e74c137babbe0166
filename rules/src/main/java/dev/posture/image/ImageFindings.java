package dev.posture.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.image.facts.ImageConfig;
import dev.posture.image.facts.ImageFacts;
import dev.posture.model.Finding;
import dev.posture.model.Location;
import dev.posture.model.Redaction;
import dev.posture.model.Rule;
import dev.posture.model.TargetRef;
import dev.posture.model.Theme;

/**
 * Turns one {@code deny} result of an image policy ({@code {"msg", "path"}} for a file in the image, {@code {"msg",
 * "key"}} for anything else, or a plain message) into a finding: resource = the image, {@code path} = the file, the
 * logical location "image → layer N → file" (the layer that holds the file: the result's {@code layer}, else the
 * layer the image facts record for that path) or "image → key", fingerprinted on rule, image and path/key (so
 * suppressions survive rebuilds of the same image name, and moving a file to another layer keeps them).
 */
final class ImageFindings {
    private ImageFindings() {
    }

    static Finding finding(ImageFacts facts, TargetRef target, String resource, Location location, Rule rule,
                           JsonNode result) {
        String message;
        String path = null;
        String key = null;
        Integer layer = null;
        if (result.isObject()) {
            JsonNode m = result.has("msg") ? result.get("msg") : result.get("message");
            message = m == null ? rule.title() : m.isTextual() ? m.asText() : m.toString();
            path = text(result.get("path"));
            key = text(result.get("key"));
            JsonNode l = result.get("layer");
            layer = l != null && l.canConvertToInt() && l.asInt() >= 0 ? l.asInt() : null;
        } else {
            message = result.isTextual() ? result.asText() : result.toString();
        }
        if (rule.theme() == Theme.SECRETS) {
            message = maskEnvValues(message, facts.config());
        }
        String where = path != null ? path : key;
        if (path != null && layer == null) {
            layer = layerOf(facts, path);
        }
        String logical = where == null ? resource
                : layer != null && path != null ? resource + " → layer " + layer + " → " + path
                : resource + " → " + where;
        return Finding.builder(rule, target)
                .resource(resource)
                .path(path)
                .location(location)
                .logicalLocation(logical)
                .logicalPath(where == null ? "" : where)
                .message(message)
                .build();
    }

    /** The layer the facts record for a file (secrets first: a deleted secret's own layer), or null. */
    static Integer layerOf(ImageFacts facts, String path) {
        if (facts.files() == null) {
            return null;
        }
        for (var f : facts.files().secrets()) {
            if (f.path().equals(path)) {
                return f.layer();
            }
        }
        for (var f : facts.files().deletedSecrets()) {
            if (f.path().equals(path)) {
                return f.layer();
            }
        }
        for (var list : java.util.List.of(facts.files().setuid(), facts.files().worldWritable())) {
            for (var f : list) {
                if (f.path().equals(path)) {
                    return f.layer();
                }
            }
        }
        return null;
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    /**
     * A policy quoting an environment value whole would print a secret: whatever a policy writes, each value of the
     * image's Env (long enough to be one) is masked in a secrets finding's message.
     */
    static String maskEnvValues(String message, ImageConfig config) {
        String out = message;
        for (ImageConfig.EnvVar e : config.env()) {
            String v = e.value();
            if (v != null && v.length() >= 6 && out.contains(v)) {
                out = out.replace(v, Redaction.mask(v, v.length() >= 12 ? 2 : 0));
            }
        }
        return out;
    }
}
