package dev.posture.image.signature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Public keys in PEM ({@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo, as {@code cosign generate-key-pair}
 * writes {@code cosign.pub}): ECDSA, RSA or Ed25519, told apart by trying each key factory.
 */
public final class PublicKeys {
    private static final List<String> ALGORITHMS = List.of("EC", "RSA", "Ed25519");

    private PublicKeys() {
    }

    /** @throws IOException naming the file when it is unreadable or holds no supported public key */
    public static PublicKey read(Path pem) throws IOException {
        String text;
        try {
            if (Files.size(pem) > 64 * 1024) {
                throw new IOException(pem + ": larger than 64 KB, not a public key");
            }
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(pem + ": not a PEM file");
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(pem + ": " + e.getMessage());
        }
    }

    /** @throws IllegalArgumentException when there is no supported PUBLIC KEY block */
    public static PublicKey parse(String pem) {
        int begin = pem.indexOf("-----BEGIN PUBLIC KEY-----");
        int end = pem.indexOf("-----END PUBLIC KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("no '-----BEGIN PUBLIC KEY-----' block (a cosign.pub is expected)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + 26, end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PUBLIC KEY block is not base64");
        }
        for (String alg : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("the PUBLIC KEY block is not an ECDSA, RSA or Ed25519 key");
    }
}
