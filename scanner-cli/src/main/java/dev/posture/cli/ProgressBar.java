package dev.posture.cli;

import dev.posture.report.TerminalText;
import dev.posture.scan.ProgressListener;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/** A one-line progress bar on stderr, for terminals only; erased when the scan ends. */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 28;
    private final PrintStream err;
    private final AtomicInteger done = new AtomicInteger();
    private volatile int total;
    private long lastDraw;

    ProgressBar(PrintStream err) {
        this.err = err;
    }

    @Override
    public void started(int total) {
        this.total = total;
    }

    @Override
    public synchronized void finished(String target) {
        int d = done.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastDraw < 50_000_000L && d < total) {
            return;
        }
        lastDraw = now;
        int t = Math.max(total, d);
        int filled = (int) ((long) WIDTH * d / Math.max(1, t));
        // a file name comes from the scanned tree: its control characters must not reach the terminal
        String safe = TerminalText.escape(target);
        String name = safe.length() > 40 ? "…" + safe.substring(safe.length() - 39) : safe;
        err.print("\r\u001b[2K[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + d + "/" + t + " " + name);
        err.flush();
    }

    synchronized void clear() {
        err.print("\r\u001b[2K");
        err.flush();
    }
}
