package dev.posture.image.layer;

import java.util.List;
import java.util.Map;

/**
 * One blob reduced to what the merge and the facts need: its entries (metadata only), whiteouts, opaque
 * directories, the few captured files and the flagged ones. Memory is proportional to the entries, never to the
 * bytes.
 *
 * @param key              the blob's key from the source
 * @param digest           sha256 of the blob as stored
 * @param size             bytes as stored
 * @param uncompressedSize bytes of the tar stream
 * @param entryCount       tar entries, whiteouts included
 * @param entries          the entries that are files, directories or links, in tar order (no whiteouts)
 * @param whiteouts        paths a whiteout deletes ({@code a/.wh.b} → {@code a/b})
 * @param opaqueDirs       directories whose lower content is hidden ({@code a/.wh..wh..opq} → {@code a}; "" is the
 *                         root)
 * @param captures         captured files by path
 * @param flagged          files the probe flagged
 * @param packages         application dependencies read from the files that record them (jars, lockfiles, Python
 *                         metadata), by path; empty unless the reader was asked for them
 * @param notes            what was noticed but is not fatal, each completing "layer N: …"
 * @param failure          why the blob is not a usable layer (completes "layer N (digest) …"), null when it is
 */
public record LayerIndex(String key, String digest, long size, long uncompressedSize, Compression compression,
                         long entryCount, List<LayerEntry> entries, List<String> whiteouts, List<String> opaqueDirs,
                         Map<String, Captured> captures, List<FlaggedFile> flagged,
                         Map<String, List<dev.posture.vuln.apps.AppPackage>> packages, List<String> notes,
                         String failure) {
}
