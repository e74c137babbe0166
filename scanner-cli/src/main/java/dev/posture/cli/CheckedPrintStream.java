package dev.posture.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * A {@link PrintStream} that remembers why a write failed. PrintStream swallows IOExceptions and
 * only sets a flag ({@link #checkError()}); {@code posture scan … > /dev/full} must not exit 0 with
 * the report lost, and the message should say why ("No space left on device", "Broken pipe").
 * {@link Main#main} wraps the real stdout in one; any PrintStream works, only the reason is lost.
 */
final class CheckedPrintStream extends PrintStream {
    private final Recorder recorder;

    private CheckedPrintStream(Recorder recorder, Charset charset) {
        super(recorder, true, charset);
        this.recorder = recorder;
    }

    static CheckedPrintStream of(OutputStream out, Charset charset) {
        return new CheckedPrintStream(new Recorder(out), charset);
    }

    /** The message of the first failed write or flush, or null. */
    String failure() {
        return recorder.failure;
    }

    /** Why writing to {@code out} failed, as far as it is known (call after {@link #checkError()}). */
    static String reason(PrintStream out) {
        String why = out instanceof CheckedPrintStream c ? c.failure() : null;
        return why == null || why.isBlank() ? "write error" : why;
    }

    /** Passes everything on to the real stream and remembers the first IOException. */
    private static final class Recorder extends FilterOutputStream {
        volatile String failure;

        Recorder(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw record(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw record(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw record(e);
            }
        }

        private IOException record(IOException e) {
            if (failure == null) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            return e;
        }
    }
}
