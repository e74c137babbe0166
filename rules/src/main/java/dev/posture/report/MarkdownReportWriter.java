package dev.posture.report;

import dev.posture.model.Finding;
import dev.posture.model.Location;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.model.Theme;
import dev.posture.scan.ScanResult;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * GitHub-flavoured Markdown for pull-request comments and {@code $GITHUB_STEP_SUMMARY}: the side-by-side
 * posture summary, the top risks, failed targets and the findings grouped by severity (at most
 * {@link #MAX_FINDINGS} rows, then "… and N more").
 *
 * <p>Every value that comes from scanned input (names, messages, resources, paths) is hostile: it goes
 * through {@link #escape}, so it cannot close a table cell, open a code span, inject HTML, mention a user
 * or start a new line.
 */
public final class MarkdownReportWriter implements ReportWriter {

    /** Finding rows listed in total (the rest are counted). */
    public static final int MAX_FINDINGS = 50;

    @Override
    public void write(ScanResult result, OutputStream out) throws IOException {
        PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
        render(result, w);
        w.flush();
        if (w.checkError()) {
            throw new IOException("writing the markdown report failed");
        }
    }

    private static void render(ScanResult result, PrintWriter w) {
        Posture p = Posture.of(result);
        ReportSummary summary = ReportSummary.of(result);
        w.print("## posture: serverless vs containers\n\n");
        w.print("**" + summary.targets() + (summary.targets() == 1 ? " target" : " targets") + "**: "
                + summary.targets(TargetStatus.SCANNED) + " scanned, " + summary.targets(TargetStatus.FAILED) + " failed"
                + (summary.targets(TargetStatus.SKIPPED) > 0 ? ", " + summary.targets(TargetStatus.SKIPPED) + " skipped" : "")
                + " · **" + summary.total() + (summary.total() == 1 ? " finding" : " findings") + "**"
                + (summary.suppressed() > 0 ? " (" + summary.suppressed() + " suppressed)" : "")
                + (result.incomplete() ? " · ⚠️ the scan is incomplete" : "") + "\n\n");

        Posture.SurfacePosture sl = p.surface(Surface.SERVERLESS);
        Posture.SurfacePosture ct = p.surface(Surface.CONTAINER);
        w.print("| theme | serverless | who secures it | container | who secures it |\n");
        w.print("|---|---|---|---|---|\n");
        for (Theme theme : Theme.values()) {
            w.print("| " + theme.id() + " | " + cell(sl.theme(theme)) + " | " + owner(sl.theme(theme)) + " | "
                    + cell(ct.theme(theme)) + " | " + owner(ct.theme(theme)) + " |\n");
        }
        w.print("| **score** | **" + score(sl) + "** | | **" + score(ct) + "** | |\n\n");
        w.print("C critical, H high, M medium, L low, I info. Score per surface: 100 − min(100, 10·C + 5·H + 2·M + 0.5·L)"
                + " over unsuppressed findings. Supply chain: " + ct.theme(Theme.SUPPLY_CHAIN).notes().get(0) + ".\n\n");

        if (!p.topRisks().isEmpty()) {
            w.print("### Top risks\n\n");
            int i = 1;
            for (Finding f : p.topRisks()) {
                w.print(i++ + ". **" + f.rule().severity().id().toUpperCase(java.util.Locale.ROOT) + "** "
                        + escape(f.rule().id()) + " (" + f.rule().surface().id() + ", " + f.rule().theme().id() + "): "
                        + escape(f.message()) + " — " + escape(place(f)) + "\n");
            }
            w.print('\n');
        }

        List<Target> failed = result.targets().stream().filter(t -> t.status() == TargetStatus.FAILED).toList();
        if (!failed.isEmpty()) {
            w.print("### Failed targets\n\n");
            for (Target t : failed) {
                w.print("- " + t.type().id() + " " + escape(t.name()) + ": " + escape(t.error()) + "\n");
            }
            w.print('\n');
        }

        List<Finding> open = result.findings().stream().filter(f -> !f.suppressed()).toList();
        if (!open.isEmpty()) {
            w.print("### Findings\n\n");
            int shown = 0;
            for (Severity sev : Severity.values()) {
                List<Finding> of = open.stream().filter(f -> f.rule().severity() == sev).toList();
                if (of.isEmpty()) {
                    continue;
                }
                int room = MAX_FINDINGS - shown;
                if (room <= 0) {
                    w.print("**" + capital(sev) + "** (" + of.size() + "): … and " + of.size() + " more\n\n");
                    continue;
                }
                w.print("**" + capital(sev) + "** (" + of.size() + ")\n\n");
                w.print("| rule | target | resource | location | message |\n");
                w.print("|---|---|---|---|---|\n");
                List<Finding> rows = of.subList(0, Math.min(room, of.size()));
                for (Finding f : rows) {
                    w.print("| " + escape(f.rule().id()) + " | " + escape(f.target().name()) + " | "
                            + escape(resource(f)) + " | " + escape(location(f)) + " | " + escape(f.message()) + " |\n");
                }
                shown += rows.size();
                if (rows.size() < of.size()) {
                    w.print("\n… and " + (of.size() - rows.size()) + " more\n");
                }
                w.print('\n');
            }
        } else {
            w.print("No unsuppressed findings.\n\n");
        }
        w.print("<sub>posture " + escape(result.toolVersion()) + " · JSON, SARIF and table reports hold every detail"
                + "</sub>\n");
    }

    private static String cell(Posture.ThemePosture t) {
        return switch (t.status()) {
            case NOT_SCANNED -> "_not scanned_";
            case CLEAN -> "clean";
            case FINDINGS -> t.counts().compact();
        };
    }

    private static String owner(Posture.ThemePosture t) {
        return t.responsibility().owner().id();
    }

    private static String score(Posture.SurfacePosture s) {
        return s.scanned() ? Posture.scoreText(s.score()) + "/100" : "not scanned";
    }

    private static String capital(Severity s) {
        return Character.toUpperCase(s.id().charAt(0)) + s.id().substring(1);
    }

    private static String place(Finding f) {
        String r = resource(f);
        return f.target().name() + (r.isEmpty() ? "" : " " + r);
    }

    private static String resource(Finding f) {
        List<String> parts = new ArrayList<>();
        if (f.resource() != null && !f.resource().equals(f.target().name())) {
            parts.add(f.resource());
        }
        if (f.container() != null) {
            parts.add("[" + f.container() + "]");
        }
        return String.join(" ", parts);
    }

    private static String location(Finding f) {
        if (f.path() != null) {
            return f.path(); // a file inside an image says more than the archive it came from
        }
        Location l = f.location();
        if (l != null && l.file() != null) {
            return l.line() > 0 ? l.file() + ":" + l.line() : l.file();
        }
        return "";
    }

    /**
     * Text from input made inert in GitHub-flavoured Markdown, in a table cell or a list item: control
     * characters as {@code \\uXXXX} (newlines cannot end the cell or the line), {@code &}, {@code <},
     * {@code >} and {@code @} as HTML character references (no HTML, no mentions), and every Markdown
     * punctuation character ({@code \\ ` * _ [ ] ( ) # ! | ~ { }}) backslash-escaped (no code spans,
     * links, emphasis or cell breaks).
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        String t = TerminalText.escape(s);
        StringBuilder b = new StringBuilder(t.length() + 16);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '@' -> b.append("&#64;");
                case '\\', '`', '*', '_', '[', ']', '(', ')', '#', '!', '|', '~', '{', '}' ->
                        b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
