package dev.posture.vuln.osv;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * JSON → {@link OsvRecord}, strict where matching depends on it: a record without an id or with a range type other
 * than ECOSYSTEM, SEMVER or GIT is refused (the caller names it in a warning and counts it); GIT ranges are dropped
 * (they name commits, not versions); unknown event kinds in a range refuse the range's record.
 */
public final class OsvParser {
    private static final Set<String> RANGE_TYPES = Set.of("ECOSYSTEM", "SEMVER", "GIT");
    private static final Set<String> EVENTS = Set.of("introduced", "fixed", "last_affected", "limit");

    private OsvParser() {
    }

    /** A record that cannot be used; the message names the record (or the file when it has no id). */
    public static final class InvalidRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidRecordException(String message) {
            super(message);
        }
    }

    public static OsvRecord parse(JsonNode n, String where) throws InvalidRecordException {
        if (n == null || !n.isObject()) {
            throw new InvalidRecordException(where + ": not a JSON object");
        }
        String id = text(n.get("id"));
        if (id == null) {
            throw new InvalidRecordException(where + ": no id");
        }
        String at = where + " (" + id + ")";
        List<OsvRecord.Affected> affected = new ArrayList<>();
        for (JsonNode a : n.path("affected")) {
            JsonNode pkg = a.path("package");
            String ecosystem = text(pkg.get("ecosystem"));
            String name = text(pkg.get("name"));
            if (ecosystem == null || name == null) {
                continue; // affected entries without a package (e.g. only a purl) match nothing here
            }
            List<OsvRecord.Range> ranges = new ArrayList<>();
            for (JsonNode r : a.path("ranges")) {
                String type = text(r.get("type"));
                if (type == null || !RANGE_TYPES.contains(type)) {
                    throw new InvalidRecordException(at + ": unknown range type " + (type == null ? "(none)" : type));
                }
                if (type.equals("GIT")) {
                    continue;
                }
                List<OsvRecord.Event> events = new ArrayList<>();
                for (JsonNode e : r.path("events")) {
                    var it = e.fields();
                    if (!it.hasNext()) {
                        throw new InvalidRecordException(at + ": empty range event");
                    }
                    var f = it.next();
                    if (!EVENTS.contains(f.getKey()) || !f.getValue().isTextual()) {
                        throw new InvalidRecordException(at + ": unknown range event " + f.getKey());
                    }
                    events.add(new OsvRecord.Event(f.getKey(), f.getValue().asText()));
                }
                ranges.add(new OsvRecord.Range(type, events));
            }
            List<String> versions = new ArrayList<>();
            a.path("versions").forEach(v -> {
                if (v.isTextual()) {
                    versions.add(v.asText());
                }
            });
            String eco = text(a.path("ecosystem_specific").get("severity"));
            if (eco == null) {
                eco = text(a.path("database_specific").get("severity"));
            }
            affected.add(new OsvRecord.Affected(ecosystem, name, ranges, versions, scores(a.path("severity")), eco));
        }
        List<String> aliases = new ArrayList<>();
        n.path("aliases").forEach(v -> {
            if (v.isTextual()) {
                aliases.add(v.asText());
            }
        });
        return new OsvRecord(id, instant(n.get("modified")), instant(n.get("withdrawn")), aliases,
                text(n.get("summary")), scores(n.path("severity")), affected,
                text(n.path("database_specific").get("severity")));
    }

    private static List<OsvRecord.Score> scores(JsonNode arr) {
        List<OsvRecord.Score> out = new ArrayList<>();
        for (JsonNode s : arr) {
            String type = text(s.get("type"));
            String score = text(s.get("score"));
            if (type != null && score != null) {
                out.add(new OsvRecord.Score(type, score));
            }
        }
        return out;
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }

    private static Instant instant(JsonNode n) {
        String t = text(n);
        if (t == null) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** For callers that collect problems instead of failing: parse or report. */
    public static OsvRecord parseOrWarn(JsonNode n, String where, Consumer<String> warn) {
        try {
            return parse(n, where);
        } catch (InvalidRecordException e) {
            warn.accept(e.getMessage());
            return null;
        }
    }
}
