package dev.posture.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.model.Finding;
import dev.posture.model.Location;
import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Target;
import dev.posture.model.TargetRef;
import dev.posture.model.TargetStatus;
import dev.posture.scan.ScanResult;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer). The mapping is documented in
 * {@code docs/report-format.md}; in short: one run, every rule that fired in
 * {@code tool.driver.rules} (sorted by id), severities as {@code level} plus the
 * {@code security-severity} score, fingerprints as {@code partialFingerprints}, findings in files
 * as physical locations (the file the user gave, at the finding's line), findings without a file
 * (live AWS, images, stdin) as logical locations only, suppressions as external suppressions.
 */
public final class SarifReportWriter implements ReportWriter {

    public static final String SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
    public static final String SARIF_VERSION = "2.1.0";
    /** The {@code partialFingerprints} key; bump the version suffix if the fingerprint recipe changes. */
    public static final String FINGERPRINT_KEY = "postureFingerprint/v1";
    public static final String DEFAULT_INFORMATION_URI = "https://github.com/posture-dev/posture";
    /** Rule precision when no override says otherwise. */
    public static final String DEFAULT_PRECISION = "high";

    private static final Pattern SEMVER = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$");
    private static final Set<String> PRECISIONS = Set.of("very-high", "high", "medium", "low");
    /** The target name of stdin: its locations name no file. */
    private static final String STDIN = "-";

    private final String informationUri;
    private final Function<Rule, String> precision;

    public SarifReportWriter() {
        this(DEFAULT_INFORMATION_URI, rule -> DEFAULT_PRECISION);
    }

    /**
     * @param informationUri the tool's home page ({@code tool.driver.informationUri})
     * @param precision      the {@code properties.precision} of a rule ({@code very-high}, {@code high},
     *                       {@code medium}, {@code low}); null or an unknown value means {@code high}
     */
    public SarifReportWriter(String informationUri, Function<Rule, String> precision) {
        this.informationUri = Objects.requireNonNull(informationUri, "informationUri");
        this.precision = Objects.requireNonNull(precision, "precision");
    }

    /** SARIF {@code level}: critical and high are errors, medium a warning, low and info notes. */
    public static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    /** The rule's SARIF {@code name}: the id in PascalCase ({@code k8s-privileged} → {@code K8sPrivileged}). */
    public static String pascalCase(String id) {
        StringBuilder b = new StringBuilder();
        for (String part : id.split("[^A-Za-z0-9]+")) {
            if (part.isEmpty()) {
                continue;
            }
            b.append(Character.toUpperCase(part.charAt(0)));
            b.append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return b.length() == 0 ? "Rule" : b.toString();
    }

    @Override
    public void write(ScanResult result, OutputStream out) throws IOException {
        ReportJson.write(toSarif(result), out);
    }

    /** The SARIF log as a Jackson tree (exactly what {@link #write} prints). */
    public ObjectNode toSarif(ScanResult result) {
        ObjectNode log = ReportJson.object();
        log.put("$schema", SCHEMA_URI);
        log.put("version", SARIF_VERSION);
        ObjectNode run = log.putArray("runs").addObject();

        // rules: every rule that fired, sorted by id; the first Rule seen for an id wins
        Map<String, Rule> rules = new TreeMap<>();
        for (Finding f : result.findings()) {
            rules.putIfAbsent(f.rule().id(), f.rule());
        }
        Map<String, Integer> ruleIndex = new TreeMap<>();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", blank(result.toolName()) ? "posture" : result.toolName());
        if (!blank(result.toolVersion())) {
            driver.put("version", result.toolVersion());
            if (SEMVER.matcher(result.toolVersion()).matches()) {
                driver.put("semanticVersion", result.toolVersion());
            }
        }
        driver.put("informationUri", informationUri);
        ArrayNode ruleArray = driver.putArray("rules");
        for (Rule r : rules.values()) {
            ruleIndex.put(r.id(), ruleArray.size());
            ruleArray.add(rule(r));
        }

        run.putObject("automationDetails").put("id", "posture/" + (result.scanId() == null ? "" : result.scanId()));

        if (!blank(result.baseDir())) {
            run.putObject("originalUriBaseIds").putObject(ArtifactUris.SRCROOT)
                    .put("uri", ArtifactUris.baseUri(result.baseDir()));
        }

        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", !result.incomplete());
        if (result.startedAt() != null) {
            invocation.put("startTimeUtc", result.startedAt().toString());
        }
        ArrayNode notes = invocation.putArray("toolExecutionNotifications");
        for (Target t : result.targets()) {
            if (t.status() == TargetStatus.SCANNED) {
                continue;
            }
            boolean failed = t.status() == TargetStatus.FAILED;
            ObjectNode n = notes.addObject();
            n.put("level", failed ? "error" : "note");
            n.putObject("message").put("text", t.type().id() + " " + t.name() + " " + t.status().id()
                    + (t.error() == null ? "" : ": " + t.error()));
            n.putObject("descriptor").put("id", failed ? "posture/target-failed" : "posture/target-skipped");
            ObjectNode props = n.putObject("properties");
            props.set("target", JsonReportWriter.targetRef(t.ref()));
            props.put("source", t.source());
        }
        for (String w : result.warnings()) {
            ObjectNode n = notes.addObject();
            n.put("level", "warning");
            n.putObject("message").put("text", w);
            n.putObject("descriptor").put("id", "posture/warning");
        }

        ArrayNode results = run.putArray("results");
        for (Finding f : result.findings()) {
            results.add(result(f, ruleIndex.get(f.rule().id()), result.baseDir()));
        }
        run.put("columnKind", "utf16CodeUnits");
        return log;
    }

    private ObjectNode rule(Rule r) {
        ObjectNode n = ReportJson.object();
        n.put("id", r.id());
        n.put("name", pascalCase(r.id()));
        n.putObject("shortDescription").put("text", r.title());
        n.putObject("fullDescription").put("text", r.description().isBlank() ? r.title() : r.description());
        ObjectNode help = n.putObject("help");
        help.put("text", helpText(r));
        help.put("markdown", helpMarkdown(r));
        String helpUri = absoluteUri(r.helpUri());
        if (helpUri != null) {
            n.put("helpUri", helpUri);
        }
        n.putObject("defaultConfiguration").put("level", level(r.severity()));
        ObjectNode props = n.putObject("properties");
        ArrayNode tags = props.putArray("tags");
        Set<String> tagSet = new LinkedHashSet<>(List.of("security", r.surface().id(), r.theme().id()));
        if (!r.control().isBlank()) {
            tagSet.add(r.control());
        }
        tagSet.forEach(tags::add);
        String p = precision.apply(r);
        props.put("precision", p != null && PRECISIONS.contains(p) ? p : DEFAULT_PRECISION);
        props.put("security-severity", r.severity().securitySeverity());
        props.put("control", r.control());
        props.put("severity", r.severity().id());
        return n;
    }

    private static String helpText(Rule r) {
        StringBuilder b = new StringBuilder(r.title());
        if (!r.description().isBlank()) {
            b.append("\n\n").append(r.description());
        }
        if (!r.remediation().isBlank()) {
            b.append("\n\nRemediation: ").append(r.remediation());
        }
        if (!r.references().isEmpty()) {
            b.append("\n\nReferences:");
            r.references().forEach(ref -> b.append("\n- ").append(ref));
        }
        return b.toString();
    }

    private static String helpMarkdown(Rule r) {
        StringBuilder b = new StringBuilder("**").append(r.title()).append("**");
        if (!r.description().isBlank()) {
            b.append("\n\n").append(r.description());
        }
        if (!r.remediation().isBlank()) {
            b.append("\n\n**Remediation:** ").append(r.remediation());
        }
        if (!r.references().isEmpty()) {
            b.append("\n\n**References**\n");
            for (String ref : r.references()) {
                b.append("\n- ").append(absoluteUri(ref) != null ? "<" + ref + ">" : ref);
            }
        }
        b.append("\n\nControl: `").append(r.control()).append("` · surface: ").append(r.surface().id())
                .append(" · theme: ").append(r.theme().id()).append(" · severity: ").append(r.severity().id());
        return b.toString();
    }

    private static ObjectNode result(Finding f, int ruleIndex, String baseDir) {
        ObjectNode n = ReportJson.object();
        n.put("ruleId", f.rule().id());
        n.put("ruleIndex", ruleIndex);
        n.put("level", level(f.rule().severity()));
        n.putObject("message").put("text", f.message());

        ObjectNode loc = n.putArray("locations").addObject();
        Location l = f.location();
        // A physical location only for a place in a file the user gave: a finding without one (a live
        // function, an image, stdin) gets logical locations only, never an invented file.
        boolean isFile = l != null && !blank(l.file()) && !STDIN.equals(f.target().name());
        if (isFile) {
            ObjectNode physical = loc.putObject("physicalLocation");
            ObjectNode artifact = physical.putObject("artifactLocation");
            ArtifactUris.ArtifactUri uri = ArtifactUris.forFile(l.file(), baseDir);
            artifact.put("uri", uri.uri());
            ReportJson.putIfPresent(artifact, "uriBaseId", uri.uriBaseId());
            ObjectNode region = physical.putObject("region");
            region.put("startLine", l.hasLine() ? l.line() : 1);
            if (l.hasLine() && l.column() > 0) {
                region.put("startColumn", l.column());
            }
        }
        ArrayNode logical = ReportJson.MAPPER.createArrayNode();
        String kind = logicalKind(f.target());
        if (!isFile) {
            ObjectNode t = logical.addObject();
            t.put("name", blank(f.resource()) ? f.target().name() : f.resource());
            t.put("fullyQualifiedName", f.target().name());
            t.put("kind", kind);
        }
        if (!blank(f.logicalLocation()) && !f.logicalLocation().equals(f.target().name())) {
            ObjectNode c = logical.addObject();
            c.put("fullyQualifiedName", f.logicalLocation());
            c.put("kind", kind);
        } else if (isFile && !blank(f.resource())) {
            ObjectNode c = logical.addObject();
            c.put("name", f.resource());
            c.put("fullyQualifiedName", f.resource());
            c.put("kind", "resource");
        }
        if (!logical.isEmpty()) {
            loc.set("logicalLocations", logical);
        }

        n.putObject("partialFingerprints").put(FINGERPRINT_KEY, f.fingerprint());

        if (f.suppression() != null) {
            ObjectNode s = n.putArray("suppressions").addObject();
            s.put("kind", "external");
            s.put("status", "accepted");
            String reason = f.suppression().reason();
            s.put("justification", blank(reason) ? "suppressed by " + nz(f.suppression().source(), "an ignore entry") : reason);
            ObjectNode sp = s.putObject("properties");
            ReportJson.putIfPresent(sp, "expires",
                    f.suppression().expires() == null ? null : f.suppression().expires().toString());
            ReportJson.putIfPresent(sp, "source", f.suppression().source());
            ReportJson.putIfPresent(sp, "rule", f.suppression().rule());
            ReportJson.putIfPresent(sp, "control", f.suppression().control());
            ReportJson.putIfPresent(sp, "fingerprint", f.suppression().fingerprint());
            ReportJson.putIfPresent(sp, "target", f.suppression().target());
            ReportJson.putIfPresent(sp, "resource", f.suppression().resource());
        }
        if (f.baselineState() != null) {
            n.put("baselineState", f.baselineState().id());
        }

        ObjectNode props = n.putObject("properties");
        props.put("control", f.rule().control());
        props.put("severity", f.rule().severity().id());
        props.put("surface", f.rule().surface().id());
        props.put("theme", f.rule().theme().id());
        props.set("target", JsonReportWriter.targetRef(f.target()));
        ReportJson.putIfPresent(props, "resource", f.resource());
        ReportJson.putIfPresent(props, "container", f.container());
        ReportJson.putIfPresent(props, "path", f.path());
        ReportJson.putIfPresent(props, "evidence", f.evidence());
        return n;
    }

    /** SARIF logical location kind for a target: functions for Lambda, modules for images, resources otherwise. */
    static String logicalKind(TargetRef t) {
        return switch (t.type()) {
            case LAMBDA -> "function";
            case IMAGE -> "module";
            case KUBERNETES, IAM -> "resource";
        };
    }

    private static String absoluteUri(String s) {
        if (blank(s)) {
            return null;
        }
        try {
            URI u = new URI(s.trim());
            return u.isAbsolute() ? u.toASCIIString() : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nz(String s, String dflt) {
        return blank(s) ? dflt : s;
    }
}
