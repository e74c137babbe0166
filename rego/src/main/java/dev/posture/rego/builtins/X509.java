package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.str;

import dev.posture.rego.value.Value;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** crypto.x509.* and crypto.parse_private_keys. */
final class X509 {
    private X509() {
    }

    static void register(Registry r) {
        r.add("crypto.x509.parse_certificates", 1, (a, c) -> {
            List<Value> out = new ArrayList<>();
            for (X509Certificate cert : certs(str(a, 0))) {
                out.add(toValue(cert));
            }
            return Value.arr(out);
        });
        r.add("crypto.x509.parse_and_verify_certificates", 1, (a, c) -> verified(str(a, 0), Chain.Options.DEFAULT, true));
        // OPA returns Go's bare x509.Certificate here: without the URIStrings field the other two builtins add
        r.add("crypto.x509.parse_and_verify_certificates_with_options", 2,
                (a, c) -> verified(str(a, 0), Chain.Options.of(Args.obj(a, 1)), false));
        r.add("crypto.x509.parse_certificate_request", 1, (a, c) -> Csr.parse(str(a, 0)));
        r.add("crypto.x509.parse_rsa_private_key", 1, (a, c) -> rsaJwk(str(a, 0)));
        r.add("crypto.x509.parse_keypair", 2, (a, c) -> keypair(str(a, 0), str(a, 1)));
        r.add("crypto.parse_private_keys", 1, (a, c) -> {
            String s = str(a, 0);
            if (s.isEmpty()) {
                return Value.NULL;
            }
            List<Value> out = new ArrayList<>();
            for (PrivateKey k : privateKeys(pemOrBase64(s))) {
                out.add(goPrivateKey(k));
            }
            return Value.arr(out);
        });
    }

    static Value toValue(X509Certificate c) {
        try {
            return GoX509.certificate(c);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw BuiltinError.err("x509: malformed certificate");
        }
    }

    /** PEM text as is; anything else is base64 of PEM or DER. */
    static byte[] pemOrBase64(String s) {
        if (s.startsWith("-----BEGIN")) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        return base64(s);
    }

    /** Standard base64 as Go's StdEncoding reads it. */
    static byte[] base64(String s) {
        return GoBase64.decode(s, false);
    }

    static boolean isPem(byte[] b) {
        return new String(b, 0, Math.min(b.length, 10), StandardCharsets.ISO_8859_1).startsWith("-----BEGIN");
    }

    static List<X509Certificate> certs(String s) {
        byte[] b = pemOrBase64(s);
        List<X509Certificate> out = new ArrayList<>();
        try {
            if (isPem(b)) {
                for (Keys.Pem p : Keys.pemBlocks(new String(b, StandardCharsets.UTF_8))) {
                    if (p.type().equals("CERTIFICATE")) {
                        out.add(Keys.certificate(p.der()));
                    }
                }
                if (out.isEmpty()) {
                    throw BuiltinError.err("x509: malformed certificate");
                }
                return out;
            }
            // concatenated DER certificates
            int pos = 0;
            while (pos < b.length) {
                Der.Node n = Der.parse(java.util.Arrays.copyOfRange(b, pos, b.length));
                out.add(Keys.certificate(n.encoded()));
                pos += n.encoded().length;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw BuiltinError.err("x509: malformed certificate");
        }
    }

    static Value verified(String s, Chain.Options o, boolean uriStrings) {
        Value invalid = Value.arr(Value.bool(false), Value.EMPTY_ARRAY);
        List<X509Certificate> certs;
        try {
            certs = certs(s);
        } catch (BuiltinError e) {
            return invalid;
        }
        List<X509Certificate> chain = Chain.verify(certs, o);
        if (chain == null) {
            return invalid;
        }
        List<Value> out = new ArrayList<>();
        for (X509Certificate c : chain) {
            Value v = toValue(c);
            if (!uriStrings && v instanceof Value.Obj obj) {
                Map<Value, Value> m = new LinkedHashMap<>(obj.map());
                m.remove(Value.str("URIStrings"));
                v = Value.obj(m);
            }
            out.add(v);
        }
        return Value.arr(Value.bool(true), Value.arr(out));
    }

    static List<PrivateKey> privateKeys(byte[] b) {
        List<PrivateKey> out = new ArrayList<>();
        try {
            if (!isPem(b)) {
                out.add(Keys.pkcs8(b));
                return out;
            }
            for (Keys.Pem p : Keys.pemBlocks(new String(b, StandardCharsets.UTF_8))) {
                switch (p.type()) {
                    case "RSA PRIVATE KEY" -> out.add(Keys.pkcs1(p.der()));
                    case "EC PRIVATE KEY" -> out.add(Keys.sec1(p.der()));
                    case "PRIVATE KEY" -> out.add(Keys.pkcs8(p.der()));
                    default -> {
                    }
                }
            }
            return out;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw BuiltinError.err("x509: failed to parse private key");
        }
    }

    static Value rsaJwk(String s) {
        byte[] b = pemOrBase64(s);
        List<Keys.Pem> blocks = isPem(b) ? Keys.pemBlocks(new String(b, StandardCharsets.UTF_8)) : List.of();
        if (blocks.isEmpty()) {
            throw BuiltinError.err("failed to parse PEM block containing the key");
        }
        RSAPrivateCrtKey k;
        try {
            Keys.Pem p = blocks.get(0);
            PrivateKey pk = switch (p.type()) {
                case "RSA PRIVATE KEY" -> Keys.pkcs1(p.der());
                case "PRIVATE KEY" -> Keys.pkcs8(p.der());
                default -> throw BuiltinError.err("PEM data contains an unsupported key type");
            };
            if (!(pk instanceof RSAPrivateCrtKey rk)) {
                throw BuiltinError.err("PEM data contains a non-RSA private key");
            }
            k = rk;
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof BuiltinError be) {
                throw be;
            }
            throw BuiltinError.err("x509: failed to parse private key");
        }
        Map<Value, Value> m = new LinkedHashMap<>();
        m.put(Value.str("kty"), Value.str("RSA"));
        jwkInt(m, "n", k.getModulus());
        jwkInt(m, "e", k.getPublicExponent());
        jwkInt(m, "d", k.getPrivateExponent());
        jwkInt(m, "p", k.getPrimeP());
        jwkInt(m, "q", k.getPrimeQ());
        jwkInt(m, "dp", k.getPrimeExponentP());
        jwkInt(m, "dq", k.getPrimeExponentQ());
        jwkInt(m, "qi", k.getCrtCoefficient());
        return Value.obj(m);
    }

    private static void jwkInt(Map<Value, Value> m, String k, BigInteger v) {
        byte[] b = v.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = java.util.Arrays.copyOfRange(b, 1, b.length);
        }
        m.put(Value.str(k), Value.str(Base64.getUrlEncoder().withoutPadding().encodeToString(b)));
    }

    /** A Go crypto private key struct as JSON. */
    static Value goPrivateKey(PrivateKey k) {
        Map<Value, Value> m = new LinkedHashMap<>();
        if (k instanceof RSAPrivateCrtKey r) {
            m.put(Value.str("N"), GoX509.num(r.getModulus()));
            m.put(Value.str("E"), GoX509.num(r.getPublicExponent()));
            m.put(Value.str("D"), GoX509.num(r.getPrivateExponent()));
            m.put(Value.str("Primes"), Value.arr(GoX509.num(r.getPrimeP()), GoX509.num(r.getPrimeQ())));
            Map<Value, Value> pre = new LinkedHashMap<>();
            pre.put(Value.str("Dp"), GoX509.num(r.getPrimeExponentP()));
            pre.put(Value.str("Dq"), GoX509.num(r.getPrimeExponentQ()));
            pre.put(Value.str("Qinv"), GoX509.num(r.getCrtCoefficient()));
            pre.put(Value.str("CRTValues"), Value.EMPTY_ARRAY);
            m.put(Value.str("Precomputed"), Value.obj(pre));
            return Value.obj(m);
        }
        if (k instanceof ECPrivateKey e) {
            m.put(Value.str("Curve"), Value.EMPTY_OBJECT);
            java.security.spec.ECPoint w = ecPublic(e);
            m.put(Value.str("X"), GoX509.num(w.getAffineX()));
            m.put(Value.str("Y"), GoX509.num(w.getAffineY()));
            m.put(Value.str("D"), GoX509.num(e.getS()));
            return Value.obj(m);
        }
        if (k.getAlgorithm().startsWith("Ed")) {
            byte[] enc = k.getEncoded();
            return GoX509.b64(java.util.Arrays.copyOfRange(enc, enc.length - 32, enc.length));
        }
        return Value.NULL;
    }

    /** The public point d·G of an EC private key (java.security does not expose it). */
    static java.security.spec.ECPoint ecPublic(ECPrivateKey k) {
        java.security.spec.ECParameterSpec p = k.getParams();
        return Ec.multiply(p.getGenerator(), k.getS(), p);
    }

    static Value keypair(String certText, String keyText) {
        List<X509Certificate> certs = certs(certText);
        List<PrivateKey> keys = privateKeys(pemOrBase64(keyText));
        if (keys.isEmpty()) {
            throw BuiltinError.err("tls: failed to find any PEM data in key input");
        }
        PrivateKey key = keys.get(0);
        java.security.PublicKey pub = certs.get(0).getPublicKey();
        boolean match;
        if (key instanceof RSAPrivateCrtKey r && pub instanceof java.security.interfaces.RSAPublicKey rp) {
            match = r.getModulus().equals(rp.getModulus());
        } else if (key instanceof ECPrivateKey e && pub instanceof java.security.interfaces.ECPublicKey ep) {
            match = ecPublic(e).equals(ep.getW());
        } else {
            match = false;
        }
        if (!match) {
            throw BuiltinError.err("tls: private key does not match public key");
        }
        List<Value> ders = new ArrayList<>();
        try {
            for (X509Certificate c : certs) {
                ders.add(GoX509.b64(c.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            throw BuiltinError.err(e.getMessage());
        }
        Map<Value, Value> m = new LinkedHashMap<>();
        m.put(Value.str("Certificate"), Value.arr(ders));
        m.put(Value.str("PrivateKey"), goPrivateKey(key));
        m.put(Value.str("SupportedSignatureAlgorithms"), Value.NULL);
        m.put(Value.str("OCSPStaple"), Value.NULL);
        m.put(Value.str("SignedCertificateTimestamps"), Value.NULL);
        m.put(Value.str("Leaf"), toValue(certs.get(0)));
        return Value.obj(m);
    }
}
