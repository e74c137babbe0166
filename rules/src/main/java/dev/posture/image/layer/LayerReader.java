package dev.posture.image.layer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one blob once: digest and count of the raw bytes, decompression by magic bytes, one walk over the tar
 * (metadata of every entry, whiteouts, captured files, probed prefixes; other contents are read past in 64 KiB
 * chunks and dropped), then the rest of the stream is drained so the digest covers every byte.
 *
 * <p>A blob that is corrupt, hostile or over a limit does not throw: its {@link LayerIndex#failure()} says why,
 * and only matters if the manifest lists it (an archive also delivers JSON blobs). Only a failure of the source's
 * stream itself is thrown.
 */
public final class LayerReader {
    static final int BUFFER = 64 << 10;
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final String AUFS = ".wh..wh.";

    private final ReadBudget budget;
    private final ContentProbe probe;
    private final boolean appPackages;

    public LayerReader(ReadBudget budget, ContentProbe probe) {
        this(budget, probe, false);
    }

    /**
     * @param appPackages also read application dependencies from the files that record them ({@code AppPackages}):
     *                    costs a pass through every jar's entries, so only when vulnerabilities or an SBOM want them
     */
    public LayerReader(ReadBudget budget, ContentProbe probe, boolean appPackages) {
        this.budget = budget;
        this.probe = probe;
        this.appPackages = appPackages;
    }

    public LayerIndex read(String key, InputStream blob) throws IOException {
        DigestingInputStream raw = new DigestingInputStream(blob);
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
        Walk walk = new Walk();
        Compression compression = Compression.NONE;
        ExpansionGuard tarBytes = null;
        String failure = null;
        try {
            compression = Compression.detect(buffered);
            tarBytes = new ExpansionGuard(compression.open(buffered), raw, budget);
            walk.walk(new GuardedTarInputStream(new BufferedInputStream(tarBytes, BUFFER)));
            drain(tarBytes, walk.buf); // tar padding, further gzip members: checked and counted too
        } catch (IOException | RuntimeException e) {
            if (raw.sourceFailure() != null) {
                throw raw.sourceFailure();
            }
            failure = describe(e, compression);
        }
        drain(buffered, walk.buf);
        return new LayerIndex(key, raw.digest(), raw.count(), tarBytes == null ? 0 : tarBytes.count(), compression,
                walk.entryCount, walk.entries, walk.whiteouts, walk.opaqueDirs, walk.captures, walk.flagged,
                walk.packages, walk.notes, failure);
    }

    private static String describe(Exception e, Compression compression) {
        if (e instanceof LayerFormatException) {
            return e.getMessage();
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName()
                : TarPaths.quoted(e.getMessage().replaceAll("\\s+", " ").trim());
        if (e instanceof EOFException || detail.contains("Truncated") || detail.contains("end of")) {
            return "is truncated or corrupt (" + (compression == Compression.NONE ? "tar" : compression.label())
                    + ": " + detail + ")";
        }
        return "is not a readable " + (compression == Compression.NONE ? "" : compression.label() + "-compressed ")
                + "tar archive (" + detail + ")";
    }

    private static void drain(InputStream in, byte[] buf) throws IOException {
        while (in.read(buf, 0, buf.length) >= 0) {
            // discard: only the digest and the counts need these bytes
        }
    }

    /** The tar stream must outlive a reader of one entry that closes what it was given. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }

    /** The state of one tar walk. */
    private final class Walk {
        final byte[] buf = new byte[BUFFER];
        final List<LayerEntry> entries = new ArrayList<>();
        final List<String> whiteouts = new ArrayList<>();
        final List<String> opaqueDirs = new ArrayList<>();
        final Map<String, Captured> captures = new HashMap<>();
        final List<FlaggedFile> flagged = new ArrayList<>();
        final Map<String, List<dev.posture.vuln.apps.AppPackage>> packages = new HashMap<>();
        final List<String> notes = new ArrayList<>();
        long entryCount;

        void walk(GuardedTarInputStream tar) throws IOException {
            TarArchiveEntry e;
            while ((e = tar.next()) != null) {
                budget.addEntry();
                entryCount++;
                String path = TarPaths.normalise(e.getName(), "an entry");
                if (path.isEmpty()) {
                    continue; // the root directory itself
                }
                int slash = path.lastIndexOf('/');
                String name = path.substring(slash + 1);
                if (name.startsWith(WHITEOUT)) {
                    String dir = TarPaths.parent(path);
                    if (name.equals(OPAQUE)) {
                        opaqueDirs.add(dir);
                    } else if (!name.startsWith(AUFS)) { // other .wh..wh.* are aufs bookkeeping
                        whiteouts.add(TarPaths.child(dir, name.substring(WHITEOUT.length())));
                    }
                    continue;
                }
                if (path.startsWith(AUFS) || path.contains("/" + AUFS)) {
                    continue; // inside aufs bookkeeping directories (.wh..wh.plnk/…)
                }
                EntryType type = typeOf(e);
                String link = switch (type) {
                    case SYMLINK -> e.getLinkName();
                    case HARDLINK -> TarPaths.normalise(e.getLinkName(), "a hard link to");
                    default -> null;
                };
                long size = type == EntryType.FILE ? e.getRealSize() : 0;
                entries.add(new LayerEntry(path, type, e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(),
                        size, link));
                if (type == EntryType.FILE) {
                    readContent(tar, path, size);
                }
            }
        }

        private EntryType typeOf(TarArchiveEntry e) {
            if (e.isDirectory()) {
                return EntryType.DIR;
            }
            if (e.isSymbolicLink()) {
                return EntryType.SYMLINK;
            }
            if (e.isLink()) {
                return EntryType.HARDLINK;
            }
            if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) { // isFile() says true for these
                return EntryType.OTHER;
            }
            return e.isFile() ? EntryType.FILE : EntryType.OTHER;
        }

        /** Keeps what is needed of a regular file's content; the rest is read past (the stream cannot seek). */
        private void readContent(InputStream tar, String path, long size) throws IOException {
            if (CapturedPaths.captured(path)) {
                int keep = (int) Math.min(size, budget.limits().maxCaptureBytes());
                byte[] content = tar.readNBytes(keep);
                boolean truncated = size > keep;
                if (truncated) {
                    notes.add("/" + path + " is " + size + " bytes; only the first " + keep + " were read");
                }
                captures.put(path, new Captured(content, size, truncated));
                if (probe.wants(path, size)) {
                    probe(path, content, Math.min(content.length, ContentProbe.PREFIX_BYTES));
                }
            } else if (appPackages && dev.posture.vuln.apps.AppPackages.interesting("/" + path)) {
                InputStream content = tar;
                if (probe.wants(path, size)) {
                    int n = tar.readNBytes(buf, 0, (int) Math.min(size, ContentProbe.PREFIX_BYTES));
                    byte[] prefix = java.util.Arrays.copyOf(buf, n);
                    probe(path, prefix, n);
                    content = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(prefix), new NonClosing(tar));
                }
                List<dev.posture.vuln.apps.AppPackage> found = dev.posture.vuln.apps.AppPackages.read("/" + path,
                        new NonClosing(content), w -> notes.add(w));
                if (!found.isEmpty()) {
                    packages.put(path, found);
                }
            } else if (probe.wants(path, size)) {
                probe(path, buf, tar.readNBytes(buf, 0, (int) Math.min(size, ContentProbe.PREFIX_BYTES)));
            }
            drain(tar, buf);
        }

        private void probe(String path, byte[] prefix, int length) {
            ContentProbe.Match m = probe.probe(path, prefix, length);
            if (m != null) {
                flagged.add(new FlaggedFile(path, m.kind(), m.evidence()));
            }
        }
    }
}
