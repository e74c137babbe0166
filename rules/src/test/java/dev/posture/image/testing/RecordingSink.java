package dev.posture.image.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.posture.image.source.ImageManifest;
import dev.posture.image.source.LayerDescriptor;
import dev.posture.image.source.LayerSink;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * A {@link LayerSink} that keeps, for every blob delivered, its key, the sha256 and length of the bytes as stored, the
 * sha256 of the uncompressed tar (its diff_id; gzip and zstd told apart by magic, as the inspector does) and the
 * thread it came on. Nothing of the blob is kept. {@link #check} then holds a source to its manifest.
 */
public final class RecordingSink implements LayerSink {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One delivered blob. */
    public record Blob(String key, String sha256, long length, String diffId, String thread) {
    }

    /** Called with each key before its blob is read (to hold deliveries, to fail one). */
    @FunctionalInterface
    public interface Hook {
        void before(String key) throws IOException;
    }

    private final Map<String, Blob> blobs = new ConcurrentHashMap<>();
    private final List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Hook hook;

    public RecordingSink() {
        this(key -> { });
    }

    public RecordingSink(Hook hook) {
        this.hook = hook;
    }

    @Override
    public void layer(String key, InputStream blob) throws IOException {
        hook.before(key);
        MessageDigest stored = sha256();
        Counting counted = new Counting(new DigestInputStream(blob, stored));
        BufferedInputStream in = new BufferedInputStream(counted);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        InputStream plain;
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            plain = new GZIPInputStream(in);
        } else if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5) {
            plain = new ZstdInputStream(in);
        } else {
            plain = in;
        }
        MessageDigest diff = sha256();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = plain.read(buf)) > 0; ) {
            diff.update(buf, 0, n);
        }
        in.transferTo(OutputStream.nullOutputStream()); // whatever follows the compressed stream is stored too
        Blob b = new Blob(key, hex(stored), counted.count, "sha256:" + hex(diff), Thread.currentThread().getName());
        if (blobs.putIfAbsent(key, b) != null) {
            throw new IOException("blob " + key + " delivered twice");
        }
        order.add(key);
    }

    public Map<String, Blob> blobs() {
        return Map.copyOf(blobs);
    }

    /** Keys in the order they were delivered. */
    public List<String> order() {
        return List.copyOf(order);
    }

    /**
     * Holds the manifest against what was delivered: every layer's blob was delivered, every promised digest is the
     * blob's, the diff_ids of the layers are the config's {@code rootfs.diff_ids}.
     *
     * @return the layers' diff_ids, bottom first
     */
    public List<String> check(ImageManifest m) throws IOException {
        List<String> diffIds = new ArrayList<>();
        for (LayerDescriptor l : m.layers()) {
            Blob b = blobs.get(l.key());
            if (b == null) {
                throw new AssertionError("layer " + l.key() + " was not delivered (delivered: " + blobs.keySet() + ")");
            }
            if (l.digest() != null && !l.digest().equals("sha256:" + b.sha256)) {
                throw new AssertionError("layer " + l.key() + " promises " + l.digest() + " but is sha256:" + b.sha256);
            }
            if (l.size() >= 0 && l.size() != b.length) {
                throw new AssertionError("layer " + l.key() + " promises " + l.size() + " bytes but has " + b.length);
            }
            diffIds.add(b.diffId);
        }
        if (m.configDigest() != null && !m.configDigest().equals("sha256:" + hex(sha256(m.config())))) {
            throw new AssertionError("config does not match " + m.configDigest());
        }
        List<String> fromConfig = configDiffIds(m);
        if (!fromConfig.equals(diffIds)) {
            throw new AssertionError("delivered layers have diff_ids " + diffIds + ", the config says " + fromConfig);
        }
        return diffIds;
    }

    public static List<String> configDiffIds(ImageManifest m) throws IOException {
        JsonNode c = JSON.readTree(m.config());
        List<String> ids = new ArrayList<>();
        c.path("rootfs").path("diff_ids").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }

    private static byte[] sha256(byte[] b) {
        return sha256().digest(b);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static final class Counting extends java.io.FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
