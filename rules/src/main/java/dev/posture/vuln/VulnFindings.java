package dev.posture.vuln;

import dev.posture.model.Finding;
import dev.posture.model.Location;
import dev.posture.model.Rule;
import dev.posture.model.Surface;
import dev.posture.model.TargetRef;
import dev.posture.model.Theme;

import java.util.ArrayList;
import java.util.List;

/**
 * Vulnerability matches as findings: one rule per vulnerability (its OSV id, so each carries its own severity, as
 * scanners' SARIF does), control {@value #CONTROL}, theme supply-chain; one finding per (vulnerability, package,
 * file), fingerprinted on the rule, the target, the package and where it was found — a rebuild that keeps the
 * package keeps the finding's identity, an upgrade ends it.
 */
public final class VulnFindings {
    public static final String CONTROL = "vulnerable-package";

    private VulnFindings() {
    }

    /** The check itself, as a rule: what tells "vulnerabilities not scanned" from "matched, none found". */
    public static Rule check(Surface surface) {
        return new Rule(CONTROL, "Packages with known vulnerabilities", dev.posture.model.Severity.INFO, surface,
                Theme.SUPPLY_CHAIN, CONTROL, "Installed OS and application packages matched against an OSV database.",
                "Upgrade the packages to their fixed versions.", List.of("https://osv.dev"));
    }

    public static Rule rule(VulnMatcher.Match m, Surface surface) {
        List<String> refs = new ArrayList<>();
        refs.add("https://osv.dev/vulnerability/" + m.id());
        for (String a : m.aliases()) {
            if (a.startsWith("CVE-")) {
                refs.add("https://nvd.nist.gov/vuln/detail/" + a);
            }
        }
        String title = m.summary() != null ? m.summary() : m.id() + " in " + m.pkg().name();
        String description = m.id() + (m.aliases().isEmpty() ? "" : " (" + String.join(", ", m.aliases()) + ")")
                + (m.severity().score() != null ? "; CVSS " + m.severity().score() + " " + m.severity().vector() : "")
                + (m.severity().basis().equals("unknown") ? "; the record gives no severity (rated medium)" : "");
        return new Rule(m.id(), title, m.severity().severity(), surface, Theme.SUPPLY_CHAIN, CONTROL, description,
                m.fixed() != null ? "Upgrade " + m.pkg().name() + " to " + m.fixed() + " or later."
                        : "No fixed version is known: remove the package or mitigate.", refs);
    }

    public static Finding finding(VulnMatcher.Match m, Surface surface, TargetRef target, String resource,
                                  Location location) {
        VulnMatcher.Package p = m.pkg();
        String where = p.ecosystem() + " " + p.name() + "@" + p.version();
        return Finding.builder(rule(m, surface), target)
                .resource(resource)
                .path(p.location())
                .location(location)
                .logicalLocation(resource + " → " + where + (p.location() == null ? "" : " (" + p.location() + ")"))
                .logicalPath(where + "#" + p.location())
                .message(p.name() + " " + p.version() + " is affected by " + m.id()
                        + (m.aliases().isEmpty() ? "" : " (" + String.join(", ", m.aliases()) + ")")
                        + (m.fixed() != null ? "; fixed in " + m.fixed() : "; no fixed version known"))
                .build();
    }
}
