package dev.posture.cli;

import dev.posture.report.ReportFormat;
import dev.posture.report.ReportOptions;
import dev.posture.scan.ScanResult;

import dev.posture.report.TerminalText;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Writes reports in named formats: one to a stream, or every report a command was asked for. */
final class Reports {
    private Reports() {
    }

    /**
     * Writes each report of {@code specs}: to stdout (coloured when {@code color}) or to its file (atomically, through
     * {@link ReportFile}). A report that cannot be written is said on {@code err}; the others are still written.
     *
     * @return false when some report could not be written (the command's exit code says the run was incomplete)
     */
    static boolean writeAll(List<ReportSpec> specs, ScanResult result, PostureCommand parent, boolean color,
                            boolean verbose, boolean quiet, int columns) {
        PrintStream err = parent.err;
        boolean ok = true;
        for (ReportSpec s : specs) {
            if (s.path() == null) {
                // PrintStream swallows write errors (disk full, closed pipe): ask it afterwards
                String failure = null;
                try {
                    write(s.format(), result, parent.out, color, verbose, columns);
                } catch (IOException e) {
                    failure = describe(e);
                }
                parent.out.flush();
                if (parent.out.checkError()) {
                    failure = CheckedPrintStream.reason(parent.out);
                }
                if (failure != null) {
                    err.println("posture: cannot write the " + s.format() + " report to standard output: "
                            + TerminalText.escape(failure));
                    parent.stdoutFailureReported = true;
                    ok = false;
                }
                continue;
            }
            try {
                ReportFile.write(Path.of(s.path()),
                        os -> write(s.format(), result, os, false, verbose, ReportOptions.DEFAULT_WIDTH));
                if (!quiet) {
                    err.println("posture: wrote " + s.format() + " report to " + TerminalText.escape(s.path()));
                }
            } catch (IOException e) {
                err.println("posture: cannot write the " + s.format() + " report to " + TerminalText.escape(s.path())
                        + ": " + TerminalText.escape(describe(e)));
                ok = false;
            }
        }
        return ok;
    }

    /** An I/O failure in a few words: the file system's reason when it gives one. */
    static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static void write(String format, ScanResult result, OutputStream out, boolean color, boolean verbose, int width)
            throws IOException {
        ReportOptions opts = ReportOptions.defaults().withColor(color).withVerbose(verbose).withWidth(width);
        ReportFormat.parse(format).writer(opts).write(result, out);
    }
}
