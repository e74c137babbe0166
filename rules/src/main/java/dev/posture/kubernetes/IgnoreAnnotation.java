package dev.posture.kubernetes;

import dev.posture.policy.PolicyRules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.SourceMap;
import dev.posture.model.Finding;
import dev.posture.model.Redaction;
import dev.posture.model.Suppression;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code metadata.annotations["posture.dev/ignore"]: "k8s-privileged, k8s-host-path"} with
 * {@code posture.dev/ignore-reason} on a resource: its findings of those rules are suppressed, with the reason,
 * exactly as an entry of {@code .posture-ignore.yaml} would (kept in the reports, never counted by the gate). The
 * suppression's source names the annotation: {@code annotation on Deployment/shop/web (k8s/web.yaml:7)}. Without
 * a reason nothing is suppressed (as in the ignore file, a reason is required) and the scan warns.
 */
record IgnoreAnnotation(Set<String> rules, String reason, String source, String resource) {

    /** The resource's annotation, or null when it has none (or none that applies); problems go to {@code warnings}. */
    static IgnoreAnnotation of(Resource r, PolicyRules known, List<String> warnings) {
        JsonNode annotations = r.object().path("metadata").path("annotations");
        JsonNode ids = annotations.get(KubernetesAnalyzer.IGNORE_ANNOTATION);
        if (ids == null) {
            return null;
        }
        String where = r.location("/metadata/annotations/" + SourceMap.segment(KubernetesAnalyzer.IGNORE_ANNOTATION))
                .toString();
        if (!ids.isTextual()) {
            warnings.add(where + ": annotation " + KubernetesAnalyzer.IGNORE_ANNOTATION + " on " + r.id()
                    + " is not a string of rule ids; nothing suppressed");
            return null;
        }
        JsonNode reason = annotations.get(KubernetesAnalyzer.IGNORE_REASON_ANNOTATION);
        if (reason == null || !reason.isTextual() || reason.asText().isBlank()) {
            warnings.add(where + ": annotation " + KubernetesAnalyzer.IGNORE_ANNOTATION + " on " + r.id() + " has no "
                    + KubernetesAnalyzer.IGNORE_REASON_ANNOTATION + "; nothing suppressed (a reason is required)");
            return null;
        }
        Set<String> rules = new LinkedHashSet<>();
        for (String id : ids.asText().split(",")) {
            String t = id.strip();
            if (t.isEmpty()) {
                continue;
            }
            rules.add(t);
            if (!known.byId().containsKey(t)) {
                warnings.add(where + ": annotation " + KubernetesAnalyzer.IGNORE_ANNOTATION + " on " + r.id()
                        + " names " + (t.length() > 80 ? t.substring(0, 77) + "..." : t)
                        + ", which is no rule of this scan (rule ids look like k8s-privileged)");
            }
        }
        if (rules.isEmpty()) {
            return null;
        }
        return new IgnoreAnnotation(Set.copyOf(rules), Redaction.redact(reason.asText().strip()),
                "annotation on " + r.id() + " (" + where + ")", r.id());
    }

    Finding apply(Finding f) {
        if (!rules.contains(f.rule().id())) {
            return f;
        }
        return f.withSuppression(new Suppression(reason, null, source, f.rule().id(), null, null, null, resource));
    }
}
