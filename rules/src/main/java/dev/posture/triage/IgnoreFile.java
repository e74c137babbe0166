package dev.posture.triage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.DocumentParser;
import dev.posture.document.InputException;
import dev.posture.document.ParsedDocument;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code .posture-ignore.yaml}:
 *
 * <pre>
 * ignore:
 *   - rule: wildcard-action        # or control: secret-in-env, or fingerprint: 3f2a…
 *     target: "fixtures/demo/**"   # optional glob over the target name
 *     resource: OrdersFn           # optional glob over the resource
 *     reason: legacy role, SEC-123 # required
 *     expires: 2027-01-31          # optional; after this date the entry stops applying
 * </pre>
 *
 * A malformed file is a usage error (exit 2), never silently ignored.
 */
public final class IgnoreFile {
    public static final String DEFAULT_NAME = ".posture-ignore.yaml";

    private IgnoreFile() {
    }

    public static List<IgnoreEntry> load(Path file) throws InputException {
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException(name + ": cannot read ignore file: " + e.getMessage(), e);
        }
        List<IgnoreEntry> out = new ArrayList<>();
        if (DocumentParser.decode(name, bytes).isBlank()) {
            return out;
        }
        List<ParsedDocument> docs = DocumentParser.parse(name, bytes);
        if (docs.isEmpty()) {
            return out;
        }
        ParsedDocument doc = docs.get(0);
        JsonNode list = doc.root().isArray() ? doc.root() : doc.root().path("ignore");
        if (list.isMissingNode() || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new InputException(name + ": 'ignore' must be a list of entries");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String where = doc.sourceMap().at("/ignore/" + i).toString();
            if (!e.isObject()) {
                throw new InputException(where + ": ignore entry must be a mapping");
            }
            String rule = text(e, "rule");
            if (rule == null) {
                rule = text(e, "id");
            }
            String control = text(e, "control");
            String fingerprint = text(e, "fingerprint");
            if (rule == null && control == null && fingerprint == null) {
                throw new InputException(where + ": ignore entry needs 'rule', 'control' or 'fingerprint'");
            }
            String reason = text(e, "reason");
            if (reason == null || reason.isBlank()) {
                throw new InputException(where + ": ignore entry needs a 'reason'");
            }
            LocalDate expires = null;
            String exp = text(e, "expires");
            if (exp != null) {
                try {
                    expires = LocalDate.parse(exp.length() > 10 ? exp.substring(0, 10) : exp);
                } catch (DateTimeParseException ex) {
                    throw new InputException(where + ": 'expires' must be a date like 2027-01-31, got '" + exp + "'");
                }
            }
            out.add(new IgnoreEntry(rule, control, fingerprint, text(e, "target"), text(e, "resource"), reason,
                    expires, where));
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
