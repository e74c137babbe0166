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

    /**
     * The reports a command writes, from its {@code -f FORMAT[=PATH]} list and {@code -o FILE}: {@code -o} takes one
     * format (else the file's extension picks it); nothing given means table on a terminal, json otherwise; at most
     * one report goes to stdout.
     *
     * @throws IllegalArgumentException with the usage message
     */
    static java.util.List<ReportSpec> resolve(java.util.List<String> formats, String output, boolean stdoutTty) {
        java.util.List<ReportSpec> specs = new java.util.ArrayList<>();
        for (String f : formats) {
            try {
                specs.add(parse(f));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-f: " + e.getMessage());
            }
        }
        if (output != null) {
            if (specs.size() > 1) {
                throw new IllegalArgumentException("-o FILE takes a single format; use -f FORMAT=PATH for several");
            }
            if (!specs.isEmpty() && specs.get(0).path() != null) {
                throw new IllegalArgumentException("give the output path either with -f FORMAT=PATH or with -o, not both");
            }
            specs = java.util.List.of(new ReportSpec(specs.isEmpty() ? formatForFile(output) : specs.get(0).format(),
                    output));
        }
        if (specs.isEmpty()) {
            specs = java.util.List.of(new ReportSpec(stdoutTty ? "table" : "json", null));
        }
        if (specs.stream().filter(s -> s.path() == null).count() > 1) {
            throw new IllegalArgumentException("only one format can go to stdout; give the others a path (-f FORMAT=PATH)");
        }
        return specs;
    }
}
