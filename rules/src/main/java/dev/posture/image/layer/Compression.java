package dev.posture.image.layer;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/** How a layer blob is stored, told apart by its magic bytes (media types lie, or are absent). */
public enum Compression {
    GZIP("gzip"), ZSTD("zstd"), NONE("none");

    private final String label;

    Compression(String label) {
        this.label = label;
    }

    /** "gzip", "zstd" or "none". */
    public String label() {
        return label;
    }

    /** Peeks at the first bytes of {@code in} (which must support mark/reset) without consuming them. */
    static Compression detect(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    /** The tar stream inside {@code in}. */
    InputStream open(InputStream in) throws IOException {
        return switch (this) {
            // layers may be several gzip members back to back (pigz, some builders)
            case GZIP -> GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
            case ZSTD -> new ZstdCompressorInputStream(in);
            case NONE -> in;
        };
    }
}
