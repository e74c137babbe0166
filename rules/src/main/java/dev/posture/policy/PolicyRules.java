package dev.posture.policy;

import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Theme;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The rule of each policy package, from its METADATA ({@code custom.id}, {@code control}, {@code severity},
 * {@code theme}; {@code title}, {@code description}, {@code related_resources}, {@code custom.remediation}). A
 * package with incomplete METADATA still runs — a check is never dropped for a typo — with a warning naming what
 * was assumed.
 */
public record PolicyRules(List<RulePackage> packages, Map<String, Rule> byPackage, Map<String, Rule> byId) {

    public Rule rule(RulePackage p) {
        return byPackage.get(p.path());
    }

    /**
     * @param idPrefix     prefix of an assumed rule id ("k8s-", "img-")
     * @param defaultTheme theme assumed when METADATA names none or an unknown one
     */
    public static PolicyRules of(List<RulePackage> packages, String idPrefix, Theme defaultTheme,
                                 Consumer<String> warn) {
        Map<String, Rule> byPackage = new HashMap<>();
        Map<String, Rule> byId = new HashMap<>();
        List<RulePackage> kept = new ArrayList<>();
        for (RulePackage p : packages) {
            if (!p.defines("deny")) {
                continue; // warn-only packages are not rules of the scan
            }
            PolicyMetadata m = p.metadata();
            String last = p.path().substring(p.path().lastIndexOf('.') + 1);
            List<String> assumed = new ArrayList<>();
            String control = m.control();
            if (blank(control)) {
                control = last.replace('_', '-');
                assumed.add("control " + control);
            }
            String id = m.id();
            if (blank(id)) {
                id = idPrefix + control;
                assumed.add("id " + id);
            }
            Severity severity;
            try {
                severity = Severity.parse(m.severity() == null ? "" : m.severity());
            } catch (IllegalArgumentException e) {
                severity = Severity.MEDIUM;
                assumed.add("severity medium");
            }
            Theme theme;
            try {
                theme = Theme.parse(m.theme() == null ? "" : m.theme());
            } catch (IllegalArgumentException e) {
                theme = defaultTheme;
                assumed.add("theme " + defaultTheme.id());
            }
            String title = blank(m.title()) ? id : m.title();
            if (!assumed.isEmpty()) {
                warn.accept("policy " + p.path() + " (" + p.module() + "): METADATA incomplete, assumed "
                        + String.join(", ", assumed));
            }
            Rule r = new Rule(id, title, severity, Surface.CONTAINER, theme, control, m.description(),
                    m.remediation(), m.relatedResources());
            if (byId.containsKey(id)) {
                warn.accept("policy " + p.path() + " (" + p.module() + "): rule id " + id + " is used by another"
                        + " package too");
            }
            byId.putIfAbsent(id, r);
            byPackage.put(p.path(), r);
            kept.add(p);
        }
        return new PolicyRules(List.copyOf(kept), byPackage, byId);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
