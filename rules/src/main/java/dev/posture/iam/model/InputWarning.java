package dev.posture.iam.model;

/** A part of the input that was skipped, and why. */
public record InputWarning(String message, Origin origin) {
}
