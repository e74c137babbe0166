package dev.posture.rego;

/** Rego syntax version of a module: V1 (default), V0 (legacy, OPA's --v0-compatible), AUTO (v1, falling back to v0). */
public enum RegoVersion {
    V0, V1, AUTO
}
