package dev.posture.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The output formats, by their command-line name. */
public enum ReportFormat {
    TABLE("table", "txt"),
    JSON("json", "json"),
    SARIF("sarif", "sarif"),
    MARKDOWN("markdown", "md"),
    JUNIT("junit", "xml"),
    HTML("html", "html");

    private final String id;
    private final String fileExtension;

    ReportFormat(String id, String fileExtension) {
        this.id = id;
        this.fileExtension = fileExtension;
    }

    /** The name used on the command line: {@code table}, {@code json}, {@code sarif}, {@code markdown}, {@code junit}, {@code html}. */
    public String id() {
        return id;
    }

    /** The usual file extension, without the dot. */
    public String fileExtension() {
        return fileExtension;
    }

    /** A writer for this format with default options. */
    public ReportWriter writer() {
        return writer(ReportOptions.defaults());
    }

    /** A writer for this format; {@code options} only matter for {@link #TABLE}. */
    public ReportWriter writer(ReportOptions options) {
        return switch (this) {
            case TABLE -> new TableReportWriter(options);
            case JSON -> new JsonReportWriter();
            case SARIF -> new SarifReportWriter();
            case MARKDOWN -> new MarkdownReportWriter();
            case JUNIT -> new JunitReportWriter();
            case HTML -> new HtmlReportWriter();
        };
    }

    /** Parses a format name, case-insensitively. */
    public static ReportFormat parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (ReportFormat f : values()) {
            if (f.id.equals(k)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown report format '" + s + "' (expected "
                + Arrays.stream(values()).map(ReportFormat::id).collect(Collectors.joining(", ")) + ")");
    }
}
