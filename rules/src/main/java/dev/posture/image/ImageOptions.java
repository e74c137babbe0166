package dev.posture.image;

import dev.posture.image.source.SourceOptions;

/**
 * How the image analyzer reaches and reads images.
 *
 * @param sources    registries, daemon, platform, credentials
 * @param limits     bounds against hostile archives
 * @param maxAgeDays the age after which an image is stale ({@code --max-image-age}), given to policies as
 *                   {@code data.config.image_max_age_days}
 * @param vulnDb     an OSV database ({@code --vuln-db}): packages are matched against it; null: vulnerabilities
 *                   are not checked (and the report says so)
 * @param verifyKeys public keys ({@code --verify-key}): images from registries must carry a cosign signature one of
 *                   them verifies; empty: signatures are not checked
 * @param requireSignature an image whose signature cannot be checked (not from a registry) counts as unsigned
 */
public record ImageOptions(SourceOptions sources, ImageLimits limits, int maxAgeDays,
                           dev.posture.vuln.osv.OsvDatabase vulnDb, java.util.List<java.security.PublicKey> verifyKeys,
                           boolean requireSignature) {
    public static final int DEFAULT_MAX_AGE_DAYS = 365;

    public ImageOptions {
        verifyKeys = verifyKeys == null ? java.util.List.of() : java.util.List.copyOf(verifyKeys);
    }

    public ImageOptions(SourceOptions sources, ImageLimits limits, int maxAgeDays) {
        this(sources, limits, maxAgeDays, null, java.util.List.of(), false);
    }

    public static ImageOptions defaults() {
        return new ImageOptions(SourceOptions.defaults(), ImageLimits.DEFAULT, DEFAULT_MAX_AGE_DAYS);
    }
}
