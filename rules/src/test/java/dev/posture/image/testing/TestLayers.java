package dev.posture.image.testing;

import com.github.luben.zstd.Zstd;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes layer tars for tests with commons-compress: files with modes and owners, directories, symbolic and hard
 * links, whiteouts, opaque directories, FIFOs and raw (hostile) names; and wraps them as gzip, zstd or plain.
 */
public final class TestLayers {
    private final List<Item> items = new ArrayList<>();

    private record Item(String name, byte type, int mode, long uid, long gid, byte[] content, String link) {
    }

    public static TestLayers layer() {
        return new TestLayers();
    }

    public TestLayers dir(String path, int mode) {
        return add(new Item(path + "/", TarArchiveEntry.LF_DIR, mode, 0, 0, null, null));
    }

    public TestLayers file(String path, int mode, String content) {
        return file(path, mode, 0, 0, content.getBytes(StandardCharsets.UTF_8));
    }

    public TestLayers file(String path, int mode, long uid, long gid, byte[] content) {
        return add(new Item(path, TarArchiveEntry.LF_NORMAL, mode, uid, gid, content, null));
    }

    public TestLayers symlink(String path, String target) {
        return add(new Item(path, TarArchiveEntry.LF_SYMLINK, 0777, 0, 0, null, target));
    }

    /** A hard link; tar writes its own mode 0644, the link takes its target's. */
    public TestLayers hardlink(String path, String target) {
        return add(new Item(path, TarArchiveEntry.LF_LINK, 0644, 0, 0, null, target));
    }

    public TestLayers fifo(String path, int mode) {
        return add(new Item(path, TarArchiveEntry.LF_FIFO, mode, 0, 0, null, null));
    }

    /** Deletes {@code path} of lower layers ({@code dir/.wh.name}). */
    public TestLayers whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return add(new Item(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1),
                TarArchiveEntry.LF_NORMAL, 0644, 0, 0, new byte[0], null));
    }

    /** Hides what lower layers have in {@code dir} ({@code dir/.wh..wh..opq}). */
    public TestLayers opaque(String dir) {
        return add(new Item(dir + "/.wh..wh..opq", TarArchiveEntry.LF_NORMAL, 0644, 0, 0, new byte[0], null));
    }

    /** A regular file under a name written as is (absolute, {@code ../}, {@code ./}). */
    public TestLayers raw(String name, String content) {
        return add(new Item(name, TarArchiveEntry.LF_NORMAL, 0644, 0, 0, content.getBytes(StandardCharsets.UTF_8),
                null));
    }

    private TestLayers add(Item item) {
        items.add(item);
        return this;
    }

    /** The layer as an uncompressed tar (its sha256 is the diff_id). */
    public byte[] tar() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(buf)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Item i : items) {
                TarArchiveEntry e = new TarArchiveEntry(i.name, i.type, true);
                int typeBits = switch (i.type) {
                    case TarArchiveEntry.LF_DIR -> 040000;
                    case TarArchiveEntry.LF_SYMLINK -> 0120000;
                    case TarArchiveEntry.LF_FIFO -> 010000;
                    default -> 0100000;
                };
                e.setMode(typeBits | i.mode);
                e.setUserId(i.uid);
                e.setGroupId(i.gid);
                e.setModTime(1000L);
                if (i.link != null) {
                    e.setLinkName(i.link);
                }
                if (i.content != null) {
                    e.setSize(i.content.length);
                }
                tar.putArchiveEntry(e);
                if (i.content != null) {
                    tar.write(i.content);
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf, 1 << 16)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    public static byte[] zstd(byte[] data) {
        return Zstd.compress(data, 3);
    }

    public static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
