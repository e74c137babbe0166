package dev.posture.cli;

import dev.posture.report.ReportFormat;
import dev.posture.report.ReportOptions;
import dev.posture.scan.ScanResult;

import java.io.IOException;
import java.io.OutputStream;

/** Writes one report in a named format. */
final class Reports {
    private Reports() {
    }

    static void write(String format, ScanResult result, OutputStream out, boolean color, boolean verbose, int width)
            throws IOException {
        ReportOptions opts = ReportOptions.defaults().withColor(color).withVerbose(verbose).withWidth(width);
        ReportFormat.parse(format).writer(opts).write(result, out);
    }
}
