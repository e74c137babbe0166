package dev.posture.image.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded pipe from a producer that writes (an HTTP client copying a blob into an {@link OutputStream}) to a
 * consumer that reads (a {@link LayerSink}), each on its own thread. Unlike {@link java.io.PipedInputStream} it
 * carries failures both ways and never waits forever: {@link #fail} makes the reader's next read throw with that
 * cause; closing the input makes the writer's next write throw. The output's {@code close()} does not end the
 * stream — the producer's owner calls {@link #finish} once it knows the blob is whole and verified, so a reader
 * never sees a clean end of a blob that turned out to be wrong.
 */
final class BlobPipe {
    /** What a reader gets when the writer failed; the cause is the writer's failure. */
    static final class WriterFailedException extends IOException {
        WriterFailedException(Throwable cause) {
            super("the blob download failed", cause);
        }
    }

    private final byte[] buffer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private int head;
    private int count;
    private boolean finished;
    private Throwable failure;
    private boolean readerClosed;
    private boolean sawEnd;

    BlobPipe(int capacity) {
        buffer = new byte[capacity];
    }

    /** The producer's side; its close() is a no-op (see {@link #finish}). */
    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                put(b, off, len);
            }
        };
    }

    /** The consumer's side; closing it tells the writer nobody reads any more. */
    InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return take(b, off, len);
            }

            @Override
            public int available() {
                lock.lock();
                try {
                    return count;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void close() {
                lock.lock();
                try {
                    readerClosed = true;
                    writable.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    /** The blob is whole: the reader gets end-of-stream once the buffer is drained. */
    void finish() {
        lock.lock();
        try {
            finished = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The blob will not be whole: the reader's next read throws {@link WriterFailedException}. */
    void fail(Throwable cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean writerFailed() {
        lock.lock();
        try {
            return failure != null;
        } finally {
            lock.unlock();
        }
    }

    /** True once a reader got end-of-stream: the blob was read to its end. */
    boolean readToEnd() {
        lock.lock();
        try {
            return sawEnd;
        } finally {
            lock.unlock();
        }
    }

    private void put(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            while (len > 0) {
                while (count == buffer.length && !readerClosed) {
                    awaitOn(writable);
                }
                if (readerClosed) {
                    throw new IOException("the layer reader stopped");
                }
                int tail = (head + count) % buffer.length;
                int n = Math.min(len, Math.min(buffer.length - count, buffer.length - tail));
                System.arraycopy(b, off, buffer, tail, n);
                count += n;
                off += n;
                len -= n;
                readable.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private int take(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (count == 0 && failure == null && !finished) {
                awaitOn(readable);
            }
            if (failure != null) {
                throw new WriterFailedException(failure);
            }
            if (count == 0) {
                sawEnd = true;
                return -1;
            }
            int n = Math.min(len, Math.min(count, buffer.length - head));
            System.arraycopy(buffer, head, b, off, n);
            head = (head + n) % buffer.length;
            count -= n;
            writable.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    private static void awaitOn(Condition c) throws InterruptedIOException {
        try {
            c.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while streaming a blob");
        }
    }
}
