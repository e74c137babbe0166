package dev.posture.image.layer;

import dev.posture.image.ImageLimits;

import java.util.concurrent.atomic.AtomicLong;

/** What all layers of one image may use together (layers may be read on several threads). */
public final class ReadBudget {
    private final ImageLimits limits;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong entries = new AtomicLong();

    public ReadBudget(ImageLimits limits) {
        this.limits = limits;
    }

    public ImageLimits limits() {
        return limits;
    }

    void addBytes(long n) throws LayerFormatException {
        if (bytes.addAndGet(n) > limits.maxUncompressedBytes()) {
            throw new LayerFormatException("takes the image past " + limits.maxUncompressedBytes()
                    + " uncompressed bytes: refusing (decompression bomb?)");
        }
    }

    void addEntry() throws LayerFormatException {
        if (entries.incrementAndGet() > limits.maxEntries()) {
            throw new LayerFormatException("takes the image past " + limits.maxEntries() + " tar entries: refusing");
        }
    }
}
