package dev.posture.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Location;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Suppression;
import dev.posture.model.Target;
import dev.posture.model.TargetRef;
import dev.posture.scan.ScanResult;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable report: pretty-printed JSON with a fixed key order, documented in
 * {@code docs/report-format.md} as a stable contract. {@link JsonReportReader} reads it back.
 *
 * <p>Keys are always present (with {@code null} when there is no value) except
 * {@code baselineState}, which only appears when a baseline was given. Enum values are lower-case
 * ids ({@code critical}, {@code serverless}, {@code supply-chain}, {@code scanned}).
 */
public final class JsonReportWriter implements ReportWriter {

    /** Bumped only on an incompatible change; additions of keys do not bump it. */
    public static final int FORMAT_VERSION = 1;

    /** Access levels in the order the IAM documentation lists them; others follow alphabetically. */
    private static final List<String> ACCESS_LEVELS =
            List.of("List", "Read", "Write", "Permissions management", "Tagging");

    @Override
    public void write(ScanResult result, OutputStream out) throws IOException {
        // Findings are streamed one small tree at a time: a large scan never holds a second copy.
        ReportJson.write(toJson(result, true), out);
    }

    /** The report as a Jackson tree (the exact structure that {@link #write} prints). */
    public ObjectNode toJson(ScanResult result) {
        return toJson(result, false);
    }

    private ObjectNode toJson(ScanResult result, boolean streamFindings) {
        ObjectNode root = ReportJson.object();
        root.put("formatVersion", FORMAT_VERSION);

        ObjectNode tool = root.putObject("tool");
        ReportJson.putNullable(tool, "name", result.toolName());
        ReportJson.putNullable(tool, "version", result.toolVersion());

        ObjectNode scan = root.putObject("scan");
        ReportJson.putNullable(scan, "id", result.scanId());
        ReportJson.putNullable(scan, "startedAt", result.startedAt() == null ? null : result.startedAt().toString());
        scan.put("incomplete", result.incomplete());
        if (result.shard() == null) {
            scan.putNull("shard");
        } else {
            ObjectNode shard = scan.putObject("shard");
            shard.put("index", result.shard().index());
            shard.put("count", result.shard().count());
        }

        ArrayNode targets = root.putArray("targets");
        for (Target t : result.targets()) {
            ObjectNode n = targets.addObject();
            n.put("type", t.type().id());
            n.put("name", t.name());
            ReportJson.putNullable(n, "source", t.source());
            n.put("status", t.status().id());
            ReportJson.putNullable(n, "error", t.error());
        }

        if (streamFindings) {
            root.putPOJO("findings", new StreamedArray(result.findings()));
        } else {
            ArrayNode findings = root.putArray("findings");
            for (Finding f : result.findings()) {
                findings.add(finding(f));
            }
        }

        ObjectNode summary = summary(ReportSummary.of(result));
        summary.put("unrecognised", result.unrecognised().size());
        root.set("summary", summary);

        ArrayNode functions = root.putArray("functions");
        for (FunctionSummary s : result.summaries()) {
            functions.add(function(s));
        }

        ArrayNode warnings = root.putArray("warnings");
        result.warnings().forEach(warnings::add);

        ArrayNode unrecognised = root.putArray("unrecognised");
        for (dev.posture.model.Unrecognised u : result.unrecognised()) {
            ObjectNode n = unrecognised.addObject();
            n.put("path", u.path());
            n.put("reason", u.reason());
        }

        ObjectNode posture = posture(Posture.of(result));
        ArrayNode coverage = posture.putArray("coverage");
        for (dev.posture.model.Coverage c : result.coverage()) {
            ObjectNode cn = coverage.addObject();
            cn.put("surface", c.surface().id());
            cn.put("theme", c.theme().id());
        }
        ObjectNode checks = posture.putObject("checks");
        result.checks().forEach((type, ids) -> {
            ArrayNode a = checks.putArray(type.id());
            ids.forEach(a::add);
        });
        root.set("posture", posture);
        return root;
    }

    static ObjectNode posture(Posture p) {
        ObjectNode n = ReportJson.object();
        n.put("scoreFormula", Posture.SCORE_FORMULA);
        ObjectNode surfaces = n.putObject("surfaces");
        for (Posture.SurfacePosture s : p.surfaces()) {
            ObjectNode sn = surfaces.putObject(s.surface().id());
            sn.put("status", s.scanned() ? "scanned" : "not scanned");
            if (s.score() == null) {
                sn.putNull("score");
            } else {
                sn.put("score", s.score());
            }
            sn.set("counts", counts(s.counts()));
            ObjectNode themes = sn.putObject("themes");
            for (Posture.ThemePosture t : s.themes()) {
                ObjectNode tn = themes.putObject(t.theme().id());
                tn.put("status", t.status().id());
                tn.set("counts", counts(t.counts()));
                tn.put("owner", t.responsibility().owner().id());
                tn.put("responsibility", t.responsibility().note());
                ArrayNode notes = tn.putArray("notes");
                t.notes().forEach(notes::add);
                ArrayNode risks = tn.putArray("topRisks");
                t.topRisks().forEach(f -> risks.add(risk(f)));
            }
        }
        ArrayNode top = n.putArray("topRisks");
        p.topRisks().forEach(f -> top.add(risk(f)));
        ArrayNode targets = n.putArray("targets");
        for (Posture.TargetDrill d : p.targets()) {
            ObjectNode tn = targets.addObject();
            tn.put("type", d.target().type().id());
            tn.put("name", d.target().name());
            tn.put("status", d.target().status().id());
            tn.set("counts", counts(d.counts()));
            tn.set("nodes", nodes(d.nodes()));
        }
        return n;
    }

    private static ArrayNode nodes(List<Posture.Node> nodes) {
        ArrayNode a = ReportJson.MAPPER.createArrayNode();
        for (Posture.Node node : nodes) {
            ObjectNode nn = a.addObject();
            nn.put("kind", node.kind());
            nn.put("name", node.name());
            nn.set("counts", counts(node.counts()));
            nn.set("children", nodes(node.children()));
        }
        return a;
    }

    private static ObjectNode counts(Posture.Counts c) {
        ObjectNode n = ReportJson.object();
        for (Severity sev : Severity.values()) {
            n.put(sev.id(), c.get(sev));
        }
        return n;
    }

    private static ObjectNode risk(Finding f) {
        ObjectNode n = ReportJson.object();
        n.put("ruleId", f.rule().id());
        n.put("severity", f.rule().severity().id());
        n.put("surface", f.rule().surface().id());
        n.put("theme", f.rule().theme().id());
        n.put("title", f.rule().title());
        n.set("target", targetRef(f.target()));
        ReportJson.putNullable(n, "resource", f.resource());
        n.put("message", f.message());
        n.put("fingerprint", f.fingerprint());
        return n;
    }

    /** Writes the findings array element by element when the tree is serialised. */
    private record StreamedArray(List<Finding> findings) implements JsonSerializable {
        @Override
        public void serialize(JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray();
            for (Finding f : findings) {
                gen.writeTree(finding(f));
            }
            gen.writeEndArray();
        }

        @Override
        public void serializeWithType(JsonGenerator gen, SerializerProvider provider, TypeSerializer ts)
                throws IOException {
            serialize(gen, provider);
        }
    }

    static ObjectNode finding(Finding f) {
        ObjectNode n = ReportJson.object();
        n.put("ruleId", f.rule().id());
        n.put("control", f.rule().control());
        n.put("severity", f.rule().severity().id());
        n.put("surface", f.rule().surface().id());
        n.put("theme", f.rule().theme().id());
        n.put("title", f.rule().title());
        n.set("target", targetRef(f.target()));
        ReportJson.putNullable(n, "resource", f.resource());
        ReportJson.putNullable(n, "container", f.container());
        ReportJson.putNullable(n, "path", f.path());
        Location loc = f.location();
        if (loc == null) {
            n.putNull("location");
        } else {
            ObjectNode l = n.putObject("location");
            ReportJson.putNullable(l, "file", loc.file());
            if (loc.line() > 0) {
                l.put("line", loc.line());
            } else {
                l.putNull("line");
            }
            if (loc.column() > 0) {
                l.put("column", loc.column());
            } else {
                l.putNull("column");
            }
        }
        ReportJson.putNullable(n, "logicalLocation", f.logicalLocation());
        n.put("message", f.message());
        ReportJson.putNullable(n, "evidence", f.evidence());
        n.put("fingerprint", f.fingerprint());
        Suppression s = f.suppression();
        if (s == null) {
            n.put("suppressed", false);
        } else {
            ObjectNode sn = n.putObject("suppressed");
            ReportJson.putNullable(sn, "reason", s.reason());
            ReportJson.putNullable(sn, "expires", s.expires() == null ? null : s.expires().toString());
            ReportJson.putNullable(sn, "source", s.source());
            ReportJson.putNullable(sn, "rule", s.rule());
            ReportJson.putNullable(sn, "control", s.control());
            ReportJson.putNullable(sn, "fingerprint", s.fingerprint());
            ReportJson.putNullable(sn, "target", s.target());
            ReportJson.putNullable(sn, "resource", s.resource());
        }
        if (f.baselineState() != null) {
            n.put("baselineState", f.baselineState().id());
        }
        return n;
    }

    static ObjectNode targetRef(TargetRef ref) {
        ObjectNode t = ReportJson.object();
        t.put("type", ref.type().id());
        t.put("name", ref.name());
        return t;
    }

    static ObjectNode summary(ReportSummary s) {
        ObjectNode n = ReportJson.object();
        for (Surface surface : Surface.values()) {
            ObjectNode bySeverity = n.putObject(surface.id());
            for (Severity sev : Severity.values()) {
                bySeverity.put(sev.id(), s.count(surface, sev));
            }
        }
        ObjectNode total = n.putObject("total");
        for (Severity sev : Severity.values()) {
            total.put(sev.id(), s.total(sev));
        }
        n.put("findings", s.total());
        n.put("suppressed", s.suppressed());
        return n;
    }

    static ObjectNode function(FunctionSummary s) {
        ObjectNode n = ReportJson.object();
        if (s.target() == null) {
            n.putNull("target");
        } else {
            n.set("target", targetRef(s.target()));
        }
        ReportJson.putNullable(n, "function", s.function());
        ReportJson.putNullable(n, "role", s.role());
        n.put("adminEquivalent", s.adminEquivalent());
        n.put("grantedActions", s.grantedActions());
        ObjectNode levels = n.putObject("byAccessLevel");
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(s.byAccessLevel().entrySet());
        entries.sort(Comparator.<Map.Entry<String, Integer>>comparingInt(e -> accessLevelRank(e.getKey()))
                .thenComparing(Map.Entry::getKey));
        entries.forEach(e -> levels.put(e.getKey(), e.getValue()));
        ArrayNode risky = n.putArray("highRiskActions");
        s.highRiskActions().forEach(risky::add);
        ReportJson.putNullable(n, "usedByCode", s.usedByCode());
        ReportJson.putNullable(n, "imageUri", s.imageUri());
        return n;
    }

    private static int accessLevelRank(String level) {
        int i = ACCESS_LEVELS.indexOf(level);
        return i < 0 ? ACCESS_LEVELS.size() : i;
    }
}
