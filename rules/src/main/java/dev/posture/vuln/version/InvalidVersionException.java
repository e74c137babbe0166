package dev.posture.vuln.version;

/** A version string the ecosystem's grammar rejects; the message names the version and why. */
public final class InvalidVersionException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidVersionException(String scheme, String version, String why) {
        super(scheme + " version '" + version + "': " + why);
    }
}
