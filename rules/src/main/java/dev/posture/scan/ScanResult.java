package dev.posture.scan;

import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
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
 */
public record ScanResult(String toolName, String toolVersion, String scanId, Instant startedAt, String baseDir,
                         List<Target> targets, List<Finding> findings, List<FunctionSummary> summaries,
                         List<String> warnings, List<Unrecognised> unrecognised, Shard shard) {
    public ScanResult {
        targets = List.copyOf(targets);
        findings = List.copyOf(findings);
        summaries = List.copyOf(summaries);
        warnings = List.copyOf(warnings);
        unrecognised = List.copyOf(unrecognised);
    }

    public ScanResult(String toolName, String toolVersion, String scanId, Instant startedAt, String baseDir,
                      List<Target> targets, List<Finding> findings, List<FunctionSummary> summaries,
                      List<String> warnings, List<Unrecognised> unrecognised) {
        this(toolName, toolVersion, scanId, startedAt, baseDir, targets, findings, summaries, warnings, unrecognised,
                null);
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
