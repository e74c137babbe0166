package dev.posture.image;

import dev.posture.image.facts.ImageFacts;
import dev.posture.image.source.ImageException;
import dev.posture.image.source.ImageReference;
import dev.posture.image.source.ImageSource;

/**
 * Reads one image in one streaming pass: every layer blob from the source is decompressed (gzip, zstd or none, by
 * magic bytes) and walked as a tar once, its digest verified, and reduced to a per-layer index; the indexes are
 * then merged bottom-up with whiteouts applied into the final view, from which the {@link ImageFacts} are taken.
 * Nothing is extracted to disk. Thread-safe; layers of one image may be read on several threads.
 */
public final class ImageInspector {
    private final ImageLimits limits;
    private final int parallelism;

    public ImageInspector(ImageLimits limits, int parallelism) {
        this.limits = limits;
        this.parallelism = Math.max(1, parallelism);
    }

    /**
     * @param name      the image as the user named it (for messages and {@link ImageFacts#name()})
     * @param reference the reference given, or null (archives: the first RepoTags entry is used when present)
     * @throws ImageException naming the image: a digest mismatch, a missing blob, a layer over a limit, a corrupt or
     *                        hostile archive
     */
    public ImageFacts inspect(String name, ImageReference reference, ImageSource source) throws ImageException {
        throw new UnsupportedOperationException("not yet");
    }
}
