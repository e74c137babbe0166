package dev.posture.cli;

/** The process exit codes; documented in the README. */
public final class ExitCodes {
    /** The scan completed and nothing is at or above the --fail-on threshold. */
    public static final int OK = 0;
    /** Findings at or above the threshold. */
    public static final int FINDINGS = 1;
    /** Bad command line or configuration (ignore file, baseline). */
    public static final int USAGE = 2;
    /**
     * The scan was incomplete: a target failed. Wins over {@link #FINDINGS}. For {@code posture sbom}: the image
     * could not be read, or the SBOM could not be written.
     */
    public static final int INCOMPLETE = 3;

    private ExitCodes() {
    }
}
