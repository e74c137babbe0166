package dev.posture.image.testing;

import dev.posture.image.source.ImageException;
import dev.posture.image.source.ImageManifest;
import dev.posture.image.source.ImageSource;
import dev.posture.image.source.LayerSink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** An {@link ImageSource} over blobs in memory: delivers them in map order, or all at once on several threads. */
public final class MemorySource implements ImageSource {
    private final Map<String, byte[]> blobs;
    private final ImageManifest manifest;
    private final boolean concurrent;

    public MemorySource(Map<String, byte[]> blobs, ImageManifest manifest, boolean concurrent) {
        this.blobs = new LinkedHashMap<>(blobs);
        this.manifest = manifest;
        this.concurrent = concurrent;
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public String kind() {
        return "archive";
    }

    @Override
    public ImageManifest read(LayerSink layers) throws ImageException, IOException {
        if (!concurrent) {
            for (Map.Entry<String, byte[]> b : blobs.entrySet()) {
                layers.layer(b.getKey(), new ByteArrayInputStream(b.getValue()));
            }
            return manifest;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, blobs.size()));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Map.Entry<String, byte[]> b : blobs.entrySet()) {
                running.add(pool.submit(() -> {
                    try {
                        layers.layer(b.getKey(), new ByteArrayInputStream(b.getValue()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return manifest;
    }
}
