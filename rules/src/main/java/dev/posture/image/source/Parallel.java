package dev.posture.image.source;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs layer deliveries on a few threads (the sink decompresses and walks each layer, so two threads on two cores
 * read an image about twice as fast). The first failure stops the others and is thrown as it was.
 */
final class Parallel {
    @FunctionalInterface
    interface Task {
        void run() throws ImageException, IOException;
    }

    private Parallel() {
    }

    private static void rethrow(Throwable t) throws ImageException, IOException {
        if (t instanceof ImageException ie) {
            throw ie;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        throw (Error) t;
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void run(List<Task> tasks, int threads) throws ImageException, IOException {
        int n = Math.min(threads, tasks.size());
        if (n <= 1) {
            for (Task t : tasks) {
                t.run();
            }
            return;
        }
        ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>(tasks);
        AtomicBoolean failed = new AtomicBoolean();
        AtomicInteger ids = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "posture-layer-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CompletionService<Void> done = new ExecutorCompletionService<>(pool);
        List<Future<Void>> workers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                workers.add(done.submit(() -> {
                    Task t;
                    while (!failed.get() && (t = queue.poll()) != null) {
                        try {
                            t.run();
                        } catch (Exception | Error e) {
                            failed.set(true);
                            throw e;
                        }
                    }
                    return null;
                }));
            }
            for (int i = 0; i < n; i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    // the others are interrupted: their reads end at once, the first failure is the one reported
                    workers.forEach(f -> f.cancel(true));
                    rethrow(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    workers.forEach(f -> f.cancel(true));
                    throw new InterruptedIOException("interrupted while reading layers");
                }
            }
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool); // no delivery outlives read(), even a failed one
        }
    }
}
