package dev.posture.image.source;

/**
 * One layer of a manifest, in order.
 *
 * @param key       the name under which the source delivered (or will deliver) the blob to the {@link LayerSink}
 * @param digest    the digest the blob as stored must have ({@code sha256:…}): the registry's or OCI descriptor's
 *                  digest, a Docker 25+ archive's blob name; null when the source promises none (a legacy
 *                  {@code docker save} {@code layer.tar}, checked against the config's diff_id instead)
 * @param size      the size the descriptor promises, -1 when unknown
 * @param mediaType the descriptor's media type, null when unknown
 */
public record LayerDescriptor(String key, String digest, long size, String mediaType) {
}
