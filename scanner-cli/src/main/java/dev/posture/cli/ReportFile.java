package dev.posture.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;

/**
 * Writing a report file safely. In CI the checkout is a pull request's, so the report path may
 * already exist as anything: a symbolic link to a file elsewhere ({@code posture.sarif ->
 * ../victim/important.conf}), a FIFO, one of the inputs. A report is therefore written to a fresh
 * temporary file beside it and renamed into place (atomically where the file system can), which
 * replaces whatever the name pointed to instead of writing through it; a symbolic link, a
 * directory or a scanned input at the report path is refused before the scan ({@link #refusal}).
 *
 * <p>Paths under {@code /dev} and {@code /proc} ({@code /dev/null}, {@code /dev/stdout},
 * {@code /proc/self/fd/3}) are devices the user named on purpose: written directly.
 */
final class ReportFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReportFile() {
    }

    /** Something that writes a report to a stream. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** True for device paths the user names on purpose, written in place. */
    static boolean isDevice(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith("/dev") || abs.startsWith("/proc");
    }

    /**
     * Why {@code report} must not receive a report, or null when it may: it is a symbolic link,
     * a directory, or the same file as one of {@code inputs} (the files the scan reads).
     */
    static String refusal(Path report, Collection<Path> inputs) {
        if (isDevice(report)) {
            return null;
        }
        if (Files.isSymbolicLink(report)) {
            String to;
            try {
                to = " (to " + Files.readSymbolicLink(report) + ")";
            } catch (IOException | UnsupportedOperationException e) {
                to = "";
            }
            return report + " is a symbolic link" + to + "; refusing to write a report through it";
        }
        if (Files.isDirectory(report, LinkOption.NOFOLLOW_LINKS)) {
            return report + " is a directory";
        }
        if (!Files.exists(report, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        for (Path in : inputs) {
            if (sameFile(report, in)) {
                return inputRefusal(report.toString(), in.toString());
            }
        }
        return null;
    }

    /** The error for a report path that is the input {@code input} (or the same file). */
    static String inputRefusal(String report, String input) {
        return report + (input.equals(report) ? " is a scanned input" : " is the same file as the scanned input " + input)
                + "; refusing to overwrite it with a report";
    }

    /** True when both exist and are the same file (links followed, hard links included). */
    static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isRegularFile(b) && Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Writes {@code body} to {@code report}: to a temporary file in its directory, then renamed into place. */
    static void write(Path report, Body body) throws IOException {
        if (isDevice(report)) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(report))) {
                body.writeTo(out);
            }
            return;
        }
        Path target = report.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = null;
        FileChannel channel = null;
        for (int attempt = 0; channel == null; attempt++) {
            tmp = dir.resolve(".posture-report-" + HexFormat.of().formatHex(randomBytes()) + ".tmp");
            try {
                // CREATE_NEW is O_EXCL: never follows a link, never reuses a file someone prepared
                channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
        boolean moved = false;
        try {
            try (FileChannel c = channel; OutputStream out = new BufferedOutputStream(Channels.newOutputStream(c))) {
                body.writeTo(out);
                out.flush();
                c.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }
}
