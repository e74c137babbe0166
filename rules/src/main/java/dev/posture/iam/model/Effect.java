package dev.posture.iam.model;

/** A statement's effect. */
public enum Effect {
    ALLOW, DENY
}
