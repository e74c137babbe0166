package dev.posture.model;

import java.util.List;
import java.util.Objects;

/**
 * Stable metadata of one check. {@code control} is a slug from the shared control vocabulary
 * (CONTROLS.md); several rules may share one.
 */
public record Rule(
        String id,
        String title,
        Severity severity,
        Surface surface,
        Theme theme,
        String control,
        String description,
        String remediation,
        List<String> references) {

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(surface, "surface");
        Objects.requireNonNull(theme, "theme");
        Objects.requireNonNull(control, "control");
        description = description == null ? "" : description;
        remediation = remediation == null ? "" : remediation;
        references = references == null ? List.of() : List.copyOf(references);
    }

    /** The documentation link for this rule (first reference, if any). */
    public String helpUri() {
        return references.isEmpty() ? null : references.get(0);
    }
}
