package dev.posture.model;

import java.util.Objects;

/** The identity of a target as findings carry it. */
public record TargetRef(TargetType type, String name) {
    public TargetRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }
}
