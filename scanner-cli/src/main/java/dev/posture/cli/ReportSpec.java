package dev.posture.cli;

import java.util.Locale;

/**
 * One {@code -f FORMAT[=PATH]} request: a format and where to write it (null = stdout).
 */
record ReportSpec(String format, String path) {
    static final java.util.List<String> FORMATS = java.util.List.of("table", "json", "sarif", "markdown", "junit",
            "html");

    static ReportSpec parse(String spec) {
        int eq = spec.indexOf('=');
        String fmt = (eq < 0 ? spec : spec.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String path = eq < 0 ? null : spec.substring(eq + 1);
        if (!FORMATS.contains(fmt)) {
            throw new IllegalArgumentException("unknown format '" + fmt + "' (expected table, json, sarif, markdown, junit or html)");
        }
        if (path != null && path.isBlank()) {
            throw new IllegalArgumentException("empty output path in '-f " + spec + "'");
        }
        return new ReportSpec(fmt, path);
    }

    /** The format an output file name suggests, for {@code -o FILE} without {@code -f}. */
    static String formatForFile(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        if (f.endsWith(".sarif") || f.endsWith(".sarif.json")) {
            return "sarif";
        }
        if (f.endsWith(".json")) {
            return "json";
        }
        if (f.endsWith(".md") || f.endsWith(".markdown")) {
            return "markdown";
        }
        if (f.endsWith(".xml")) {
            return "junit";
        }
        if (f.endsWith(".html") || f.endsWith(".htm")) {
            return "html";
        }
        return "table";
    }
}
