package dev.posture.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.model.BaselineState;
import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Location;
import dev.posture.model.Rule;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.model.Unrecognised;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Shard;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the findings of a JSON report written by {@link JsonReportWriter} (for
 * {@code --baseline OLD.json}), or the whole report as a {@link ScanResult} (for {@code report merge}). Unknown keys are ignored, so reports from newer versions with
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

    /**
     * Reads a whole report back into a {@link ScanResult} (for {@code posture report merge}): tool, scan id and
     * start, shard, targets, findings with every field the report holds (suppression and baseline state included),
     * function summaries, warnings and unrecognised files. Rules carry only the metadata a report holds (id, title,
     * severity, surface, theme, control); {@code rules} may supply the full rule (description, remediation,
     * references) when its metadata is the same. {@code baseDir} is null: a report does not record it.
     */
    public ScanResult readResult(Path file, java.util.function.Function<String, Rule> rules) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode root;
            try {
                root = ReportJson.MAPPER.readTree(in);
            } catch (JsonProcessingException e) {
                throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage()
                        + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
            }
            return readResult(root, file.toString(), rules);
        }
    }

    /** {@link #readResult(Path, java.util.function.Function)} on an already parsed report. */
    public ScanResult readResult(JsonNode root, String name, java.util.function.Function<String, Rule> rules)
            throws IOException {
        if (root == null || !root.isObject() || !root.path("findings").isArray() || !root.path("targets").isArray()
                || !root.path("formatVersion").isInt()) {
            throw new IOException(name + ": not a posture JSON report (needs \"formatVersion\", \"targets\" and"
                    + " \"findings\")");
        }
        read(root, name); // version check and findings validation, errors naming the finding
        String where = "";
        try {
            List<Target> targets = new ArrayList<>();
            int i = 0;
            for (JsonNode t : root.get("targets")) {
                where = "targets[" + i++ + "]: ";
                targets.add(new Target(
                        TargetType.valueOf(requiredText(t, "type", "type").toUpperCase(Locale.ROOT)),
                        requiredText(t, "name", "name"), text(t, "source"),
                        TargetStatus.valueOf(requiredText(t, "status", "status").toUpperCase(Locale.ROOT)),
                        text(t, "error")));
            }
            List<Finding> findings = new ArrayList<>();
            i = 0;
            for (JsonNode f : root.get("findings")) {
                where = "findings[" + i++ + "]: ";
                BaselineEntry e = entry(f);
                Finding finding = e.toFinding();
                Rule full = rules == null ? null : rules.apply(e.ruleId());
                Rule r = finding.rule();
                if (full != null && full.title().equals(r.title()) && full.severity() == r.severity()
                        && full.surface() == r.surface() && full.theme() == r.theme()
                        && full.control().equals(r.control())) {
                    r = full;
                }
                String state = text(f, "baselineState");
                findings.add(new Finding(r, finding.target(), finding.resource(), finding.container(),
                        finding.path(), finding.location(), finding.logicalLocation(), null, e.message() == null
                        ? r.title() : e.message(), e.evidence(), e.fingerprint(), e.suppression(),
                        state == null ? null : BaselineState.valueOf(state.toUpperCase(Locale.ROOT))));
            }
            List<FunctionSummary> summaries = new ArrayList<>();
            i = 0;
            for (JsonNode s : root.path("functions")) {
                where = "functions[" + i++ + "]: ";
                JsonNode t = s.get("target");
                TargetRef ref = t == null || t.isNull() ? null : new TargetRef(
                        TargetType.valueOf(requiredText(t, "type", "target.type").toUpperCase(Locale.ROOT)),
                        requiredText(t, "name", "target.name"));
                java.util.Map<String, Integer> levels = new java.util.LinkedHashMap<>();
                s.path("byAccessLevel").fields().forEachRemaining(en -> levels.put(en.getKey(), en.getValue().asInt()));
                List<String> risky = new ArrayList<>();
                s.path("highRiskActions").forEach(a -> risky.add(a.asText()));
                summaries.add(new FunctionSummary(ref, text(s, "function"), text(s, "role"),
                        s.path("adminEquivalent").asBoolean(false), s.path("grantedActions").asInt(0), levels, risky,
                        text(s, "usedByCode"), text(s, "imageUri")));
            }
            where = "warnings: ";
            List<String> warnings = new ArrayList<>();
            root.path("warnings").forEach(w -> warnings.add(w.asText()));
            List<Unrecognised> unrecognised = new ArrayList<>();
            i = 0;
            for (JsonNode u : root.path("unrecognised")) {
                where = "unrecognised[" + i++ + "]: ";
                unrecognised.add(new Unrecognised(requiredText(u, "path", "path"), text(u, "reason")));
            }
            where = "scan: ";
            JsonNode scan = root.path("scan");
            String started = text(scan, "startedAt");
            JsonNode sh = scan.get("shard");
            Shard shard = sh == null || sh.isNull() ? null : new Shard(sh.path("index").asInt(0), sh.path("count").asInt(0));
            where = "posture.coverage: ";
            List<dev.posture.model.Coverage> coverage = new ArrayList<>();
            for (JsonNode c : root.path("posture").path("coverage")) {
                coverage.add(new dev.posture.model.Coverage(Surface.valueOf(requiredText(c, "surface", "surface")
                        .toUpperCase(java.util.Locale.ROOT)), Theme.parse(requiredText(c, "theme", "theme"))));
            }
            where = "posture.checks: ";
            Map<TargetType, List<String>> checks = new java.util.EnumMap<>(TargetType.class);
            for (var e : (Iterable<Map.Entry<String, JsonNode>>) () -> root.path("posture").path("checks").fields()) {
                List<String> ids = new ArrayList<>();
                e.getValue().forEach(id -> ids.add(id.asText()));
                checks.put(TargetType.valueOf(e.getKey().toUpperCase(Locale.ROOT)), ids);
            }
            JsonNode tool = root.path("tool");
            return new ScanResult(text(tool, "name"), text(tool, "version"), text(scan, "id"),
                    started == null ? null : Instant.parse(started), null, targets, findings, summaries, warnings,
                    unrecognised, shard, coverage, checks);
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw new IOException(name + ": " + where + e.getMessage(), e);
        }
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
