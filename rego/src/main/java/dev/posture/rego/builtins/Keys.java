package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** PEM blocks and JSON Web Keys, decoded with java.security only. */
final class Keys {
    private Keys() {
    }

    /** One PEM block: its type line and DER bytes. */
    record Pem(String type, byte[] der) {
    }

    /** A key with the optional JWK "kid" and "alg" that select it. */
    record Jwk(Object key, String kid, String alg, String kty) {
    }

    /** All PEM blocks of a text, in order; text outside the blocks is ignored. */
    static List<Pem> pemBlocks(String s) {
        List<Pem> out = new ArrayList<>();
        int i = 0;
        while (true) {
            int b = s.indexOf("-----BEGIN ", i);
            if (b < 0) {
                return out;
            }
            int te = s.indexOf("-----", b + 11);
            if (te < 0) {
                return out;
            }
            String type = s.substring(b + 11, te);
            String endMark = "-----END " + type + "-----";
            int e = s.indexOf(endMark, te + 5);
            if (e < 0) {
                return out;
            }
            String body = s.substring(te + 5, e);
            StringBuilder b64 = new StringBuilder();
            for (String line : body.split("\n")) {
                if (!line.contains(":")) {
                    b64.append(line.strip());
                }
            }
            try {
                out.add(new Pem(type, Base64.getMimeDecoder().decode(b64.toString())));
            } catch (IllegalArgumentException ex) {
                return out;
            }
            i = e + endMark.length();
        }
    }

    /** Text after the first PEM block, with surrounding whitespace removed. */
    static String afterFirstPem(String s) {
        int b = s.indexOf("-----BEGIN ");
        int te = s.indexOf("-----", b + 11);
        String endMark = "-----END " + s.substring(b + 11, te) + "-----";
        return s.substring(s.indexOf(endMark, te + 5) + endMark.length()).strip();
    }

    static X509Certificate certificate(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    static PublicKey publicKey(byte[] spki) throws GeneralSecurityException {
        String oid = spkiAlgorithm(spki);
        String alg = switch (oid) {
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
            case "1.2.840.10045.2.1" -> "EC";
            case "1.3.101.112" -> "Ed25519";
            default -> throw new GeneralSecurityException("x509: unknown public key algorithm");
        };
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spki));
    }

    /** The algorithm OID of a SubjectPublicKeyInfo or PKCS#8 structure. */
    static String spkiAlgorithm(byte[] der) throws GeneralSecurityException {
        Der.Node top = Der.parse(der);
        for (Der.Node n : top.children()) {
            if (n.tag() == 0x30 && !n.children().isEmpty() && n.children().get(0).tag() == 0x06) {
                return Der.oid(n.children().get(0).content());
            }
        }
        throw new GeneralSecurityException("asn1: structure error");
    }

    static java.security.PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        String oid = spkiAlgorithm(der);
        String alg = switch (oid) {
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
            case "1.2.840.10045.2.1" -> "EC";
            case "1.3.101.112" -> "Ed25519";
            default -> throw new GeneralSecurityException("x509: PKCS#8 wrapping contained private key with unknown algorithm");
        };
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** A PKCS#1 RSAPrivateKey (PEM "RSA PRIVATE KEY"). */
    static java.security.interfaces.RSAPrivateCrtKey pkcs1(byte[] der) throws GeneralSecurityException {
        List<Der.Node> f = Der.parse(der).children();
        if (f.size() < 9) {
            throw new GeneralSecurityException("x509: failed to parse private key");
        }
        BigInteger[] v = new BigInteger[9];
        for (int i = 0; i < 9; i++) {
            v[i] = new BigInteger(f.get(i).content());
        }
        return (java.security.interfaces.RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new RSAPrivateCrtKeySpec(v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));
    }

    /** A SEC 1 ECPrivateKey (PEM "EC PRIVATE KEY"). */
    static java.security.interfaces.ECPrivateKey sec1(byte[] der) throws GeneralSecurityException {
        List<Der.Node> f = Der.parse(der).children();
        BigInteger d = new BigInteger(1, f.get(1).content());
        String curve = null;
        for (Der.Node n : f) {
            if (n.tag() == 0xA0) {
                curve = switch (Der.oid(n.children().get(0).content())) {
                    case "1.2.840.10045.3.1.7" -> "secp256r1";
                    case "1.3.132.0.34" -> "secp384r1";
                    case "1.3.132.0.35" -> "secp521r1";
                    default -> throw new GeneralSecurityException("x509: unknown elliptic curve");
                };
            }
        }
        if (curve == null) {
            throw new GeneralSecurityException("x509: failed to parse EC private key");
        }
        return (java.security.interfaces.ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, curve(curve)));
    }

    static ECParameterSpec curve(String name) throws GeneralSecurityException {
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec(name));
        return p.getParameterSpec(ECParameterSpec.class);
    }

    static String jwkCurve(String crv) throws GeneralSecurityException {
        return switch (crv) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            case "P-521" -> "secp521r1";
            default -> throw new GeneralSecurityException("unsupported elliptic curve " + crv);
        };
    }

    /** Base64url as JWK producers write it: padding optional, standard alphabet tolerated. */
    static byte[] b64(String s) {
        String t = s.replace('+', '-').replace('/', '_');
        while (t.endsWith("=")) {
            t = t.substring(0, t.length() - 1);
        }
        return Base64.getUrlDecoder().decode(t);
    }

    static BigInteger big(Value.Obj o, String field) throws GeneralSecurityException {
        if (!(o.get(field) instanceof Value.Str s)) {
            throw new GeneralSecurityException("required field " + field + " is missing");
        }
        return new BigInteger(1, b64(s.value));
    }

    static String field(Value.Obj o, String f) {
        return o.get(f) instanceof Value.Str s ? s.value : "";
    }

    /** Parses a JWK object; private members make it a private key. */
    static Jwk jwk(Value.Obj o) throws GeneralSecurityException {
        String kty = field(o, "kty");
        boolean priv = o.get("d") != null;
        Object key = switch (kty) {
            case "oct" -> {
                if (!(o.get("k") instanceof Value.Str k)) {
                    throw new GeneralSecurityException("required field k is missing");
                }
                yield b64(k.value);
            }
            case "RSA" -> {
                KeyFactory kf = KeyFactory.getInstance("RSA");
                BigInteger n = big(o, "n");
                BigInteger e = big(o, "e");
                if (!priv) {
                    yield kf.generatePublic(new RSAPublicKeySpec(n, e));
                }
                BigInteger d = big(o, "d");
                if (o.get("p") != null && o.get("q") != null && o.get("dp") != null && o.get("dq") != null && o.get("qi") != null) {
                    yield kf.generatePrivate(new RSAPrivateCrtKeySpec(n, e, d, big(o, "p"), big(o, "q"), big(o, "dp"), big(o, "dq"),
                            big(o, "qi")));
                }
                yield kf.generatePrivate(new RSAPrivateKeySpec(n, d));
            }
            case "EC" -> {
                ECParameterSpec spec = curve(jwkCurve(field(o, "crv")));
                KeyFactory kf = KeyFactory.getInstance("EC");
                if (priv) {
                    yield kf.generatePrivate(new ECPrivateKeySpec(big(o, "d"), spec));
                }
                yield kf.generatePublic(new ECPublicKeySpec(new ECPoint(big(o, "x"), big(o, "y")), spec));
            }
            case "OKP" -> {
                if (!field(o, "crv").equals("Ed25519")) {
                    throw new GeneralSecurityException("unsupported curve " + field(o, "crv"));
                }
                KeyFactory kf = KeyFactory.getInstance("Ed25519");
                if (priv) {
                    byte[] d = b64(field(o, "d"));
                    yield kf.generatePrivate(new PKCS8EncodedKeySpec(concat(HexFormat.of().parseHex("302e020100300506032b657004220420"), d)));
                }
                byte[] x = b64(field(o, "x"));
                yield kf.generatePublic(new X509EncodedKeySpec(concat(HexFormat.of().parseHex("302a300506032b6570032100"), x)));
            }
            default -> throw new GeneralSecurityException("invalid key type from JSON (" + kty + ")");
        };
        return new Jwk(key, field(o, "kid"), field(o, "alg"), kty);
    }

    /** A JWK or a JWK set (object with "keys"). */
    static List<Jwk> jwks(String json) throws GeneralSecurityException {
        Value v;
        try {
            v = Encoding.parseJson(json);
        } catch (BuiltinError e) {
            throw new GeneralSecurityException("failed to unmarshal JSON into key hint: " + e.getMessage());
        }
        if (!(v instanceof Value.Obj o)) {
            throw new GeneralSecurityException("failed to unmarshal JSON into key hint");
        }
        List<Jwk> out = new ArrayList<>();
        if (o.get("keys") instanceof Value.Arr keys) {
            for (Value k : keys.items()) {
                if (k instanceof Value.Obj ko) {
                    out.add(jwk(ko));
                }
            }
            return out;
        }
        out.add(jwk(o));
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
