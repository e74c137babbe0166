package dev.posture.image.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS) // a deadlock fails instead of hanging the build
class BlobPipeTest {

    @Test
    void bytesCrossThreadsIntactThroughASmallBuffer() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(7).nextBytes(data);
        BlobPipe pipe = new BlobPipe(4096);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = pipe.output();
                for (int off = 0; off < data.length; off += 1000) {
                    out.write(data, off, Math.min(1000, data.length - off));
                }
                out.write(7); // single bytes too
                out.close(); // not the end: finish() is
                pipe.finish();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] read = pipe.input().readAllBytes();
        writer.get();

        assertThat(read).hasSize(data.length + 1);
        assertThat(Arrays.copyOf(read, data.length)).isEqualTo(data);
        assertThat(read[data.length]).isEqualTo((byte) 7);
        assertThat(pipe.readToEnd()).isTrue();
    }

    @Test
    void aWriterFailureReachesTheReaderWithItsCause() throws Exception {
        BlobPipe pipe = new BlobPipe(16);
        InputStream in = pipe.input();
        pipe.output().write(new byte[] {1, 2, 3});
        IllegalStateException cause = new IllegalStateException("digest mismatch");
        pipe.fail(cause);

        assertThatThrownBy(() -> in.read(new byte[8]))
                .isInstanceOf(BlobPipe.WriterFailedException.class)
                .hasCause(cause);
        assertThat(pipe.writerFailed()).isTrue();
        assertThat(pipe.readToEnd()).isFalse();
    }

    @Test
    void aReaderThatStopsUnblocksAFullWriter() throws Exception {
        BlobPipe pipe = new BlobPipe(8);
        CompletableFuture<Throwable> writer = CompletableFuture.supplyAsync(() -> {
            try {
                pipe.output().write(new byte[1024]); // blocks once 8 bytes are buffered
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        InputStream in = pipe.input();
        assertThat(in.read()).isEqualTo(0); // the writer is running and blocked on a full buffer
        in.close();

        assertThat(writer.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                .hasMessage("the layer reader stopped");
    }

    @Test
    void aReaderWaitsForFinishNotForClose() throws Exception {
        BlobPipe pipe = new BlobPipe(8);
        pipe.output().write(new byte[] {5});
        pipe.output().close();
        InputStream in = pipe.input();
        assertThat(in.read()).isEqualTo(5);
        CompletableFuture<Integer> next = CompletableFuture.supplyAsync(() -> {
            try {
                return in.read();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        assertThat(next).isNotDone();
        pipe.finish();
        assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    @Test
    void anInterruptedReaderGetsAnInterruptedIoException() throws Exception {
        BlobPipe pipe = new BlobPipe(8);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                pipe.input().read();
                failure.complete(null);
            } catch (IOException e) {
                failure.complete(e);
            }
        });
        reader.start();
        Thread.sleep(100);
        reader.interrupt();
        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(java.io.InterruptedIOException.class);
    }
}
