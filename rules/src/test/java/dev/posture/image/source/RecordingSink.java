package dev.posture.image.source;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link LayerSink} that reads every blob to its end and keeps its key, sha256 and length; thread-safe. */
class RecordingSink implements LayerSink {
    record Blob(String key, String sha256, long length) {
    }

    final Map<String, Blob> blobs = new ConcurrentHashMap<>();
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger maxActive = new AtomicInteger();

    @Override
    public void layer(String key, InputStream in) throws IOException {
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        try {
            started(key);
            MessageDigest sha = sha256();
            byte[] buffer = new byte[64 << 10];
            long length = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
                length += n;
            }
            Blob blob = new Blob(key, "sha256:" + HexFormat.of().formatHex(sha.digest()), length);
            if (blobs.putIfAbsent(key, blob) != null) {
                throw new AssertionError("blob " + key + " delivered twice");
            }
        } finally {
            active.decrementAndGet();
        }
    }

    /** Called when a blob starts, on the sink's thread. */
    void started(String key) throws IOException {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
