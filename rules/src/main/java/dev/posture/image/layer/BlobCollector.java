package dev.posture.image.layer;

import dev.posture.image.source.LayerSink;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The sink given to a source: each blob is read as it arrives (on the source's thread) and its index kept. */
public final class BlobCollector implements LayerSink {
    private final LayerReader reader;
    private final Map<String, LayerIndex> indexes = new ConcurrentHashMap<>();

    public BlobCollector(LayerReader reader) {
        this.reader = reader;
    }

    @Override
    public void layer(String key, InputStream blob) throws IOException {
        LayerIndex index = reader.read(key, blob);
        indexes.putIfAbsent(key, index); // a source delivers each key once; a repeat is the same blob
    }

    /** The index of the blob delivered as {@code key}, null when none was. */
    public LayerIndex get(String key) {
        return indexes.get(key);
    }
}
