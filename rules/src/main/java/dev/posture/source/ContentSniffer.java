package dev.posture.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.DocumentParser;
import dev.posture.document.InputException;
import dev.posture.document.ParsedDocument;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Decides what an input is from its content: archive magic numbers for images, document shape
 * for everything else. The file name only breaks ties when a broken file has to be attributed.
 */
public final class ContentSniffer {

    private ContentSniffer() {
    }

    /** Reads and recognises one source. Throws with a message naming the file when it cannot be read or parsed. */
    public static Input sniff(SourceFile src, InputStream stdin) throws InputException {
        byte[] head = new byte[512];
        int headLen;
        if (src.path() != null) {
            try {
                long size = Files.size(src.path());
                if (size == 0) {
                    throw new InputException(src.name() + ": empty file");
                }
                try (InputStream in = Files.newInputStream(src.path())) {
                    headLen = in.readNBytes(head, 0, head.length);
                }
                if (isArchive(head, headLen)) {
                    return new Input(src.name(), src.path(), InputKind.IMAGE_ARCHIVE, List.of());
                }
                if (size > DocumentParser.MAX_FILE_BYTES) {
                    throw new InputException(src.name() + ": file is " + size + " bytes, over the "
                            + DocumentParser.MAX_FILE_BYTES + "-byte limit for documents");
                }
                byte[] all = Files.readAllBytes(src.path());
                return recognise(src, DocumentParser.parse(src.name(), all));
            } catch (IOException e) {
                throw new InputException(src.name() + ": cannot read: " + e.getMessage(), e);
            }
        }
        try {
            byte[] all = stdin.readNBytes((int) DocumentParser.MAX_FILE_BYTES + 1);
            if (all.length > DocumentParser.MAX_FILE_BYTES) {
                throw new InputException("stdin: over the " + DocumentParser.MAX_FILE_BYTES + "-byte limit");
            }
            if (isArchive(all, Math.min(all.length, 512))) {
                throw new InputException("stdin: image archives cannot be read from stdin; pass the file path");
            }
            return recognise(src, DocumentParser.parse("stdin", all));
        } catch (IOException e) {
            throw new InputException("stdin: cannot read: " + e.getMessage(), e);
        }
    }

    static boolean isArchive(byte[] head, int len) {
        if (len >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return true; // gzip
        }
        return len >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a'
                && head[261] == 'r';
    }

    static Input recognise(SourceFile src, List<ParsedDocument> docs) {
        InputKind kind = InputKind.UNKNOWN;
        for (ParsedDocument d : docs) {
            InputKind k = kindOf(d.root());
            if (k != InputKind.UNKNOWN) {
                kind = k;
                break;
            }
        }
        return new Input(src.name(), src.path(), kind, docs);
    }

    /** The kind of one document, by shape. */
    public static InputKind kindOf(JsonNode root) {
        if (root == null || !root.isObject()) {
            return InputKind.UNKNOWN;
        }
        if (root.has("apiVersion") && root.has("kind")) {
            return InputKind.KUBERNETES;
        }
        if (root.has("AWSTemplateFormatVersion") || isServerlessTransform(root.get("Transform"))
                || hasAwsResources(root.get("Resources"))) {
            return InputKind.CLOUDFORMATION;
        }
        if (root.has("service") && (root.has("provider") || root.has("functions"))) {
            return InputKind.SERVERLESS_FRAMEWORK;
        }
        if (root.has("format_version") && (root.has("planned_values") || root.has("resource_changes")
                || root.has("configuration") || root.has("prior_state") || root.has("values"))) {
            return InputKind.TERRAFORM_PLAN;
        }
        if (root.has("RoleDetailList") || root.has("UserDetailList") || root.has("GroupDetailList")
                || (root.has("Policies") && root.get("Policies").isArray())) {
            return InputKind.IAM_AUTHORIZATION_DETAILS;
        }
        if (root.has("Statement")) {
            return InputKind.IAM_POLICY;
        }
        JsonNode policy = root.get("Policy");
        if (policy != null && (policy.isObject() && policy.has("Statement")
                || policy.isTextual() && policy.asText().contains("Statement"))) {
            return InputKind.IAM_POLICY; // Lambda GetPolicy / IAM GetPolicyVersion responses
        }
        JsonNode pv = root.get("PolicyVersion");
        if (pv != null && pv.has("Document")) {
            return InputKind.IAM_POLICY;
        }
        return InputKind.UNKNOWN;
    }

    private static boolean isServerlessTransform(JsonNode t) {
        if (t == null) {
            return false;
        }
        if (t.isTextual()) {
            return t.asText().startsWith("AWS::Serverless");
        }
        if (t.isArray()) {
            for (JsonNode n : t) {
                if (n.isTextual() && n.asText().startsWith("AWS::Serverless")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasAwsResources(JsonNode resources) {
        if (resources == null || !resources.isObject()) {
            return false;
        }
        Iterator<JsonNode> it = resources.elements();
        while (it.hasNext()) {
            JsonNode r = it.next();
            JsonNode type = r.get("Type");
            if (type != null && type.isTextual() && (type.asText().startsWith("AWS::")
                    || type.asText().startsWith("Custom::"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * For an input that could not be parsed: the kind it most likely was, from its name and raw
     * text, so its failed target can be attributed to the right surface.
     */
    public static InputKind guessFromText(String name, String text) {
        String n = name.toLowerCase(Locale.ROOT);
        String t = text == null ? "" : text;
        if (n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
            return InputKind.IMAGE_ARCHIVE;
        }
        if (n.endsWith("serverless.yml") || n.endsWith("serverless.yaml")) {
            return InputKind.SERVERLESS_FRAMEWORK;
        }
        if (t.contains("AWSTemplateFormatVersion") || t.contains("AWS::")) {
            return InputKind.CLOUDFORMATION;
        }
        if (t.contains("\"format_version\"")) {
            return InputKind.TERRAFORM_PLAN;
        }
        if (t.contains("Statement")) {
            return InputKind.IAM_POLICY;
        }
        if (t.contains("apiVersion") || t.contains("kind:")) {
            return InputKind.KUBERNETES;
        }
        return n.endsWith(".json") ? InputKind.IAM_POLICY : InputKind.KUBERNETES;
    }
}
