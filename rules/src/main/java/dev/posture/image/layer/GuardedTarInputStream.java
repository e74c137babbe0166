package dev.posture.image.layer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * A tar reader that bounds the headers of one entry. commons-compress reads PAX records, GNU long names and old
 * GNU sparse maps into memory whole, and follows chains of them recursively; a hostile layer could make one
 * entry's "name" gigabytes long. Real entries need a few KiB (PATH_MAX is 4096; xattrs are small).
 */
final class GuardedTarInputStream extends TarArchiveInputStream {
    static final int MAX_HEADER_BYTES = 1 << 20;
    private long headerBytes;

    GuardedTarInputStream(InputStream in) {
        super(in);
    }

    /** The next entry, its headers counted afresh. */
    TarArchiveEntry next() throws IOException {
        headerBytes = 0;
        return getNextEntry();
    }

    @Override
    protected byte[] readRecord() throws IOException { // every header record (and sparse map extension)
        counted(getRecordSize());
        return super.readRecord();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        TarArchiveEntry e = getCurrentEntry();
        if (n > 0 && e != null && (e.isPaxHeader() || e.isGlobalPaxHeader() || e.isGNULongNameEntry()
                || e.isGNULongLinkEntry())) { // the content of a header entry, read by the parser itself
            counted(n);
        }
        return n;
    }

    private void counted(long n) throws LayerFormatException {
        headerBytes += n;
        if (headerBytes > MAX_HEADER_BYTES) {
            throw new LayerFormatException("has an entry with more than " + MAX_HEADER_BYTES + " bytes of headers"
                    + " (PAX records, long names, sparse maps): refusing");
        }
    }
}
