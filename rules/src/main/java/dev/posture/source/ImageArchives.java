package dev.posture.source;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Is a tar an image? A repository holds tars that are no images (vendored sources, test data); they must be
 * unrecognised, not failed images. A {@code docker save} or OCI archive has {@code manifest.json},
 * {@code index.json} or {@code oci-layout} at its root. Only headers are read: a plain tar's contents are skipped
 * by seeking; a gzip'd one is inflated up to a budget (beyond it the tar is taken for an image, and the image
 * analyzer says what it is).
 */
final class ImageArchives {
    /** Inflated bytes looked through in a gzip'd tar before giving it the benefit of the doubt. */
    static final long GZIP_BUDGET = 512L << 20;
    static final int MAX_ENTRIES = 100_000;

    enum Verdict { IMAGE, NOT_AN_IMAGE, UNKNOWN }

    private ImageArchives() {
    }

    static Verdict look(Path file, boolean gzip) {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = new BufferedInputStream(raw, 1 << 16);
            Budget budget = null;
            if (gzip) {
                budget = new Budget(new GZIPInputStream(in, 1 << 16));
                in = budget;
            }
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            TarArchiveEntry e;
            int n = 0;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (name.equals("manifest.json") || name.equals("index.json") || name.equals("oci-layout")) {
                    return Verdict.IMAGE;
                }
                if (++n > MAX_ENTRIES || budget != null && budget.count > GZIP_BUDGET) {
                    return Verdict.UNKNOWN;
                }
            }
            return Verdict.NOT_AN_IMAGE;
        } catch (IOException | RuntimeException e) {
            return Verdict.UNKNOWN; // a corrupt archive is still an archive: the image analyzer says what is wrong
        }
    }

    /** Counts inflated bytes. */
    private static final class Budget extends FilterInputStream {
        long count;

        Budget(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = in.read(b, off, len);
            if (r > 0) {
                count += r;
            }
            return r;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(n);
            count += Math.max(0, s);
            return s;
        }
    }
}
