package dev.posture.scan;

import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;

import java.time.Instant;
import java.util.List;

/**
 * Everything one scan produced, after aggregation (dedupe, suppression, baseline), in a stable
 * order: targets by type then name; findings by severity, target, resource, rule, fingerprint.
 *
 * @param scanId    identifies this scan run (SARIF {@code automationDetails.id})
 * @param baseDir   the directory file locations are relative to (for SARIF {@code uriBaseId})
 * @param warnings  problems that are not findings (expired ignore entries, …)
 */
public record ScanResult(String toolName, String toolVersion, String scanId, Instant startedAt, String baseDir,
                         List<Target> targets, List<Finding> findings, List<FunctionSummary> summaries,
                         List<String> warnings) {
    public ScanResult {
        targets = List.copyOf(targets);
        findings = List.copyOf(findings);
        summaries = List.copyOf(summaries);
        warnings = List.copyOf(warnings);
    }

    /** True when some target failed: the scan is incomplete. */
    public boolean incomplete() {
        return targets.stream().anyMatch(t -> t.status() == TargetStatus.FAILED);
    }
}
