package dev.posture.model;

import java.util.List;
import java.util.Map;

/**
 * Per-function over-privilege summary for the JSON report.
 *
 * @param grantedActions   number of distinct actions the effective identity grant allows
 * @param byAccessLevel    granted action counts per access level (List, Read, Write, Permissions
 *                         management, Tagging)
 * @param highRiskActions  granted actions that enable escalation, exposure, credential access or
 *                         data exfiltration (sorted, capped)
 * @param usedByCode       which actions the function's code uses: static analysis of code is not
 *                         done, so this is always "unknown", said explicitly
 * @param imageUri         for Image-packaged functions, the image to scan with the image analyzer
 */
public record FunctionSummary(TargetRef target, String function, String role, boolean adminEquivalent,
                              int grantedActions, Map<String, Integer> byAccessLevel,
                              List<String> highRiskActions, String usedByCode, String imageUri) {
    public FunctionSummary {
        byAccessLevel = byAccessLevel == null ? Map.of() : Map.copyOf(byAccessLevel);
        highRiskActions = highRiskActions == null ? List.of() : List.copyOf(highRiskActions);
    }
}
