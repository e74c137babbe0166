package dev.posture.image.source;

import dev.posture.image.source.RegistryCallException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pulls an image's blobs: the config into memory (it is small, and bounded), each layer through a {@link BlobPipe}
 * to the {@link LayerSink} — a download thread writes, a sink thread reads, two layers at a time, never more than
 * the pipe's megabyte in memory per layer and nothing on disk. A layer's stream ends cleanly only once the client
 * has checked its digest: one that does not match ends with an error instead of an end-of-stream.
 */
final class RegistryBlobs {
    static final int PARALLEL_LAYERS = 2;
    static final long MAX_CONFIG_BYTES = 16L << 20;
    private static final int PIPE_BYTES = 1 << 20;

    private final RegistryApi api;
    private final RegistryRetry retry;
    private final RegistryErrors errors;

    RegistryBlobs(RegistryApi api, RegistryRetry retry, RegistryErrors errors) {
        this.api = api;
        this.retry = retry;
        this.errors = errors;
    }

    byte[] config(RegistryManifest.Descriptor d) throws ImageException, InterruptedIOException {
        if (d.size() > MAX_CONFIG_BYTES) {
            throw errors.of("config " + d.digest() + " has " + d.size() + " bytes, over the limit of "
                    + MAX_CONFIG_BYTES + " bytes");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        download("config", d, new BlobCounter(buffer, d.size() >= 0 ? d.size() : MAX_CONFIG_BYTES));
        return buffer.toByteArray();
    }

    /** Delivers each distinct layer once, under its digest; returns when all were read or throws the first failure. */
    void layers(List<RegistryManifest.Descriptor> layers, LayerSink sink) throws ImageException, IOException {
        Map<String, RegistryManifest.Descriptor> distinct = new LinkedHashMap<>();
        layers.forEach(l -> distinct.putIfAbsent(l.digest(), l));
        ExecutorService readers = Executors.newFixedThreadPool(PARALLEL_LAYERS, daemons("posture-registry-read"));
        ExecutorService writers = Executors.newFixedThreadPool(PARALLEL_LAYERS, daemons("posture-registry-pull"));
        List<Future<Void>> futures = new ArrayList<>();
        try {
            CompletionService<Void> done = new ExecutorCompletionService<>(readers);
            for (RegistryManifest.Descriptor d : distinct.values()) {
                futures.add(done.submit(() -> {
                    layer(d, sink, writers);
                    return null;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    throw unwrap(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading layers");
        } finally {
            writers.shutdownNow();
            readers.shutdownNow();
            awaitQuietly(readers); // no sink call outlives read()
        }
    }

    private void layer(RegistryManifest.Descriptor d, LayerSink sink, ExecutorService writers) throws Exception {
        BlobPipe pipe = new BlobPipe(PIPE_BYTES);
        BlobCounter counter = new BlobCounter(pipe.output(), d.size());
        Future<Void> writer = writers.submit(() -> {
            try {
                download("layer", d, counter);
                pipe.finish();
                return null;
            } catch (Exception | Error e) {
                pipe.fail(e);
                throw e;
            }
        });
        IOException sinkFailure = null;
        InputStream in = pipe.input();
        try {
            sink.layer(d.digest(), in);
        } catch (IOException e) {
            sinkFailure = e;
        } finally {
            in.close(); // a writer still writing fails at once instead of waiting for a reader
        }
        if (sinkFailure == null && !pipe.readToEnd()) { // a sink must read to the end: else nothing was verified
            throw new IOException("the layer reader returned before the end of layer " + d.digest());
        }
        if (sinkFailure != null && !pipe.writerFailed()) {
            throw sinkFailure; // the sink's own failure; the download is abandoned
        }
        try {
            writer.get();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause()); // the download failed first: its reason, not the sink's echo of it
        }
        if (sinkFailure != null) {
            throw sinkFailure;
        }
    }

    /** Pulls one blob through its counter; a retry is only possible while nothing was delivered. */
    private void download(String role, RegistryManifest.Descriptor d, BlobCounter counter)
            throws ImageException, InterruptedIOException {
        try {
            retry.call(role + " " + d.digest(), () -> {
                try {
                    api.blob(d.digest(), counter);
                    return null;
                } catch (RegistryCallException e) {
                    if (counter.count() > 0 && e.retryable()) { // bytes already went to the reader: no second go
                        throw new RegistryCallException(Kind.IO, 0, "connection lost after " + counter.count()
                                + " bytes: " + e.getMessage());
                    }
                    throw e;
                }
            });
        } catch (RegistryRetry.Exhausted e) {
            if (counter.tooLarge()) {
                throw errors.of(role + " " + d.digest() + " is larger than the " + d.size()
                        + " bytes its descriptor gives");
            }
            throw errors.blob(role, d.digest(), e);
        }
        if (d.size() >= 0 && counter.count() != d.size()) {
            throw errors.of(role + " " + d.digest() + " has " + counter.count() + " bytes, its descriptor says "
                    + d.size());
        }
    }

    /** The download's or sink's failure as it was: an ImageException is returned for throwing, the rest thrown. */
    private static ImageException unwrap(Throwable t) throws IOException {
        if (t instanceof ImageException e) {
            return e;
        }
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IOException(t);
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
