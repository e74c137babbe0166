package dev.posture.scan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * One part of a scan spread over {@code count} processes ({@code --shard index/count}, 1-based).
 *
 * <p>The partition is stable and needs no coordination: a target belongs to shard
 * {@code 1 + (first 8 bytes of SHA-256(identity), unsigned) mod count}, where the identity is the
 * name of the input as the user gave it (the path as given or as met while walking, the image
 * reference, {@code aws} for a live account). The same input list gives every process the same
 * answer, and the union of the shards is the whole scan. See {@code docs/scale.md}.
 */
public record Shard(int index, int count) {

    /** The whole scan: {@code 1/1}. */
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        String why = count < 1 ? "the number of shards N must be at least 1"
                : index < 1 ? "shards are numbered from 1, so K must be at least 1"
                : index > count ? "K (" + index + ") is larger than the number of shards N (" + count + ")" : null;
        if (why != null) {
            throw new IllegalArgumentException("shard K/N " + index + "/" + count + " is out of range: " + why
                    + "; give 1 <= K <= N (1/3, 2/3 and 3/3 are the three shards of three)");
        }
    }

    /** Parses {@code K/N}; the message of the exception says what is wrong. */
    public static Shard parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String s = spec.trim();
        int slash = s.indexOf('/');
        if (slash < 0 || slash != s.lastIndexOf('/')) {
            throw new IllegalArgumentException("'" + spec + "' is not K/N (e.g. 2/5: the second of five shards)");
        }
        int k;
        int n;
        try {
            k = Integer.parseInt(s.substring(0, slash).trim());
            n = Integer.parseInt(s.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + spec + "' is not K/N with whole numbers (e.g. 2/5)");
        }
        return new Shard(k, n);
    }

    /** True when this shard scans the target named {@code identity}. */
    public boolean owns(String identity) {
        return count == 1 || of(identity, count) == index;
    }

    /** The shard (1-based) that the target named {@code identity} belongs to among {@code count}. */
    public static int of(String identity, int count) {
        byte[] d = sha256(identity == null ? "" : identity);
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(h, count) + 1;
    }

    public boolean whole() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
