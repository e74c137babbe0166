package dev.posture.report;

import dev.posture.scan.ScanResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Renders a {@link ScanResult} in one output format. Implementations are stateless and
 * thread-safe; they write UTF-8, never close {@code out} and flush it when done.
 */
public interface ReportWriter {

    /** Writes the whole report for {@code result} to {@code out} (UTF-8). */
    void write(ScanResult result, OutputStream out) throws IOException;

    /** The report as a string (convenience for tests and small outputs). */
    default String writeToString(ScanResult result) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            write(result, buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
