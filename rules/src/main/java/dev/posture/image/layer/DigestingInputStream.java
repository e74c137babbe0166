package dev.posture.image.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The raw blob as the source delivers it: every byte read is counted and hashed (sha256). Remembers a failure of
 * the underlying stream, so the reader can tell "the source broke" (rethrown) from "the layer is corrupt" (the
 * layer fails).
 */
final class DigestingInputStream extends FilterInputStream {
    private final MessageDigest sha256;
    private long count;
    private IOException sourceFailure;

    DigestingInputStream(InputStream in) {
        super(in);
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
        if (n > 0) {
            sha256.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException { // every byte must be hashed: skipping reads
        byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    long count() {
        return count;
    }

    IOException sourceFailure() {
        return sourceFailure;
    }

    /** "sha256:…" of everything read; call once, at the end. */
    String digest() {
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }
}
