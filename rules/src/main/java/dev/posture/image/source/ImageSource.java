package dev.posture.image.source;

import java.io.IOException;

/**
 * Where an image's bytes come from: a registry, a Docker-compatible daemon, a {@code docker save} archive or an
 * OCI layout. A source only delivers bytes; it judges nothing. Every source streams: no layer is ever held whole
 * in memory or written to disk.
 *
 * <p>{@link #read} delivers each layer blob <em>as stored</em> (compressed or not) to the {@link LayerSink}, in
 * any order and possibly from several threads at once (a registry or an OCI directory may fetch two layers in
 * parallel; a {@code docker save} stream delivers them in archive order), then returns the {@link ImageManifest}
 * that says which blobs are the image's layers and in what order. Digests are verified by the reader, not the
 * source: the source reports the digests it was promised (descriptors, blob names, diff_ids).
 */
public interface ImageSource extends AutoCloseable {

    /** For messages: "registry localhost:5000/shop/app:1.0", "daemon unix:///run/podman.sock", "archive x.tar". */
    String describe();

    /** "registry", "daemon", "archive" or "oci-layout": the report's {@code source} of the image. */
    String kind();

    /**
     * Reads the image once.
     *
     * @throws ImageException for everything about the image (missing blob, unknown manifest type, HTTP 401/404,
     *                        daemon unreachable): the message names the image and says what went wrong, never a
     *                        credential
     * @throws IOException    when reading the bytes fails (truncated stream, connection reset); the caller turns it
     *                        into an {@link ImageException} naming the image
     */
    ImageManifest read(LayerSink layers) throws ImageException, IOException;

    @Override
    default void close() throws IOException {
    }
}
