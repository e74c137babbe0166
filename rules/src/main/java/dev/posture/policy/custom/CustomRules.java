package dev.posture.policy.custom;

import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Theme;
import dev.posture.policy.PolicyMetadata;
import dev.posture.policy.PolicyRules;
import dev.posture.policy.RulePackage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@link Rule} of each user policy, per convention. Every custom finding is on the container surface; its
 * control is the METADATA's {@code custom.control} when it names one, else {@value CustomPolicies#CUSTOM_CONTROL}.
 */
public final class CustomRules {
    private CustomRules() {
    }

    /**
     * A native package ({@code posture.kubernetes.<name>}): as a built-in one, but with nothing assumed that could
     * pass for a built-in rule: id {@code custom-<name>} and control {@code custom} when METADATA names none.
     */
    public static Rule nativeRule(RulePackage p, Theme defaultTheme, Consumer<String> warn) {
        PolicyMetadata m = p.metadata();
        String last = p.path().substring(p.path().lastIndexOf('.') + 1).replace('_', '-');
        List<String> assumed = new ArrayList<>();
        String id = m.id();
        if (blank(id)) {
            id = "custom-" + last;
            assumed.add("id " + id);
        }
        String control = blank(m.control()) ? CustomPolicies.CUSTOM_CONTROL : m.control();
        Severity severity = severity(m.severity(), assumed);
        Theme theme = theme(m.theme(), defaultTheme);
        if (!assumed.isEmpty()) {
            warn.accept("policy " + p.path() + " (" + p.module() + "): METADATA incomplete, assumed "
                    + String.join(", ", assumed));
        }
        return new Rule(id, blank(m.title()) ? id : m.title(), severity, Surface.CONTAINER, theme, control,
                m.description(), m.remediation(), m.relatedResources());
    }

    /**
     * The built-in rules plus the user's native packages among {@code packages}: the user's are told by their
     * module ({@code customModules}).
     */
    public static PolicyRules withNative(List<RulePackage> packages, Set<String> customModules, String idPrefix,
                                         Theme defaultTheme, Consumer<String> warn) {
        List<RulePackage> builtin = new ArrayList<>();
        List<RulePackage> mine = new ArrayList<>();
        for (RulePackage p : packages) {
            (customModules.contains(p.module()) ? mine : builtin).add(p);
        }
        PolicyRules rules = PolicyRules.of(builtin, idPrefix, defaultTheme, warn);
        if (mine.isEmpty()) {
            return rules;
        }
        List<RulePackage> kept = new ArrayList<>(rules.packages());
        Map<String, Rule> byPackage = new HashMap<>(rules.byPackage());
        Map<String, Rule> byId = new HashMap<>(rules.byId());
        for (RulePackage p : mine) {
            if (!p.defines("deny")) {
                continue;
            }
            Rule r = nativeRule(p, defaultTheme, warn);
            byPackage.put(p.path(), r);
            byId.putIfAbsent(r.id(), r);
            kept.add(p);
        }
        return new PolicyRules(List.copyOf(kept), byPackage, byId);
    }

    /**
     * A Trivy check: id {@code custom.id} (else {@code custom.avd_id}, else the package), severity
     * {@code custom.severity} (Trivy's upper case; UNKNOWN or missing: medium), title, description,
     * {@code custom.recommended_action} as remediation, {@code related_resources} as references.
     */
    public static Rule trivyRule(RulePackage p, Theme defaultTheme, Consumer<String> warn) {
        PolicyMetadata m = p.metadata();
        String id = !blank(m.id()) ? m.id() : !blank(m.custom("avd_id")) ? m.custom("avd_id") : p.path();
        List<String> assumed = new ArrayList<>();
        Severity severity = severity(m.severity(), assumed);
        if (!assumed.isEmpty()) {
            warn.accept("Trivy check " + p.path() + " (" + p.module() + "): no known custom.severity, assumed medium");
        }
        String control = blank(m.control()) ? CustomPolicies.CUSTOM_CONTROL : m.control();
        return new Rule(id, blank(m.title()) ? id : m.title(), severity, Surface.CONTAINER,
                theme(m.theme(), defaultTheme), control, m.description(),
                blank(m.remediation()) ? m.custom("recommended_action") : m.remediation(), m.relatedResources());
    }

    /**
     * A conftest rule document ({@code deny}, {@code deny_no_root}, {@code violation_x}, {@code warn_y}) of a
     * namespace: id {@code conftest/<namespace>/<document>}; deny and violation are high (conftest fails on them:
     * {@code --fail-on high} fails likewise), warn is low.
     */
    public static Rule conftestRule(RulePackage p, String document, Theme defaultTheme) {
        PolicyMetadata m = p.metadata();
        String id = "conftest/" + p.path() + "/" + document;
        Severity severity = document.startsWith("warn") ? Severity.LOW : Severity.HIGH;
        String control = blank(m.control()) ? CustomPolicies.CUSTOM_CONTROL : m.control();
        return new Rule(id, "conftest " + p.path() + "." + document, severity, Surface.CONTAINER,
                theme(m.theme(), defaultTheme), control, m.description(), m.remediation(), m.relatedResources());
    }

    /** A Gatekeeper constraint: severity from its enforcementAction, title and description from its template. */
    public static Rule gatekeeperRule(Gatekeeper.Constraint c, Gatekeeper.Template t) {
        String title = (t.title() != null ? t.title() : t.kind()) + " (constraint " + c.name() + ")";
        return new Rule(c.ruleId(), title, c.severity(), Surface.CONTAINER, Theme.CLUSTER,
                CustomPolicies.CUSTOM_CONTROL, t.description(), null, List.of());
    }

    /**
     * A user's result without a field path (a conftest string, a Gatekeeper violation, a Trivy result with no
     * line) is told apart from the rule's other results on the same resource by its message only: the message
     * goes into its fingerprint, so two messages are two findings (the triage keeps one finding per fingerprint).
     * With a field path the path tells them apart, as for built-in findings.
     */
    public static dev.posture.model.Finding distinct(dev.posture.model.Finding f) {
        if (f.logicalPath() != null && !f.logicalPath().isEmpty()) {
            return f;
        }
        String fp = dev.posture.model.Fingerprints.of(f.rule().id(), f.target(), f.resource(), f.container(), f.path(),
                "msg:" + f.message());
        return new dev.posture.model.Finding(f.rule(), f.target(), f.resource(), f.container(), f.path(), f.location(),
                f.logicalLocation(), f.logicalPath(), f.message(), f.evidence(), fp, f.suppression(), f.baselineState());
    }

    private static Severity severity(String s, List<String> assumed) {
        try {
            return Severity.parse(s == null ? "" : s);
        } catch (IllegalArgumentException e) {
            assumed.add("severity medium");
            return Severity.MEDIUM;
        }
    }

    private static Theme theme(String s, Theme fallback) {
        try {
            return Theme.parse(s == null ? "" : s);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
