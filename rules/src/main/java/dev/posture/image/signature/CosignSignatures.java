package dev.posture.image.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Cosign's image signatures (the "simple signing" format cosign writes to the {@code sha256-<hex>.sig} tag, or as
 * an OCI 1.1 referrer): each signature is a layer whose blob is the payload
 * {@code {"critical": {"identity": {"docker-reference": …}, "image": {"docker-manifest-digest": "sha256:…"},
 * "type": "cosign container image signature"}, …}} and whose annotation {@value #SIGNATURE_ANNOTATION} is the
 * base64 signature over the payload bytes. A signature counts only when it verifies with one of the given keys
 * (ECDSA with SHA-256, RSA PKCS#1 v1.5 or PSS with SHA-256, Ed25519) <em>and</em> its payload names exactly the
 * image's manifest digest: a valid signature of another image is a tampered one.
 */
public final class CosignSignatures {
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    public static final String PAYLOAD_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String REFERRER_ARTIFACT_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json";
    static final String TYPE = "cosign container image signature";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CosignSignatures() {
    }

    /** The tag cosign stores an image's signatures under: {@code sha256-<hex>.sig}. */
    public static String signatureTag(String manifestDigest) {
        int colon = manifestDigest.indexOf(':');
        return manifestDigest.substring(0, colon) + "-" + manifestDigest.substring(colon + 1) + ".sig";
    }

    /** One signature layer as found in the registry. */
    public record Candidate(byte[] payload, String signatureBase64) {
    }

    /**
     * @param valid  a signature verified and named the digest
     * @param reason when not valid: why the best candidate failed ("no signature", "signature does not verify with
     *               the given key(s)", "payload names sha256:… not the image's sha256:…")
     */
    public record Verdict(boolean valid, String reason) {
    }

    /** Judges an image's signature candidates against the keys; valid when any candidate passes. */
    public static Verdict verify(List<Candidate> candidates, List<PublicKey> keys, String manifestDigest) {
        if (candidates.isEmpty()) {
            return new Verdict(false, "no cosign signature");
        }
        String reason = null;
        for (Candidate c : candidates) {
            String why = check(c, keys, manifestDigest);
            if (why == null) {
                return new Verdict(true, null);
            }
            if (reason == null || why.startsWith("payload")) {
                reason = why; // a verified signature of another digest is the more telling reason
            }
        }
        return new Verdict(false, reason);
    }

    static String check(Candidate c, List<PublicKey> keys, String manifestDigest) {
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(c.signatureBase64().strip());
        } catch (IllegalArgumentException | NullPointerException e) {
            return "the signature annotation is not base64";
        }
        boolean verified = false;
        for (PublicKey k : keys) {
            if (verifies(k, c.payload(), sig)) {
                verified = true;
                break;
            }
        }
        if (!verified) {
            return "signature does not verify with the given key(s)";
        }
        JsonNode p;
        try {
            p = JSON.readTree(c.payload());
        } catch (IOException e) {
            return "payload is not JSON";
        }
        String type = p.at("/critical/type").asText("");
        if (!type.equalsIgnoreCase(TYPE)) {
            return "payload type is '" + type + "', not '" + TYPE + "'";
        }
        String digest = p.at("/critical/image/docker-manifest-digest").asText("");
        if (!digest.equals(manifestDigest)) {
            return "payload names " + (digest.isEmpty() ? "no digest" : digest) + ", not the image's " + manifestDigest;
        }
        return null;
    }

    static boolean verifies(PublicKey key, byte[] payload, byte[] sig) {
        List<String> algorithms = switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
            case "EC" -> List.of("SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA");
            case "RSA" -> List.of("SHA256withRSA", "RSASSA-PSS");
            case "ED25519", "EDDSA" -> List.of("Ed25519");
            default -> List.of();
        };
        for (String alg : algorithms) {
            try {
                Signature s = Signature.getInstance(alg);
                if (alg.equals("RSASSA-PSS")) {
                    s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                            java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
                }
                s.initVerify(key);
                s.update(payload);
                if (s.verify(sig)) {
                    return true;
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                // a malformed signature for this algorithm: try the next
            }
        }
        return false;
    }
}
