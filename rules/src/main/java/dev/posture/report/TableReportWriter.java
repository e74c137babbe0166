package dev.posture.report;

import dev.posture.model.BaselineState;
import dev.posture.model.Finding;
import dev.posture.model.Location;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Target;
import dev.posture.model.TargetRef;
import dev.posture.model.TargetStatus;
import dev.posture.scan.ScanResult;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The console report: findings grouped by target, one aligned line per finding, then a summary
 * per surface × severity. Suppressed findings are only counted unless verbose. Colour is decided
 * by the caller ({@code NO_COLOR}, TTY) and passed in {@link ReportOptions#useColor()}.
 */
public final class TableReportWriter implements ReportWriter {

    static final String RESET = "\u001b[0m";
    static final String BOLD = "\u001b[1m";
    static final String DIM = "\u001b[2m";
    static final String RED = "\u001b[31m";
    static final String GREEN = "\u001b[32m";
    static final String YELLOW = "\u001b[33m";
    static final String BLUE = "\u001b[34m";
    static final String CYAN = "\u001b[36m";
    static final String GREY = "\u001b[90m";
    static final String BRIGHT_RED_BOLD = "\u001b[1;91m";

    private static final int RULE_MAX = 28;
    private static final int RESOURCE_MAX = 32;
    private static final int LOCATION_MAX = 36;
    private static final int BADGE = 8;
    private static final int INDENT = 2;
    private static final int MIN_MESSAGE = 30;
    private static final int MIN_COLUMN = 10;

    private final ReportOptions options;

    public TableReportWriter(ReportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public TableReportWriter(boolean useColor) {
        this(ReportOptions.defaults().withColor(useColor));
    }

    @Override
    public void write(ScanResult result, OutputStream out) throws IOException {
        PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
        render(result, w);
        w.flush();
        if (w.checkError()) {
            throw new IOException("writing the table report failed");
        }
    }

    private void render(ScanResult result, PrintWriter w) {
        // group findings by target, in target order; findings of unlisted targets are kept too
        Map<TargetRef, List<Finding>> byTarget = new LinkedHashMap<>();
        Map<TargetRef, Target> targets = new LinkedHashMap<>();
        for (Target t : result.targets()) {
            targets.putIfAbsent(t.ref(), t);
            byTarget.putIfAbsent(t.ref(), new ArrayList<>());
        }
        for (Finding f : result.findings()) {
            byTarget.computeIfAbsent(f.target(), k -> new ArrayList<>()).add(f);
        }

        Columns cols = columns(result.findings(), result.baseDir());
        boolean first = true;
        for (Map.Entry<TargetRef, List<Finding>> e : byTarget.entrySet()) {
            if (!first) {
                w.print('\n');
            }
            first = false;
            renderTarget(w, e.getKey(), targets.get(e.getKey()), e.getValue(), cols, result.baseDir());
        }

        if (!result.warnings().isEmpty()) {
            w.print('\n');
            for (String warning : result.warnings()) {
                w.print(paint(YELLOW, "warning: ") + TerminalText.escape(warning) + "\n");
            }
        }

        ReportSummary summary = ReportSummary.of(result);
        w.print('\n');
        renderSummary(w, summary);
        if (summary.suppressed() > 0) {
            w.print(summary.suppressed() + " suppressed" + (options.verbose() ? "" : " (hidden)") + "\n");
        }
        int failed = summary.targets(TargetStatus.FAILED);
        int skipped = summary.targets(TargetStatus.SKIPPED);
        int scanned = summary.targets(TargetStatus.SCANNED);
        String line = summary.targets() + (summary.targets() == 1 ? " target: " : " targets: ") + scanned + " scanned, "
                + (failed > 0 ? paint(RED, failed + " failed") : "0 failed")
                + (skipped > 0 ? ", " + skipped + " skipped" : "");
        w.print(line + "\n");
        if (!result.unrecognised().isEmpty()) {
            int n = result.unrecognised().size();
            w.print(n + (n == 1 ? " file" : " files") + " not recognised as an input"
                    + (options.verbose() ? ":" : " (-v lists them)") + "\n");
            if (options.verbose()) {
                for (dev.posture.model.Unrecognised u : result.unrecognised()) {
                    w.print("  " + TerminalText.escape(u.path()) + paint(GREY, ": " + TerminalText.escape(u.reason())) + "\n");
                }
            }
        }
        w.print('\n');
        renderPosture(w, Posture.of(result));
    }

    /**
     * The side-by-side summary: a row per theme with each surface's counts (or "clean", "not scanned") and who
     * secures the theme in that model, then the scores. About 80 columns; nothing in it comes from input.
     */
    private void renderPosture(PrintWriter w, Posture p) {
        Posture.SurfacePosture sl = p.surface(Surface.SERVERLESS);
        Posture.SurfacePosture ct = p.surface(Surface.CONTAINER);
        int themeW = "supply-chain".length();
        int countW = "not scanned".length();
        for (Posture.SurfacePosture s : p.surfaces()) {
            for (Posture.ThemePosture t : s.themes()) {
                countW = Math.max(countW, Posture.themeText(t).length());
            }
        }
        int ownerW = "provider".length();
        int surfaceW = countW + 2 + ownerW;
        w.print(paint(BOLD, pad("posture", themeW) + "  " + pad("serverless", surfaceW) + "    " + "container") + "\n");
        w.print(paint(GREY, pad("theme", themeW) + "  " + pad("findings", countW) + "  " + pad("owner", ownerW) + "    "
                + pad("findings", countW) + "  owner") + "\n");
        for (dev.posture.model.Theme theme : dev.posture.model.Theme.values()) {
            w.print(pad(theme.id(), themeW) + "  " + cell(sl.theme(theme), countW, ownerW) + "    "
                    + cell(ct.theme(theme), countW, ownerW).stripTrailing() + "\n");
        }
        w.print(paint(BOLD, pad("score", themeW) + "  " + pad(scoreCell(sl), surfaceW) + "    " + scoreCell(ct)) + "\n");
        boolean matched = ct.theme(dev.posture.model.Theme.SUPPLY_CHAIN).notes().contains(Posture.VULNERABILITIES_MATCHED);
        w.print(paint(GREY, "C critical, H high, M medium, L low, I info; supply-chain: vulnerabilities "
                + (matched ? "matched (--vuln-db)" : "not scanned")) + "\n");
        w.print(paint(GREY, "score = 100 - min(100, 10C + 5H + 2M + 0.5L) per surface, from the counts above") + "\n");
    }

    private String cell(Posture.ThemePosture t, int countW, int ownerW) {
        String text = pad(Posture.themeText(t), countW);
        String painted = switch (t.status()) {
            case NOT_SCANNED -> paint(GREY, text);
            case CLEAN -> paint(GREEN, text);
            case FINDINGS -> paint(severityColour(worst(t.counts())), text);
        };
        return painted + "  " + pad(t.responsibility().owner().id(), ownerW);
    }

    private static Severity worst(Posture.Counts c) {
        for (Severity s : Severity.values()) {
            if (c.get(s) > 0) {
                return s;
            }
        }
        return Severity.INFO;
    }

    private static String scoreCell(Posture.SurfacePosture s) {
        return s.scanned() ? Posture.scoreText(s.score()) + "/100" : "not scanned";
    }

    private void renderTarget(PrintWriter w, TargetRef ref, Target target, List<Finding> findings, Columns cols,
                              String baseDir) {
        StringBuilder head = new StringBuilder();
        head.append(paint(BOLD, ref.type().id() + " " + TerminalText.escape(ref.name())));
        if (target != null && target.source() != null && !target.source().equals(ref.name())
                && !ArtifactUris.forFile(target.source(), baseDir).equals(ArtifactUris.forFile(ref.name(), baseDir))) {
            head.append(paint(GREY, " (" + TerminalText.escape(target.source()) + ")"));
        }
        TargetStatus status = target == null ? null : target.status();
        if (status != null) {
            String colour = switch (status) {
                case SCANNED -> GREEN;
                case FAILED -> RED;
                case SKIPPED -> YELLOW;
            };
            head.append("  ").append(paint(colour, status.id()));
        }
        long visible = findings.stream().filter(f -> options.verbose() || !f.suppressed()).count();
        long hidden = options.verbose() ? 0 : findings.stream().filter(Finding::suppressed).count();
        if (visible == 0 && hidden == 0 && status == TargetStatus.SCANNED) {
            head.append(paint(GREY, ", no findings"));
        }
        w.print(head + "\n");
        if (target != null && target.error() != null) {
            w.print(" ".repeat(INDENT) + paint(RED, "error: " + TerminalText.escape(target.error())) + "\n");
        }
        for (Finding f : findings) {
            if (f.suppressed() && !options.verbose()) {
                continue;
            }
            renderFinding(w, f, cols, baseDir);
        }
        if (hidden > 0) {
            w.print(" ".repeat(INDENT) + paint(GREY, hidden + " suppressed") + "\n");
        }
    }

    private void renderFinding(PrintWriter w, Finding f, Columns cols, String baseDir) {
        Severity sev = f.rule().severity();
        StringBuilder b = new StringBuilder(" ".repeat(INDENT));
        b.append(paint(severityColour(sev), pad(sev.name(), BADGE))).append("  ");
        b.append(pad(truncateEnd(TerminalText.escape(f.rule().id()), cols.rule), cols.rule)).append("  ");
        b.append(pad(truncateEnd(TerminalText.escape(resource(f)), cols.resource), cols.resource)).append("  ");
        b.append(pad(truncateStart(TerminalText.escape(location(f, baseDir)), cols.location), cols.location)).append("  ");
        int messageColumn = INDENT + BADGE + 2 + cols.rule + 2 + cols.resource + 2 + cols.location + 2;

        String message = TerminalText.escape(f.message());
        String suffix = "";
        if (f.baselineState() == BaselineState.NEW) {
            suffix += " " + paint(CYAN, "[new]");
        } else if (f.baselineState() == BaselineState.ABSENT) {
            suffix += " " + paint(GREY, "[fixed]");
        }
        if (f.suppressed()) {
            String reason = TerminalText.escape(f.suppression().reason());
            suffix += " " + paint(GREY, "[suppressed" + (reason == null || reason.isBlank() ? "" : ": " + reason) + "]");
        }

        int width = options.width();
        if (width <= 0 || messageColumn + message.length() <= width) {
            w.print(b + message + suffix + "\n");
            return;
        }
        // A long message goes under the row, at full width: a narrow wrapped column is hard to read.
        int indent = INDENT + BADGE + 2;
        w.print(stripTrailing(b.toString()) + "\n");
        List<String> lines = wrap(message, Math.max(MIN_MESSAGE, width - indent));
        for (int i = 0; i < lines.size(); i++) {
            w.print(" ".repeat(indent) + lines.get(i) + (i == lines.size() - 1 ? suffix : "") + "\n");
        }
    }

    private void renderSummary(PrintWriter w, ReportSummary s) {
        String[] head = new String[Severity.values().length + 2];
        head[0] = "";
        for (Severity sev : Severity.values()) {
            head[sev.ordinal() + 1] = sev.id();
        }
        head[head.length - 1] = "total";
        int first = "serverless".length();
        for (Surface sur : Surface.values()) {
            first = Math.max(first, sur.id().length());
        }
        int[] widths = new int[head.length];
        widths[0] = first;
        for (int i = 1; i < head.length; i++) {
            widths[i] = Math.max(head[i].length(), 5);
        }
        StringBuilder h = new StringBuilder(paint(BOLD, pad("summary", widths[0])));
        for (int i = 1; i < head.length; i++) {
            h.append("  ").append(paint(BOLD, padLeft(head[i], widths[i])));
        }
        w.print(h + "\n");
        for (Surface sur : Surface.values()) {
            StringBuilder r = new StringBuilder(pad(sur.id(), widths[0]));
            for (Severity sev : Severity.values()) {
                int n = s.count(sur, sev);
                r.append("  ").append(count(n, sev, widths[sev.ordinal() + 1]));
            }
            r.append("  ").append(padLeft(String.valueOf(s.total(sur)), widths[widths.length - 1]));
            w.print(r + "\n");
        }
        StringBuilder t = new StringBuilder(paint(BOLD, pad("total", widths[0])));
        for (Severity sev : Severity.values()) {
            t.append("  ").append(count(s.total(sev), sev, widths[sev.ordinal() + 1]));
        }
        t.append("  ").append(paint(BOLD, padLeft(String.valueOf(s.total()), widths[widths.length - 1])));
        w.print(t + "\n");
    }

    private String count(int n, Severity sev, int width) {
        String text = padLeft(String.valueOf(n), width);
        return n == 0 ? paint(GREY, text) : paint(severityColour(sev), text);
    }

    static String severityColour(Severity s) {
        return switch (s) {
            case CRITICAL -> BRIGHT_RED_BOLD;
            case HIGH -> RED;
            case MEDIUM -> YELLOW;
            case LOW -> BLUE;
            case INFO -> GREY;
        };
    }

    private String paint(String code, String text) {
        return options.useColor() ? code + text + RESET : text;
    }

    /** The resource, unless it only repeats the target name from the heading; plus {@code [container]}. */
    private static String resource(Finding f) {
        String r = f.resource() == null || f.resource().isBlank() || f.resource().equals(f.target().name())
                ? "" : f.resource();
        if (f.container() != null && !f.container().isBlank()) {
            r = r + "[" + f.container() + "]";
        }
        return r.isEmpty() ? "-" : r;
    }

    /**
     * {@code file:line}; just {@code line N} when the file is the target named in the heading (the path
     * inside an image archive when there is no line); the path inside an image when there is no file; else
     * {@code -}. Absolute paths under the
     * base directory are shown relative to it.
     */
    private static String location(Finding f, String baseDir) {
        Location l = f.location();
        if (l != null && l.file() != null && !l.file().isBlank()) {
            ArtifactUris.ArtifactUri uri = ArtifactUris.forFile(l.file(), baseDir);
            boolean sameAsTarget = uri.equals(ArtifactUris.forFile(f.target().name(), baseDir));
            if (sameAsTarget) {
                return l.hasLine() ? "line " + l.line() : f.path() != null && !f.path().isBlank() ? f.path() : "-";
            }
            String file = l.file();
            if (uri.uriBaseId() != null && ArtifactUris.isAbsolute(file.replace('\\', '/'))) {
                file = URI.create(uri.uri()).getPath();
            }
            return l.hasLine() ? file + ":" + l.line() : file;
        }
        if (f.path() != null && !f.path().isBlank()) {
            return f.path();
        }
        return "-";
    }

    /** Column widths: the longest value, capped, so the message column lines up for every finding. */
    private Columns columns(List<Finding> findings, String baseDir) {
        int rule = 4;
        int resource = 1;
        int location = 1;
        for (Finding f : findings) {
            if (f.suppressed() && !options.verbose()) {
                continue;
            }
            rule = Math.max(rule, f.rule().id().length());
            resource = Math.max(resource, resource(f).length());
            location = Math.max(location, location(f, baseDir).length());
        }
        rule = Math.min(rule, RULE_MAX);
        resource = Math.min(resource, RESOURCE_MAX);
        location = Math.min(location, LOCATION_MAX);
        if (options.width() > 0) {
            // narrow terminal: shrink the widest column until the columns fit (the message may
            // then go on its own line)
            int budget = options.width() - (INDENT + BADGE + 2 + 2 + 2);
            while (rule + resource + location > budget) {
                if (resource >= location && resource > MIN_COLUMN) {
                    resource--;
                } else if (location > MIN_COLUMN) {
                    location--;
                } else if (rule > MIN_COLUMN) {
                    rule--;
                } else {
                    break;
                }
            }
        }
        return new Columns(rule, resource, location);
    }

    private record Columns(int rule, int resource, int location) {
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    static String truncateEnd(String s, int width) {
        return s.length() <= width ? s : s.substring(0, Math.max(0, width - 1)) + "…";
    }

    static String truncateStart(String s, int width) {
        return s.length() <= width ? s : "…" + s.substring(s.length() - (width - 1));
    }

    private static String stripTrailing(String s) {
        return s.replaceAll("\\s+$", "");
    }

    /** Greedy word wrap; words longer than the width are cut. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        for (String para : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : para.split(" ")) {
                while (word.length() > width) {
                    if (line.length() > 0) {
                        lines.add(line.toString());
                        line.setLength(0);
                    }
                    lines.add(word.substring(0, width));
                    word = word.substring(width);
                }
                if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(word);
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
