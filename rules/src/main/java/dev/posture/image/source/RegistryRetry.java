package dev.posture.image.source;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Exponential back-off for registry calls that may pass on a second try (connection errors, HTTP 5xx and 429):
 * {@code attempts} tries in all, waiting {@code firstDelay}, then twice as long each time (0.5 s, 1 s by default).
 * Other failures (4xx, TLS, unknown host, timeouts — the timeout is already the user's patience) end at once.
 */
record RegistryRetry(int attempts, Duration firstDelay) {
    static final RegistryRetry DEFAULT = new RegistryRetry(3, Duration.ofMillis(500));
    private static final Logger LOG = Logger.getLogger(RegistrySource.class.getName());

    interface Call<T> {
        T call() throws RegistryCallException;
    }

    /** A failure after the last attempt, or one that is not worth another. */
    static final class Exhausted extends Exception {
        private final RegistryCallException last;
        private final int tries;

        Exhausted(RegistryCallException last, int tries) {
            super(last.getMessage(), last, false, false);
            this.last = last;
            this.tries = tries;
        }

        RegistryCallException last() {
            return last;
        }

        int tries() {
            return tries;
        }
    }

    <T> T call(String what, Call<T> call) throws Exhausted, InterruptedIOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (RegistryCallException e) {
                if (!e.retryable() || attempt >= attempts) {
                    throw new Exhausted(e, attempt);
                }
                Duration wait = delayBefore(attempt + 1);
                int next = attempt + 1;
                LOG.fine(() -> what + ": " + e.getMessage() + "; attempt " + next + " of " + attempts + " in "
                        + wait.toMillis() + " ms");
                sleep(wait);
            }
        }
    }

    /** The wait before attempt {@code n} (2, 3, …). */
    Duration delayBefore(int n) {
        return firstDelay.multipliedBy(1L << Math.min(20, n - 2));
    }

    static void sleep(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
