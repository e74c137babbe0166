package dev.posture.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable finding identity: a hash of rule id, target identity and logical path. Line numbers and
 * report order never enter it, so suppressions and baselines survive edits that move lines.
 */
public final class Fingerprints {
    private Fingerprints() {
    }

    public static String of(String ruleId, TargetRef target, String resource, String container, String path,
                            String logicalPath) {
        String key = String.join("\u0000", ruleId, target.type().id(), target.name(), nz(resource), nz(container),
                nz(path), nz(logicalPath));
        byte[] digest = SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    /** A digest per thread: looking the algorithm up costs more than hashing a short key. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
