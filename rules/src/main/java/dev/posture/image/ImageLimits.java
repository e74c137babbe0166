package dev.posture.image;

/**
 * Bounds on reading one image, against decompression bombs and hostile archives.
 *
 * @param maxUncompressedBytes total tar bytes over all layers
 * @param maxRatio             uncompressed/stored ratio a layer may reach once past {@code ratioFloorBytes}
 * @param ratioFloorBytes      uncompressed bytes of a layer before the ratio is checked (small layers of zeros
 *                             compress very well and are harmless)
 * @param maxEntries           tar entries over all layers
 * @param maxCaptureBytes      bytes kept of one captured file (package databases, account files); a secret
 *                             candidate's content is looked at in its first 64 KiB only
 */
public record ImageLimits(long maxUncompressedBytes, double maxRatio, long ratioFloorBytes, long maxEntries,
                          int maxCaptureBytes) {
    public static final ImageLimits DEFAULT = new ImageLimits(32L << 30, 1000, 256L << 20, 5_000_000, 64 << 20);
}
