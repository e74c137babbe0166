package dev.posture.iam.model;

/**
 * A function environment variable. {@code value} is null when it is not a literal (a reference to
 * a parameter, secret or intrinsic), which is never a finding.
 */
public record EnvVar(String name, String value, Origin origin) {
}
