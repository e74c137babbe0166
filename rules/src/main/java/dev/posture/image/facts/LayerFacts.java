package dev.posture.image.facts;

/**
 * One layer as read.
 *
 * @param index            from 0, bottom first
 * @param digest           sha256 of the blob as stored ({@code sha256:…}), computed while reading
 * @param diffId           the config's {@code rootfs.diff_ids} entry for this layer, null when missing
 * @param size             bytes as stored
 * @param uncompressedSize bytes of the tar stream
 * @param mediaType        the descriptor's media type, null when unknown
 * @param compression      "gzip", "zstd" or "none", from the blob's magic bytes
 * @param entries          tar entries in the layer (whiteouts included)
 * @param createdBy        the {@code created_by} of the history step that made it, null when unknown
 */
public record LayerFacts(int index, String digest, String diffId, long size, long uncompressedSize,
                         String mediaType, String compression, long entries, String createdBy) {
}
