package dev.posture.report;

/**
 * Presentation options. Only the table format uses them; JSON and SARIF output never depends on
 * them.
 *
 * @param useColor ANSI colours in the table (the caller decides from {@code NO_COLOR} and whether
 *                 stdout is a terminal)
 * @param verbose  show suppressed findings in the table instead of only counting them
 * @param width    terminal width for wrapping long messages; 0 disables wrapping
 */
public record ReportOptions(boolean useColor, boolean verbose, int width) {

    public static final int DEFAULT_WIDTH = 100;

    public ReportOptions {
        if (width < 0) {
            throw new IllegalArgumentException("width must be >= 0");
        }
    }

    /** No colour, suppressed findings hidden, wrapped at 100 columns. */
    public static ReportOptions defaults() {
        return new ReportOptions(false, false, DEFAULT_WIDTH);
    }

    public ReportOptions withColor(boolean c) {
        return new ReportOptions(c, verbose, width);
    }

    public ReportOptions withVerbose(boolean v) {
        return new ReportOptions(useColor, v, width);
    }

    public ReportOptions withWidth(int w) {
        return new ReportOptions(useColor, verbose, w);
    }
}
