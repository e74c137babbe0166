package dev.posture.image.source;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes a blob's bytes on while counting them: a retry is only possible while none was delivered, and a registry
 * that sends more than the descriptor promised is cut off there. It does not hash: jib's blob puller already hashes
 * every blob and fails on a mismatch before the source ends the stream (pinned by {@code RegistrySourceTest}), and
 * the inspector hashes once more; a third pass cost a sixth of the read time. {@code close()} is a no-op: the source
 * decides how the stream ends.
 */
final class BlobCounter extends OutputStream {
    /** Thrown into the client when a blob grows past its size. */
    static final class TooLargeException extends IOException {
        TooLargeException(long max) {
            super("the blob is larger than " + max + " bytes");
        }
    }

    private final OutputStream target;
    private final long maxBytes;
    private long count;
    private boolean tooLarge;

    /** @param maxBytes the size the descriptor gives, or a cap; negative for none */
    BlobCounter(OutputStream target, long maxBytes) {
        this.target = target;
        this.maxBytes = maxBytes;
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
}
