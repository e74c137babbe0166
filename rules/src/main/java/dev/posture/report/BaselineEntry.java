package dev.posture.report;

import dev.posture.model.Finding;
import dev.posture.model.Location;
import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Suppression;
import dev.posture.model.TargetRef;
import dev.posture.model.Theme;

import java.util.Objects;

/**
 * One finding as read back from a JSON report by {@link JsonReportReader}: everything the report
 * holds about it. Baselines match on {@link #fingerprint()}.
 *
 * @param suppression non-null when the finding was suppressed in that report
 */
public record BaselineEntry(String fingerprint, String ruleId, String control, Severity severity, Surface surface,
                            Theme theme, String title, TargetRef target, String resource, String container,
                            String path, Location location, String logicalLocation, String message,
                            String evidence, Suppression suppression) {

    public BaselineEntry {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(ruleId, "ruleId");
    }

    public boolean suppressed() {
        return suppression != null;
    }

    /**
     * The entry as a {@link Finding} (with the same fingerprint) whose rule carries only the
     * metadata a report holds (no description, remediation or references). Used to report findings
     * that are {@code absent} from the current scan.
     */
    public Finding toFinding() {
        Rule rule = new Rule(ruleId, title == null ? ruleId : title, severity, surface, theme,
                control == null ? "" : control, null, null, null);
        return new Finding(rule, target, resource, container, path, location, logicalLocation, null,
                message == null ? rule.title() : message, evidence, fingerprint, suppression, null);
    }
}
