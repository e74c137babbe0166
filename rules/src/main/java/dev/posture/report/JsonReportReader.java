package dev.posture.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.model.Location;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Suppression;
import dev.posture.model.TargetRef;
import dev.posture.model.TargetType;
import dev.posture.model.Theme;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the findings of a JSON report written by {@link JsonReportWriter} (for
 * {@code --baseline OLD.json}). Unknown keys are ignored, so reports from newer versions with
 * added keys still read; a higher {@code formatVersion} is refused.
 */
public final class JsonReportReader {

    /** Reads the report in {@code file}; errors name the file. */
    public List<BaselineEntry> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads a report from {@code in}; {@code name} is used in error messages. */
    public List<BaselineEntry> read(InputStream in, String name) throws IOException {
        JsonNode root;
        try {
            root = ReportJson.MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw new IOException(name + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        return read(root, name);
    }

    /** Reads an already parsed report. */
    public List<BaselineEntry> read(JsonNode root, String name) throws IOException {
        if (root == null || !root.isObject() || !root.path("findings").isArray()) {
            throw new IOException(name + ": not a posture JSON report (no \"findings\" array)");
        }
        JsonNode version = root.get("formatVersion");
        if (version != null && version.isInt() && version.asInt() > JsonReportWriter.FORMAT_VERSION) {
            throw new IOException(name + ": report format version " + version.asInt()
                    + " is newer than this posture understands (" + JsonReportWriter.FORMAT_VERSION + ")");
        }
        List<BaselineEntry> out = new ArrayList<>();
        int i = 0;
        for (JsonNode f : root.get("findings")) {
            try {
                out.add(entry(f));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IOException(name + ": findings[" + i + "]: " + e.getMessage(), e);
            }
            i++;
        }
        return out;
    }

    private static BaselineEntry entry(JsonNode f) {
        String fingerprint = required(f, "fingerprint");
        String ruleId = required(f, "ruleId");
        JsonNode t = f.path("target");
        TargetRef target = new TargetRef(
                TargetType.valueOf(requiredText(t, "type", "target.type").toUpperCase(Locale.ROOT)),
                requiredText(t, "name", "target.name"));
        Location location = null;
        JsonNode l = f.get("location");
        if (l != null && l.isObject() && text(l, "file") != null) {
            location = Location.of(text(l, "file"), l.path("line").asInt(0), l.path("column").asInt(0));
        }
        Suppression suppression = null;
        JsonNode s = f.get("suppressed");
        if (s != null && s.isObject()) {
            String expires = text(s, "expires");
            try {
                suppression = new Suppression(text(s, "reason"), expires == null ? null : LocalDate.parse(expires),
                        text(s, "source"), text(s, "rule"), text(s, "control"), text(s, "fingerprint"),
                        text(s, "target"), text(s, "resource"));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("suppressed.expires: not a date: " + expires);
            }
        }
        return new BaselineEntry(fingerprint, ruleId, text(f, "control"),
                Severity.parse(required(f, "severity")),
                Surface.parse(required(f, "surface")),
                Theme.parse(required(f, "theme")),
                text(f, "title"), target, text(f, "resource"), text(f, "container"), text(f, "path"), location,
                text(f, "logicalLocation"), text(f, "message"), text(f, "evidence"), suppression);
    }

    private static String required(JsonNode n, String key) {
        return requiredText(n, key, key);
    }

    private static String requiredText(JsonNode n, String key, String label) {
        String v = text(n, key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing \"" + label + "\"");
        }
        return v;
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
