package dev.posture.scan;

import dev.posture.model.Coverage;
import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.model.Surface;
import dev.posture.model.Theme;
import dev.posture.model.Unrecognised;

import java.time.Instant;
import java.util.List;

/**
 * Everything one scan produced, after aggregation (dedupe, suppression, baseline), in a stable
 * order: targets by type then name; findings by severity, target, resource, rule, fingerprint.
 *
 * @param scanId    identifies this scan run (SARIF {@code automationDetails.id})
 * @param baseDir   the directory file locations are relative to (for SARIF {@code uriBaseId})
 * @param warnings     problems that are not findings (expired ignore entries, …)
 * @param unrecognised files looked at that are no input (not targets), by path
 * @param shard        the part of the targets this scan covered ({@code --shard K/N}); null for a whole scan
 * @param coverage     the (surface, theme) pairs some analyzer checked on at least one scanned target, sorted;
 *                     what the posture summary needs to say "not scanned" instead of "clean"
 * @param checks       per target type scanned, the ids of the rules evaluated on its targets, sorted (JUnit's
 *                     passing testcases: a rule × target without findings passed)
 */
public record ScanResult(String toolName, String toolVersion, String scanId, Instant startedAt, String baseDir,
                         List<Target> targets, List<Finding> findings, List<FunctionSummary> summaries,
                         List<String> warnings, List<Unrecognised> unrecognised, Shard shard,
                         List<Coverage> coverage, java.util.Map<dev.posture.model.TargetType, List<String>> checks) {
    public ScanResult {
        targets = List.copyOf(targets);
        findings = List.copyOf(findings);
        summaries = List.copyOf(summaries);
        warnings = List.copyOf(warnings);
        unrecognised = List.copyOf(unrecognised);
        coverage = coverage == null ? List.of() : new java.util.TreeSet<>(coverage).stream().toList();
        java.util.Map<dev.posture.model.TargetType, List<String>> c = new java.util.EnumMap<>(dev.posture.model.TargetType.class);
        if (checks != null) {
            checks.forEach((type, ids) -> c.put(type, new java.util.TreeSet<>(ids).stream().toList()));
        }
        checks = java.util.Collections.unmodifiableMap(c);
    }

    /** A result without the list of rules checked (JUnit then lists only rules with findings). */
    public ScanResult(String toolName, String toolVersion, String scanId, Instant startedAt, String baseDir,
                      List<Target> targets, List<Finding> findings, List<FunctionSummary> summaries,
                      List<String> warnings, List<Unrecognised> unrecognised, Shard shard,
                      List<Coverage> coverage) {
        this(toolName, toolVersion, scanId, startedAt, baseDir, targets, findings, summaries, warnings, unrecognised,
                shard, coverage, null);
    }

    /** A whole scan (no shard). */
    public ScanResult(String toolName, String toolVersion, String scanId, Instant startedAt, String baseDir,
                      List<Target> targets, List<Finding> findings, List<FunctionSummary> summaries,
                      List<String> warnings, List<Unrecognised> unrecognised, List<Coverage> coverage) {
        this(toolName, toolVersion, scanId, startedAt, baseDir, targets, findings, summaries, warnings, unrecognised,
                null, coverage);
    }

    /** A result without coverage information (every theme of the posture summary is "not scanned"). */
    public ScanResult(String toolName, String toolVersion, String scanId, Instant startedAt, String baseDir,
                      List<Target> targets, List<Finding> findings, List<FunctionSummary> summaries,
                      List<String> warnings, List<Unrecognised> unrecognised, Shard shard) {
        this(toolName, toolVersion, scanId, startedAt, baseDir, targets, findings, summaries, warnings, unrecognised,
                shard, List.of());
    }

    /** A whole scan without coverage information. */
    public ScanResult(String toolName, String toolVersion, String scanId, Instant startedAt, String baseDir,
                      List<Target> targets, List<Finding> findings, List<FunctionSummary> summaries,
                      List<String> warnings, List<Unrecognised> unrecognised) {
        this(toolName, toolVersion, scanId, startedAt, baseDir, targets, findings, summaries, warnings, unrecognised,
                null, List.of());
    }

    /** This result with {@code coverage} instead of its own. */
    public ScanResult withCoverage(java.util.Collection<Coverage> coverage) {
        return new ScanResult(toolName, toolVersion, scanId, startedAt, baseDir, targets, findings, summaries, warnings,
                unrecognised, shard, List.copyOf(coverage), checks);
    }

    /** True when some analyzer checked {@code theme} on a scanned target of {@code surface}. */
    public boolean covers(Surface surface, Theme theme) {
        return coverage.contains(new Coverage(surface, theme));
    }

    public ScanResult(String toolName, String toolVersion, String scanId, Instant startedAt, String baseDir,
                      List<Target> targets, List<Finding> findings, List<FunctionSummary> summaries,
                      List<String> warnings) {
        this(toolName, toolVersion, scanId, startedAt, baseDir, targets, findings, summaries, warnings, List.of());
    }

    /** True when some target failed: the scan is incomplete. */
    public boolean incomplete() {
        return targets.stream().anyMatch(t -> t.status() == TargetStatus.FAILED);
    }
}
