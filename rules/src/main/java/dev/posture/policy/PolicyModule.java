package dev.posture.policy;

import java.util.Objects;

/**
 * One Rego module handed to a {@link PolicyEngine}.
 *
 * @param name   where it comes from (a file or resource path), used in errors and locations
 * @param source its Rego text
 * @param v0     true for Rego v0 syntax (Gatekeeper ConstraintTemplates' Rego, {@code deny[msg] { … }}); false for
 *               Rego v1, OPA 1.x's default (a v0 module may still {@code import rego.v1})
 */
public record PolicyModule(String name, String source, boolean v0) {
    public PolicyModule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }

    /** A Rego v1 module. */
    public PolicyModule(String name, String source) {
        this(name, source, false);
    }
}
