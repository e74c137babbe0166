package dev.posture.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.SourceMap;
import dev.posture.model.Finding;
import dev.posture.model.Rule;

/**
 * Turns one {@code deny} result ({@code {"msg", "path", "container"}}, or a plain message) into a finding: the
 * location is the source map's place for the resource's pointer plus the result's path (the offending field, or
 * its closest existing ancestor; the resource's first line for {@code []}); the fingerprint hashes rule, target,
 * resource, container and the field path — never lines.
 */
final class KubernetesFindings {
    private KubernetesFindings() {
    }

    static Finding finding(Resource r, Rule rule, JsonNode result) {
        String message;
        JsonNode path = null;
        String container = null;
        if (result.isObject()) {
            JsonNode m = result.has("msg") ? result.get("msg") : result.get("message");
            message = m == null ? rule.title() : m.isTextual() ? m.asText() : m.toString();
            path = result.get("path");
            JsonNode c = result.get("container");
            container = c != null && c.isTextual() && !c.asText().isEmpty() ? c.asText() : null;
        } else {
            message = result.isTextual() ? result.asText() : result.toString();
        }
        StringBuilder pointer = new StringBuilder();
        String field = fieldPath(r.object(), path, pointer);
        if (rule.theme() == dev.posture.model.Theme.SECRETS) {
            message = maskValue(message, r.object().at(pointer.toString()));
        }
        StringBuilder logical = new StringBuilder(r.id());
        if (container != null) {
            logical.append(" → container ").append(container);
        }
        if (!field.isEmpty()) {
            logical.append(" → ").append(field);
        }
        return Finding.builder(rule, r.target())
                .resource(r.id())
                .container(container)
                .location(r.location(pointer.toString()))
                .logicalLocation(logical.toString())
                .logicalPath(field)
                .message(message)
                .build();
    }

    /** A key shown bare in a field path: {@code [A-Za-z_$][A-Za-z0-9_$-]*}. */
    private static boolean identifier(String k) {
        if (k.isEmpty()) {
            return false;
        }
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$';
            if (!letter && (i == 0 || !(c >= '0' && c <= '9' || c == '-'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A rule about secrets points at the secret (an env {@code value}, a ConfigMap entry): should its message
     * quote it, it is masked there, whatever its shape ({@link dev.posture.model.Redaction} masks the known
     * token shapes in every message anyway).
     */
    static String maskValue(String message, JsonNode at) {
        JsonNode v = at != null && at.isObject() ? at.get("value") : at;
        if (v == null || !v.isValueNode() || v.isNull()) {
            return message;
        }
        String secret = v.asText();
        if (secret.length() < 4 || !message.contains(secret)) {
            return message;
        }
        return message.replace(secret, dev.posture.model.Redaction.mask(secret, 2));
    }

    /**
     * The readable field path of {@code path} ({@code spec.template.spec.containers[name=web].securityContext.privileged}:
     * list items that have a {@code name} are named, so the fingerprint survives reordering), and its JSON pointer
     * appended to {@code pointer}. Path elements that are neither strings nor integers end the path.
     */
    static String fieldPath(JsonNode object, JsonNode path, StringBuilder pointer) {
        if (path == null || !path.isArray()) {
            return "";
        }
        StringBuilder field = new StringBuilder();
        JsonNode cur = object;
        for (JsonNode seg : path) {
            if (seg.isTextual()) {
                String k = seg.asText();
                pointer.append('/').append(SourceMap.segment(k));
                if (identifier(k)) {
                    field.append(field.length() == 0 ? "" : ".").append(k);
                } else {
                    field.append("[\"").append(k.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
                }
                cur = cur == null ? null : cur.get(k);
            } else if (seg.isIntegralNumber() && seg.canConvertToInt() && seg.asInt() >= 0) {
                int i = seg.asInt();
                pointer.append('/').append(i);
                JsonNode item = cur != null && cur.isArray() ? cur.get(i) : null;
                JsonNode name = item == null ? null : item.get("name");
                if (name != null && name.isTextual()) {
                    field.append("[name=").append(name.asText()).append(']');
                } else {
                    field.append('[').append(i).append(']');
                }
                cur = item;
            } else {
                break;
            }
        }
        return field.toString();
    }
}
