package dev.posture.image.source;

import java.util.List;

/**
 * What a source found about an image besides its layer bytes.
 *
 * @param manifestDigest the digest of the (platform) manifest when known ({@code sha256:…}), else null
 * @param mediaType      the manifest's media type when known, else null
 * @param config         the image configuration JSON, as stored (its sha256 is checked against configDigest)
 * @param configDigest   the digest the config must have, null when the source promises none
 * @param layers         the image's layers, bottom first
 * @param repoTags       tags an archive or daemon records for the image ({@code RepoTags}), empty for a registry
 */
public record ImageManifest(String manifestDigest, String mediaType, byte[] config, String configDigest,
                            List<LayerDescriptor> layers, List<String> repoTags) {
    public ImageManifest {
        layers = List.copyOf(layers);
        repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
    }
}
