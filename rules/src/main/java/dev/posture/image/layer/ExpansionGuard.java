package dev.posture.image.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The decompressed tar stream of one layer: counts its bytes and stops a decompression bomb while it expands,
 * before the bytes are ever used (ratio to the raw bytes read so far, past a floor; the image's total).
 */
final class ExpansionGuard extends FilterInputStream {
    private final DigestingInputStream raw;
    private final ReadBudget budget;
    private long count;

    ExpansionGuard(InputStream decompressed, DigestingInputStream raw, ReadBudget budget) {
        super(decompressed);
        this.raw = raw;
        this.budget = budget;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException { // decompressors cannot seek; reading keeps the count true
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

    private void counted(int n) throws LayerFormatException {
        count += n;
        var limits = budget.limits();
        if (count > limits.ratioFloorBytes() && count > limits.maxRatio() * Math.max(1, raw.count())) {
            throw new LayerFormatException(String.format("expands more than %.0f× (%d bytes from %d stored): "
                    + "refusing (decompression bomb?)", limits.maxRatio(), count, raw.count()));
        }
        budget.addBytes(n);
    }

    long count() {
        return count;
    }
}
