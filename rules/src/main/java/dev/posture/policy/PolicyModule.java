package dev.posture.policy;

import java.util.Objects;

/**
 * One Rego module handed to a {@link PolicyEngine}.
 *
 * @param name   where it comes from (a file or resource path), used in errors and locations
 * @param source its Rego text
 */
public record PolicyModule(String name, String source) {
    public PolicyModule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }
}
