package dev.posture.image.source;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads a {@code docker save} or OCI image archive from a stream, once: the legacy layout ({@code manifest.json},
 * {@code <id>/layer.tar}), podman's ({@code <diff_id>.tar} behind {@code <id>/layer.tar} links), Docker 25+'s
 * ({@code manifest.json} naming {@code blobs/sha256/<hex>}, beside {@code index.json}) and OCI image layout archives
 * ({@code oci-layout}, {@code index.json}, {@code blobs/}). A gzip'd archive ({@code docker save | gzip}) is read
 * through.
 *
 * <p>Entries come in any order ({@code manifest.json} is often last), so every entry is judged by its first bytes as
 * it passes: small JSON (manifests, indexes, configs) is kept; everything that looks like a layer (gzip, zstd, tar)
 * goes straight to the {@link LayerSink} under its archive path, or under {@code sha256:<hex>} for a
 * {@code blobs/sha256/<hex>} entry, whose name is the digest it must have. Nothing else is kept. When the stream
 * ends the JSON says which of the delivered blobs are the image's layers.
 *
 * <p>An archive holding several different images is refused, naming them: scanning only the first would drop the
 * others silently.
 */
public final class DockerArchiveReader {
    private final String describe;
    private final Platform platform;

    /**
     * @param describe names the archive in messages ("archive build/app.tar", "daemon unix:///run/podman.sock")
     * @param platform the image to take from an OCI index listing several platforms
     */
    public DockerArchiveReader(String describe, Platform platform) {
        this.describe = describe;
        this.platform = platform;
    }

    public ImageManifest read(InputStream in, LayerSink sink) throws ImageException, IOException {
        try {
            return readTar(tarStream(in), sink);
        } catch (ArchiveReadException e) {
            throw new ImageException(describe + ": " + e.getMessage(), e);
        }
    }

    /** The tar bytes: the stream itself, or inflated when gzip'd; checked to start with a tar header. */
    private InputStream tarStream(InputStream in) throws ImageException, IOException {
        BufferedInputStream raw = new BufferedInputStream(new Tagged(in, "cannot read the archive"), 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        BufferedInputStream tar = gzip
                ? new BufferedInputStream(new Tagged(gunzip(raw), "corrupt or truncated gzip"), 1 << 16) : raw;
        tar.mark(Blobs.HEAD);
        byte[] head = new byte[Blobs.HEAD];
        int n = tar.readNBytes(head, 0, head.length);
        tar.reset();
        String notTar = Blobs.notTar(head, n);
        if (notTar != null) {
            throw new ImageException(describe + ": " + (gzip ? "gzip-compressed, but " : "") + notTar);
        }
        return tar;
    }

    private InputStream gunzip(InputStream raw) throws ImageException {
        try {
            return new GZIPInputStream(raw, 1 << 16);
        } catch (IOException e) {
            throw new ImageException(describe + ": not a gzip'd tar archive (" + e.getMessage() + ")");
        }
    }

    private ImageManifest readTar(InputStream bytes, LayerSink sink) throws ImageException, IOException {
        ArchiveContents contents = new ArchiveContents(describe);
        EndCheck end = new EndCheck(bytes);
        TarArchiveInputStream tar = new TarArchiveInputStream(end, "UTF-8");
        InputStream entryBytes = new Tagged(tar, "truncated or corrupt tar");
        byte[] head = new byte[Blobs.HEAD];
        while (true) {
            TarArchiveEntry e;
            try {
                e = tar.getNextEntry();
            } catch (IOException ex) {
                throw new ArchiveReadException("truncated or corrupt tar (" + ex.getMessage() + ")", ex);
            }
            if (e == null) {
                break;
            }
            end.entryData(e.getSize());
            String path = ArchivePaths.normalise(describe, e.getName());
            if (e.isSymbolicLink()) {
                contents.addLink(path, ArchivePaths.symlinkTarget(describe, path, e.getLinkName()));
            } else if (e.isLink()) {
                contents.addLink(path, ArchivePaths.normalise(describe, e.getLinkName()));
            } else if (e.isFile() && !path.isEmpty()) {
                long size = e.getSize();
                int n = entryBytes.readNBytes(head, 0, (int) Math.min(head.length, size));
                switch (Blobs.classify(head, n, size)) {
                    case JSON -> {
                        byte[] rest = entryBytes.readNBytes((int) size - n);
                        byte[] all = Arrays.copyOf(head, n + rest.length);
                        System.arraycopy(rest, 0, all, n, rest.length);
                        contents.addJson(path, all);
                    }
                    case LAYER -> {
                        contents.addLayer(path);
                        sink.layer(ArchiveLayout.key(path), new SequenceInputStream(
                                new ByteArrayInputStream(head, 0, n), Blobs.unclosable(entryBytes)));
                    }
                    case OTHER -> contents.addOther(path, Blobs.whatElse(head, n, size));
                }
            }
        }
        try {
            return ArchiveLayout.plan(contents, platform).manifest();
        } catch (ImageException e) {
            throw end.sawEndBlock() ? e : Blobs.truncatedHint(e);
        }
    }

    /**
     * Tells a tar that ends with its end-of-archive zero block from one cut short at an entry's edge (which the tar
     * reader takes for a normal end): counts the bytes read, and the zero bytes they end with.
     */
    private static final class EndCheck extends FilterInputStream {
        private long read;
        private long zeros;
        private long lastDataEnd;

        EndCheck(InputStream in) {
            super(in);
        }

        /** Called as an entry starts: its data (padded to whole blocks) ends there. */
        void entryData(long size) {
            lastDataEnd = read + (size + Blobs.HEAD - 1) / Blobs.HEAD * Blobs.HEAD;
        }

        boolean sawEndBlock() {
            return read - lastDataEnd >= Blobs.HEAD && zeros >= Blobs.HEAD;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                read++;
                zeros = b == 0 ? zeros + 1 : 0;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                read += n;
                int i = off + n - 1;
                while (i >= off && b[i] == 0) {
                    i--;
                }
                zeros = i < off ? zeros + n : off + n - 1 - i;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            read += k;
            zeros = 0;
            return k;
        }
    }

    /** An I/O error of the archive itself (not of the sink): reported as a broken archive. */
    static final class ArchiveReadException extends IOException {
        ArchiveReadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Marks the errors of the stream it wraps as the archive's, whoever catches them first. */
    private static final class Tagged extends FilterInputStream {
        private final String what;

        Tagged(InputStream in, String what) {
            super(in);
            this.what = what;
        }

        private IOException tag(IOException e) {
            return e instanceof ArchiveReadException ? e
                    : new ArchiveReadException(what + " (" + e.getMessage() + ")", e);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw tag(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw tag(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                throw tag(e);
            }
        }
    }
}
