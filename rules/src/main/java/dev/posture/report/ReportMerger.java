package dev.posture.report;

import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Rule;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.model.Unrecognised;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Scanner;
import dev.posture.scan.Shard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Combines the JSON reports of several scans (usually the shards of one scan, {@code --shard K/N}) into one
 * {@link ScanResult} that every writer can render. Rules (documented in {@code docs/scale.md}):
 * <ul>
 *   <li>findings: one per fingerprint (the first report's copy), in the scan's order;</li>
 *   <li>targets: one per type and name; a target {@code failed} in any report stays failed with its error, even
 *       when another report scanned it; {@code scanned} wins over {@code skipped};</li>
 *   <li>warnings, function summaries and unrecognised files: de-duplicated;</li>
 *   <li>one rule id with different metadata (title, severity, surface, theme, control) in two reports: a
 *       {@link Conflict} naming the rule, both files and both values;</li>
 *   <li>reports of different posture versions, shards of different counts, or missing shards: merged, with a
 *       warning (in the merged report and on stderr) that names them.</li>
 * </ul>
 */
public final class ReportMerger {

    /** One input report and the name (file) it came from. */
    public record Input(String name, ScanResult result) {
        public Input {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(result, "result");
        }
    }

    /** The merged result and the warnings the merge itself raised (also in {@code result.warnings()}). */
    public record Merged(ScanResult result, List<String> mergeWarnings) {
    }

    /** Reports that cannot be merged into one truthful report. */
    public static final class Conflict extends Exception {
        public Conflict(String message) {
            super(message);
        }
    }

    private final String toolVersion;
    private final String baseDir;

    /**
     * @param toolVersion the merging posture's version, used when the reports' versions differ
     * @param baseDir     the directory file locations are relative to (SARIF {@code %SRCROOT%}); may be null
     */
    public ReportMerger(String toolVersion, String baseDir) {
        this.toolVersion = toolVersion;
        this.baseDir = baseDir;
    }

    public Merged merge(List<Input> inputs) throws Conflict {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no reports to merge");
        }
        List<String> mergeWarnings = new ArrayList<>();

        // tool versions: merged, with a warning naming them
        Map<String, List<String>> byVersion = new TreeMap<>();
        for (Input in : inputs) {
            byVersion.computeIfAbsent(String.valueOf(in.result().toolVersion()), k -> new ArrayList<>()).add(in.name());
        }
        String version = byVersion.size() == 1 ? inputs.get(0).result().toolVersion() : toolVersion;
        if (byVersion.size() > 1) {
            mergeWarnings.add("the merged reports come from different posture versions: " + byVersion.entrySet().stream()
                    .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
                    .collect(Collectors.joining(", ")) + "; their rules may differ, so findings may not be comparable");
        }

        shardWarnings(inputs, mergeWarnings);

        // rule metadata must agree
        Map<String, Rule> rules = new LinkedHashMap<>();
        Map<String, String> ruleFile = new LinkedHashMap<>();
        for (Input in : inputs) {
            for (Finding f : in.result().findings()) {
                Rule r = f.rule();
                Rule seen = rules.putIfAbsent(r.id(), r);
                if (seen == null) {
                    ruleFile.put(r.id(), in.name());
                    continue;
                }
                String diff = difference(seen, r);
                if (diff != null) {
                    throw new Conflict("rule " + r.id() + " has different metadata in " + ruleFile.get(r.id())
                            + " and " + in.name() + ": " + diff + " (fingerprint " + f.fingerprint()
                            + "); merge reports of the same posture version and policies");
                }
            }
        }

        Map<String, Finding> findings = new LinkedHashMap<>();
        Map<String, Target> targets = new LinkedHashMap<>();
        Map<String, FunctionSummary> summaries = new LinkedHashMap<>();
        Set<String> warnings = new LinkedHashSet<>();
        Map<String, Unrecognised> unrecognised = new TreeMap<>();
        Instant started = null;
        List<String> scanIds = new ArrayList<>();
        for (Input in : inputs) {
            ScanResult r = in.result();
            for (Finding f : r.findings()) {
                findings.putIfAbsent(f.fingerprint(), f);
            }
            for (Target t : r.targets()) {
                targets.merge(t.type() + "\u0000" + t.name(), t, ReportMerger::stronger);
            }
            for (FunctionSummary s : r.summaries()) {
                summaries.putIfAbsent((s.target() == null ? "" : s.target().type() + "\u0000" + s.target().name())
                        + "\u0000" + s.function() + "\u0000" + s.role(), s);
            }
            warnings.addAll(r.warnings());
            for (Unrecognised u : r.unrecognised()) {
                unrecognised.putIfAbsent(u.path(), u);
            }
            if (r.startedAt() != null && (started == null || r.startedAt().isBefore(started))) {
                started = r.startedAt();
            }
            scanIds.add(String.valueOf(r.scanId()));
        }
        warnings.addAll(mergeWarnings);

        List<Finding> sortedFindings = new ArrayList<>(findings.values());
        sortedFindings.sort(Scanner.FINDING_ORDER);
        List<Target> sortedTargets = new ArrayList<>(targets.values());
        sortedTargets.sort(Comparator.comparing((Target t) -> t.type().ordinal()).thenComparing(Target::name));
        List<FunctionSummary> sortedSummaries = new ArrayList<>(summaries.values());
        sortedSummaries.sort(Comparator.comparing((FunctionSummary s) -> s.target() == null ? "" : s.target().name())
                .thenComparing(s -> String.valueOf(s.function())));
        // what was checked anywhere was checked: the shards' coverage, united
        java.util.Set<dev.posture.model.Coverage> coverage = new java.util.TreeSet<>();
        java.util.Map<dev.posture.model.TargetType, java.util.Set<String>> checks = new java.util.EnumMap<>(dev.posture.model.TargetType.class);
        for (Input in : inputs) {
            coverage.addAll(in.result().coverage());
            in.result().checks().forEach((type, ids) -> checks.computeIfAbsent(type, k -> new java.util.TreeSet<>()).addAll(ids));
        }
        java.util.Map<dev.posture.model.TargetType, List<String>> checkLists = new java.util.EnumMap<>(dev.posture.model.TargetType.class);
        checks.forEach((type, ids) -> checkLists.put(type, List.copyOf(ids)));
        ScanResult merged = new ScanResult(inputs.get(0).result().toolName() == null ? "posture"
                : inputs.get(0).result().toolName(), version, mergedId(scanIds), started, baseDir, sortedTargets,
                sortedFindings, sortedSummaries, new ArrayList<>(warnings), new ArrayList<>(unrecognised.values()),
                (Shard) null, List.copyOf(coverage), checkLists);
        return new Merged(merged, mergeWarnings);
    }

    /** A failed target stays failed (with its error); scanned wins over skipped; else the first. */
    private static Target stronger(Target a, Target b) {
        if (a.status() == TargetStatus.FAILED) {
            return a;
        }
        if (b.status() == TargetStatus.FAILED) {
            return b;
        }
        if (a.status() == TargetStatus.SKIPPED && b.status() == TargetStatus.SCANNED) {
            return b;
        }
        return a;
    }

    private static void shardWarnings(List<Input> inputs, List<String> out) {
        Map<Integer, Set<Integer>> byCount = new TreeMap<>();
        List<String> names = new ArrayList<>();
        for (Input in : inputs) {
            Shard s = in.result().shard();
            if (s != null) {
                byCount.computeIfAbsent(s.count(), k -> new TreeSet<>()).add(s.index());
                names.add(in.name() + " (" + s + ")");
            }
        }
        if (byCount.isEmpty()) {
            return;
        }
        if (byCount.size() > 1) {
            out.add("the merged reports are shards of different counts: " + String.join(", ", names)
                    + "; their partitions differ, so targets may be missing or appear twice");
        }
        for (Map.Entry<Integer, Set<Integer>> e : byCount.entrySet()) {
            int n = e.getKey();
            List<Integer> missing = new ArrayList<>();
            for (int k = 1; k <= n; k++) {
                if (!e.getValue().contains(k)) {
                    missing.add(k);
                }
            }
            if (!missing.isEmpty()) {
                out.add("shard(s) " + missing.stream().map(k -> k + "/" + n).collect(Collectors.joining(", "))
                        + " missing from the merge: the merged report does not cover the targets of "
                        + (missing.size() == 1 ? "that shard" : "those shards"));
            }
        }
    }

    /** Null when the two rules carry the same report metadata, else what differs. */
    private static String difference(Rule a, Rule b) {
        List<String> d = new ArrayList<>();
        if (a.severity() != b.severity()) {
            d.add("severity " + a.severity().id() + " vs " + b.severity().id());
        }
        if (!a.title().equals(b.title())) {
            d.add("title \"" + a.title() + "\" vs \"" + b.title() + "\"");
        }
        if (a.surface() != b.surface()) {
            d.add("surface " + a.surface().id() + " vs " + b.surface().id());
        }
        if (a.theme() != b.theme()) {
            d.add("theme " + a.theme().id() + " vs " + b.theme().id());
        }
        if (!a.control().equals(b.control())) {
            d.add("control " + a.control() + " vs " + b.control());
        }
        return d.isEmpty() ? null : String.join(", ", d);
    }

    /** The same reports give the same id (and SARIF category), whatever order they are given in. */
    private static String mergedId(List<String> scanIds) {
        List<String> ids = new ArrayList<>(scanIds);
        ids.sort(null);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", ids).getBytes(StandardCharsets.UTF_8));
            return "merged-" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
