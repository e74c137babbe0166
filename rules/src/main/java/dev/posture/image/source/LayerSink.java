package dev.posture.image.source;

import java.io.IOException;
import java.io.InputStream;

/** Receives layer blobs from an {@link ImageSource}; thread-safe. */
@FunctionalInterface
public interface LayerSink {

    /**
     * One blob that may be a layer.
     *
     * @param key  how the {@link ImageManifest} names this blob ({@link LayerDescriptor#key()}): a digest
     *             ({@code sha256:…}) or an archive path ({@code 3f2a…/layer.tar}); a source delivers each key at
     *             most once
     * @param blob the blob as stored (gzip, zstd or plain tar, told apart by magic bytes); the sink reads it to the
     *             end (or throws) and does not close it
     */
    void layer(String key, InputStream blob) throws IOException;
}
