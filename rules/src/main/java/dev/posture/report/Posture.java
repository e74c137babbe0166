package dev.posture.report;

import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Target;
import dev.posture.model.TargetRef;
import dev.posture.model.TargetStatus;
import dev.posture.model.TargetType;
import dev.posture.model.Theme;
import dev.posture.scan.ScanResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The combined posture of a scan: per surface (serverless, container) × theme the counts of
 * unsuppressed findings by severity, a status ({@code findings}, {@code clean} or {@code not scanned}),
 * the theme's top risks and who secures it ({@link SharedResponsibility}); a score per surface; the
 * overall top risks; and a per-target drill-down. A pure function of a {@link ScanResult}: every report
 * format renders the same numbers.
 *
 * <p>A theme is {@code not scanned} for a surface unless some analyzer whose rules cover it scanned a
 * target of that surface ({@link ScanResult#coverage()}), or unsuppressed findings show it was looked at:
 * never {@code clean} for something nobody looked at.
 */
public record Posture(List<SurfacePosture> surfaces, List<Finding> topRisks, List<TargetDrill> targets) {

    /** The score formula, as the reports print it. */
    public static final String SCORE_FORMULA =
            "100 - min(100, 10*critical + 5*high + 2*medium + 0.5*low) over unsuppressed findings; info counts 0";
    /** Top risks shown per theme. */
    public static final int THEME_TOP_RISKS = 3;
    /** Top risks shown overall. */
    public static final int TOP_RISKS = 5;
    /** The supply-chain note of a surface whose packages were not matched against a vulnerability database. */
    public static final String VULNERABILITIES_NOT_SCANNED =
            "vulnerabilities: not scanned (no --vuln-db: packages were not matched against known vulnerabilities)";
    /** The supply-chain note of a surface whose packages were matched ({@code --vuln-db}). */
    public static final String VULNERABILITIES_MATCHED =
            "vulnerabilities: packages matched against the OSV database given (--vuln-db)";

    /** Highest severity first, then fingerprint: a stable order for top risks. */
    static final Comparator<Finding> RISK_ORDER = Comparator
            .comparing((Finding f) -> f.rule().severity())
            .thenComparing(Finding::fingerprint);

    public Posture {
        surfaces = List.copyOf(surfaces);
        topRisks = List.copyOf(topRisks);
        targets = List.copyOf(targets);
    }

    /** What a theme's status is. */
    public enum Status {
        FINDINGS("findings"), CLEAN("clean"), NOT_SCANNED("not scanned");

        private final String id;

        Status(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** Counts of unsuppressed findings by severity. */
    public record Counts(int critical, int high, int medium, int low, int info) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

        public int get(Severity s) {
            return switch (s) {
                case CRITICAL -> critical;
                case HIGH -> high;
                case MEDIUM -> medium;
                case LOW -> low;
                case INFO -> info;
            };
        }

        public int total() {
            return critical + high + medium + low + info;
        }

        /** Non-zero counts by severity initial, most severe first ({@code 1C 3H 2L}); empty when all are zero. */
        public String compact() {
            StringBuilder b = new StringBuilder();
            for (Severity s : Severity.values()) {
                if (get(s) > 0) {
                    if (b.length() > 0) {
                        b.append(' ');
                    }
                    b.append(get(s)).append(Character.toUpperCase(s.id().charAt(0)));
                }
            }
            return b.toString();
        }

        Counts plus(Severity s) {
            return new Counts(critical + (s == Severity.CRITICAL ? 1 : 0), high + (s == Severity.HIGH ? 1 : 0),
                    medium + (s == Severity.MEDIUM ? 1 : 0), low + (s == Severity.LOW ? 1 : 0),
                    info + (s == Severity.INFO ? 1 : 0));
        }

        static Counts of(List<Finding> findings) {
            Counts c = ZERO;
            for (Finding f : findings) {
                if (!f.suppressed()) {
                    c = c.plus(f.rule().severity());
                }
            }
            return c;
        }
    }

    /** One theme on one surface. */
    public record ThemePosture(Theme theme, Status status, Counts counts, List<Finding> topRisks,
                               SharedResponsibility.Entry responsibility, List<String> notes) {
        public ThemePosture {
            topRisks = List.copyOf(topRisks);
            notes = List.copyOf(notes);
        }
    }

    /**
     * One surface: {@code scanned} when at least one theme was covered; {@code score} is null when not.
     */
    public record SurfacePosture(Surface surface, boolean scanned, Double score, Counts counts,
                                 List<ThemePosture> themes) {
        public SurfacePosture {
            themes = List.copyOf(themes);
        }

        public ThemePosture theme(Theme t) {
            return themes.stream().filter(x -> x.theme() == t).findFirst().orElseThrow();
        }
    }

    /** A node of the drill-down: {@code kind} is function, role, policy, image, file, workload or container. */
    public record Node(String kind, String name, Counts counts, List<Node> children) {
        public Node {
            children = List.copyOf(children);
        }
    }

    /** One target's drill-down: its counts and its nodes (each finding counted once per level). */
    public record TargetDrill(Target target, Counts counts, List<Node> nodes) {
        public TargetDrill {
            nodes = List.copyOf(nodes);
        }
    }

    public SurfacePosture surface(Surface s) {
        return surfaces.stream().filter(x -> x.surface() == s).findFirst().orElseThrow();
    }

    /** The score of a surface's counts: {@link #SCORE_FORMULA}. */
    public static double score(Counts c) {
        double penalty = 10.0 * c.critical() + 5.0 * c.high() + 2.0 * c.medium() + 0.5 * c.low();
        return 100.0 - Math.min(100.0, penalty);
    }

    /** Computes the posture of {@code result}; no I/O. */
    /** Whether the vulnerability check ran on a target type of the surface (its rule is among the scan's checks). */
    static boolean vulnerabilitiesMatched(ScanResult result, Surface surface) {
        for (var e : result.checks().entrySet()) {
            if (e.getKey().surface() == surface && e.getValue().contains(dev.posture.vuln.VulnFindings.CONTROL)) {
                return true;
            }
        }
        return false;
    }

    public static Posture of(ScanResult result) {
        List<Finding> open = result.findings().stream().filter(f -> !f.suppressed()).toList();
        long imageFunctions = result.summaries().stream().filter(s -> s.imageUri() != null).count();
        List<SurfacePosture> surfaces = new ArrayList<>();
        for (Surface surface : Surface.values()) {
            List<Finding> ofSurface = open.stream().filter(f -> f.rule().surface() == surface).toList();
            List<ThemePosture> themes = new ArrayList<>();
            boolean anyScanned = false;
            for (Theme theme : Theme.values()) {
                List<Finding> ofTheme = ofSurface.stream().filter(f -> f.rule().theme() == theme).toList();
                Counts counts = Counts.of(ofTheme);
                Status status = counts.total() > 0 ? Status.FINDINGS
                        : result.covers(surface, theme) ? Status.CLEAN : Status.NOT_SCANNED;
                anyScanned |= status != Status.NOT_SCANNED;
                List<String> notes = new ArrayList<>();
                if (theme == Theme.SUPPLY_CHAIN) {
                    notes.add(vulnerabilitiesMatched(result, surface) ? VULNERABILITIES_MATCHED
                            : VULNERABILITIES_NOT_SCANNED);
                }
                if (theme == Theme.IMAGE && surface == Surface.SERVERLESS && imageFunctions > 0) {
                    notes.add(imageFunctions + " function(s) deploy as container images: those images are yours,"
                            + " not the provider's; scan them with --image");
                }
                if (theme == Theme.CODE && surface == Surface.SERVERLESS && status != Status.NOT_SCANNED) {
                    notes.add("function code itself is not analysed; only its deployment configuration is checked");
                }
                themes.add(new ThemePosture(theme, status, counts, top(ofTheme, THEME_TOP_RISKS),
                        SharedResponsibility.of(surface, theme), notes));
            }
            Counts counts = Counts.of(ofSurface);
            surfaces.add(new SurfacePosture(surface, anyScanned, anyScanned ? score(counts) : null, counts, themes));
        }
        return new Posture(surfaces, top(open, TOP_RISKS), drill(result));
    }

    private static List<Finding> top(List<Finding> findings, int n) {
        return findings.stream().filter(f -> !f.suppressed() && f.rule().severity() != Severity.INFO)
                .sorted(RISK_ORDER).limit(n).toList();
    }

    // ---- drill-down ----

    /** A mutable node while building. */
    private static final class Builder {
        final String kind;
        final String name;
        Counts counts = Counts.ZERO;
        final Map<String, Builder> children = new TreeMap<>();

        Builder(String kind, String name) {
            this.kind = kind;
            this.name = name;
        }

        Builder child(String kind, String name) {
            return children.computeIfAbsent(kind + "\u0000" + name, k -> new Builder(kind, name));
        }

        Node build() {
            return new Node(kind, name, counts, children.values().stream().map(Builder::build).toList());
        }
    }

    private static List<TargetDrill> drill(ScanResult result) {
        Map<TargetRef, List<Finding>> byTarget = new LinkedHashMap<>();
        for (Finding f : result.findings()) {
            if (!f.suppressed()) {
                byTarget.computeIfAbsent(f.target(), k -> new ArrayList<>()).add(f);
            }
        }
        Map<TargetRef, List<FunctionSummary>> functions = new LinkedHashMap<>();
        for (FunctionSummary s : result.summaries()) {
            if (s.target() != null) {
                functions.computeIfAbsent(s.target(), k -> new ArrayList<>()).add(s);
            }
        }
        List<TargetDrill> out = new ArrayList<>();
        for (Target t : result.targets()) {
            List<Finding> findings = byTarget.getOrDefault(t.ref(), List.of());
            Builder root = new Builder(t.type().id(), t.name());
            if (t.status() == TargetStatus.SCANNED && t.type() == TargetType.LAMBDA) {
                for (FunctionSummary s : functions.getOrDefault(t.ref(), List.of())) {
                    if (s.function() != null) {
                        Builder fn = root.child("function", s.function());
                        if (s.role() != null) {
                            fn.child("role", s.role());
                        }
                    }
                }
            }
            for (Finding f : findings) {
                Severity sev = f.rule().severity();
                root.counts = root.counts.plus(sev);
                Builder node = root;
                for (String[] step : path(t.type(), f)) {
                    node = node.child(step[0], step[1]);
                    node.counts = node.counts.plus(sev);
                }
            }
            out.add(new TargetDrill(t, root.counts, root.build().children()));
        }
        return out;
    }

    /** The (kind, name) steps under the target where a finding belongs. */
    static List<String[]> path(TargetType type, Finding f) {
        List<String[]> steps = new ArrayList<>();
        switch (type) {
            case LAMBDA -> {
                if (f.resource() == null) {
                    break;
                }
                steps.add(new String[] {"function", f.resource()});
                String[] segs = f.logicalLocation() == null ? new String[0] : f.logicalLocation().split(" → ");
                for (int i = 0; i < segs.length; i++) {
                    if (segs[i].startsWith("role ")) {
                        steps.add(new String[] {"role", segs[i].substring(5)});
                        if (i + 1 < segs.length && segs[i + 1].contains("policy")) {
                            steps.add(new String[] {"policy", segs[i + 1]});
                        }
                        break;
                    }
                }
            }
            case IAM -> {
                if (f.resource() != null) {
                    steps.add(new String[] {"policy", f.resource()});
                }
            }
            case IMAGE -> {
                if (f.path() != null) {
                    String logical = f.logicalLocation() == null ? "" : f.logicalLocation();
                    for (String seg : logical.split(" → ")) {
                        if (seg.startsWith("layer ")) {
                            steps.add(new String[] {"layer", seg.substring("layer ".length())});
                        }
                    }
                    steps.add(new String[] {"file", f.path()});
                }
            }
            case KUBERNETES -> {
                if (f.resource() != null) {
                    steps.add(new String[] {"workload", f.resource()});
                    if (f.container() != null) {
                        steps.add(new String[] {"container", f.container()});
                    }
                }
            }
        }
        return steps;
    }

    /** A score as the text reports print it: {@code 92.5}, {@code 100}; "n/a" for null. */
    public static String scoreText(Double score) {
        if (score == null) {
            return "n/a";
        }
        return score == Math.rint(score) ? String.valueOf(score.longValue()) : String.valueOf(score);
    }

    /** What a theme shows in the side-by-side summaries: its compact counts, "clean" or "not scanned". */
    public static String themeText(ThemePosture t) {
        return t.status() == Status.FINDINGS ? t.counts().compact() : t.status().id();
    }

    /** Counts per theme of one surface, for writers that want a quick look-up. */
    public Map<Theme, Counts> counts(Surface s) {
        Map<Theme, Counts> m = new EnumMap<>(Theme.class);
        surface(s).themes().forEach(t -> m.put(t.theme(), t.counts()));
        return m;
    }
}
