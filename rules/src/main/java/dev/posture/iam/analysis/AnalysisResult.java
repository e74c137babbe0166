package dev.posture.iam.analysis;

import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;

import java.util.List;

/** What one analysis yields: findings, and one summary per function. */
public record AnalysisResult(List<Finding> findings, List<FunctionSummary> summaries) {
    public AnalysisResult {
        findings = List.copyOf(findings);
        summaries = List.copyOf(summaries);
    }

    /** Findings of one rule id, in report order. */
    public List<Finding> findings(String ruleId) {
        return findings.stream().filter(f -> f.rule().id().equals(ruleId)).toList();
    }
}
