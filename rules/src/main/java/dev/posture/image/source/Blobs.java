package dev.posture.image.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarUtils;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the sources share about blobs: telling layers from JSON by their first bytes, digests, JSON parsing. */
final class Blobs {
    /** Small JSON documents (manifests, indexes, configs) are read whole up to this size; anything larger is not. */
    static final int MAX_JSON_BYTES = 8 << 20;
    /** How many layers are delivered at once where the bytes can be read at random (files, OCI directories). */
    static final int PARALLEL_LAYERS = 2;
    static final int HEAD = 512;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The OCI image spec's digest grammar; the encoded part can hold no '/' or '.', so no path escapes. */
    private static final Pattern DIGEST = Pattern.compile("([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)");
    private static final Pattern BLOB_PATH = Pattern.compile("blobs/([a-z0-9]+(?:[.+_-][a-z0-9]+)*)/([a-zA-Z0-9=_-]+)");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    private Blobs() {
    }

    enum Kind { LAYER, JSON, OTHER }

    /** A layer is gzip, zstd or a tar (a valid header, or the zero blocks of an empty tar); JSON starts with '{'. */
    static Kind classify(byte[] head, int len, long size) {
        if (len >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return Kind.LAYER;
        }
        if (len >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return Kind.LAYER;
        }
        if (len >= HEAD) {
            if (allZero(head, HEAD)) {
                return size >= 2 * HEAD ? Kind.LAYER : Kind.OTHER;
            }
            if (isTarHeader(head)) {
                return Kind.LAYER;
            }
        }
        return looksJson(head, len) && size <= MAX_JSON_BYTES ? Kind.JSON : Kind.OTHER;
    }

    /** The first byte that is not whitespace (or a UTF-8 byte-order mark) opens an object or array. */
    static boolean looksJson(byte[] head, int len) {
        int i = len >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf ? 3 : 0;
        for (; i < len; i++) {
            int b = head[i] & 0xff;
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    static boolean allZero(byte[] b, int len) {
        for (int i = 0; i < len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** What an entry that is neither kept JSON nor a layer is, for messages naming it. */
    static String whatElse(byte[] head, int len, long size) {
        return looksJson(head, len)
                ? "JSON of " + size + " bytes, over the " + (MAX_JSON_BYTES >> 20) + " MiB posture reads"
                : "neither JSON nor a layer (gzip, zstd or tar)";
    }

    /** Whether the first 512 bytes of a file are a tar header; an explanation when not, else null. */
    static String notTar(byte[] head, int len) {
        if (len == 0) {
            return "empty file, not a tar archive";
        }
        if (len < HEAD) {
            return "not a tar archive (" + len + " bytes, shorter than one tar header)";
        }
        if (allZero(head, HEAD)) {
            return "an empty tar archive: no image in it";
        }
        return isTarHeader(head) ? null : "not a tar archive (the first header's checksum is wrong)";
    }

    /** A 512-byte block whose checksum field is octal and right. */
    static boolean isTarHeader(byte[] block) {
        try {
            return TarUtils.verifyCheckSum(block);
        } catch (IllegalArgumentException notOctal) {
            return false;
        }
    }

    /** {@code alg:encoded} checked against the OCI grammar, so it can name a file under {@code blobs/}. */
    static String checkDigest(String where, String digest) throws ImageException {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new ImageException(where + ": " + (digest == null ? "a descriptor has no digest"
                    : "'" + shorten(digest) + "' is not a valid digest"));
        }
        return digest;
    }

    /** {@code blobs/sha256/<hex>} for a checked digest. */
    static String blobPath(String digest) {
        int colon = digest.indexOf(':');
        return "blobs/" + digest.substring(0, colon) + "/" + digest.substring(colon + 1);
    }

    /** The digest an archive path promises: {@code blobs/sha256/<hex>} → {@code sha256:<hex>}, else null. */
    static String promisedDigest(String path) {
        Matcher m = BLOB_PATH.matcher(path);
        return m.matches() ? m.group(1) + ":" + m.group(2) : null;
    }

    /** The config digest a name promises: a blob path, or legacy {@code <hex>.json}. */
    static String configDigest(String path) {
        String d = promisedDigest(path);
        if (d != null) {
            return d;
        }
        String base = path.substring(path.lastIndexOf('/') + 1);
        return base.endsWith(".json") && HEX64.matcher(base.substring(0, base.length() - 5)).matches()
                ? "sha256:" + base.substring(0, base.length() - 5) : null;
    }

    /** Throws when bytes do not have the digest (sha256/sha512; other algorithms are not checked). */
    static void verify(String what, String digest, byte[] bytes) throws ImageException {
        int colon = digest.indexOf(':');
        String alg = switch (digest.substring(0, colon)) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> null;
        };
        if (alg == null) {
            return;
        }
        try {
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(bytes));
            if (!actual.equalsIgnoreCase(digest.substring(colon + 1))) {
                throw new ImageException(what + " does not match its digest (its " + digest.substring(0, colon)
                        + " is " + actual.substring(0, 12) + "…)");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String where, String what, byte[] bytes) throws ImageException {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !(n.isObject() || n.isArray())) {
                throw new ImageException(where + ": " + what + " is not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            // the location only: parser messages quote the input, which may hold secrets
            throw new ImageException(where + ": " + what + " is not valid JSON"
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ImageException(where + ": " + what + " cannot be read: " + e.getMessage());
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** {@code sha256:3f2a9c1e0b7d…} for messages. */
    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return colon > 0 && digest.length() > colon + 13 ? digest.substring(0, colon + 13) + "…" : digest;
    }

    /** The same error, with the likely cause: the archive lacks tar's end-of-archive zero blocks. */
    static ImageException truncatedHint(ImageException e) {
        return new ImageException(e.getMessage()
                + " (the archive ends without tar's end-of-archive blocks: truncated?)", e.getCause());
    }

    /** Names from archives are untrusted: long ones are cut for messages. */
    static String shorten(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…";
    }

    /** Hands a stream to a sink that must not close it. */
    static InputStream unclosable(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }
}
