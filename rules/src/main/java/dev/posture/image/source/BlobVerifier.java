package dev.posture.image.source;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Passes a blob's bytes on while counting and hashing them, so the source knows — whatever the client library
 * says — whether the blob it delivered is the one its descriptor names, and stops a registry that sends more than
 * the descriptor promised. {@code close()} is a no-op: the source decides how the stream ends.
 */
final class BlobVerifier extends OutputStream {
    /** Thrown into the client when a blob grows past its size. */
    static final class TooLargeException extends IOException {
        TooLargeException(long max) {
            super("the blob is larger than " + max + " bytes");
        }
    }

    private final OutputStream target;
    private final String expected;
    private final long maxBytes;
    private final MessageDigest sha256;
    private long count;
    private boolean tooLarge;

    /**
     * @param expected the digest the blob must have ({@code sha256:…}); other algorithms are checked by nothing
     *                 here (the registry client refuses them first)
     * @param maxBytes the size the descriptor gives, or a cap; negative for none
     */
    BlobVerifier(OutputStream target, String expected, long maxBytes) {
        this.target = target;
        this.expected = expected.toLowerCase(Locale.ROOT);
        this.maxBytes = maxBytes;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (maxBytes >= 0 && count + len > maxBytes) {
            tooLarge = true;
            throw new TooLargeException(maxBytes);
        }
        target.write(b, off, len);
        sha256.update(b, off, len);
        count += len;
    }

    @Override
    public void close() {
    }

    long count() {
        return count;
    }

    boolean tooLarge() {
        return tooLarge;
    }

    /** Once the client returned: whether the bytes seen have the expected digest. */
    boolean matches() {
        try {
            return expected.equals("sha256:" + HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest()));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
