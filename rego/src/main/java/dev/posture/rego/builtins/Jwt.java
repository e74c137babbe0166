package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.str;

import dev.posture.rego.value.Value;
import dev.posture.rego.value.ValueText;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** io.jwt.*: decoding, signature verification (HS/RS/PS/ES/EdDSA), decode_verify and signing. */
final class Jwt {
    private Jwt() {
    }

    /** The three compact-serialisation sections, still encoded. */
    record Token(String header, String payload, String signature) {
        byte[] signingInput() {
            return (header + "." + payload).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The header fields decode_verify and the verifiers look at. */
    record Header(Value.Obj raw, String alg, String kid, String cty, boolean valid) {
    }

    static final Set<String> UNDERSTOOD = Set.of("alg", "kid", "typ", "cty", "crit", "jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256");

    static void register(Registry r) {
        r.add("io.jwt.decode", 1, (a, c) -> decode(str(a, 0)));
        for (String bits : List.of("256", "384", "512")) {
            r.add("io.jwt.verify_hs" + bits, 2, (a, c) -> {
                Token t = split(str(a, 0));
                String secret = str(a, 1);
                byte[] sig = b64url(t.signature);
                return Value.bool(MessageDigest.isEqual(sig, hmac("HS" + bits, secret.getBytes(StandardCharsets.UTF_8), t.signingInput())));
            });
            for (String fam : List.of("RS", "PS", "ES")) {
                r.add("io.jwt.verify_" + fam.toLowerCase() + bits, 2, (a, c) -> verifyAsym(fam + bits, str(a, 0), str(a, 1)));
            }
        }
        r.add("io.jwt.verify_eddsa", 2, (a, c) -> verifyAsym("EdDSA", str(a, 0), str(a, 1)));
        r.add("io.jwt.decode_verify", 2, (a, c) -> DecodeVerify.run(str(a, 0), Args.obj(a, 1), c.nowNanos));
        r.add("io.jwt.encode_sign_raw", 3, (a, c) -> Value.str(sign(str(a, 0), str(a, 1), str(a, 2))));
        r.add("io.jwt.encode_sign", 3, (a, c) -> Value.str(sign(ValueText.json(Args.obj(a, 0)), ValueText.json(Args.obj(a, 1)),
                ValueText.json(Args.obj(a, 2)))));
    }

    static Token split(String s) {
        if (!s.contains(".")) {
            throw BuiltinError.err("encoded JWT had no period separators");
        }
        String[] p = s.split("\\.", -1);
        if (p.length != 3) {
            throw BuiltinError.err("encoded JWT must have 3 sections, found " + p.length);
        }
        return new Token(p[0], p[1], p[2]);
    }

    /** base64url as OPA's base64url.decode reads it: padding optional. */
    static byte[] b64url(String s) {
        return Encoding.base64url(s);
    }

    static Value.Obj jsonObject(byte[] b, String what) {
        Value v;
        try {
            v = Encoding.parseJson(new String(b, StandardCharsets.UTF_8));
        } catch (BuiltinError e) {
            throw BuiltinError.err(what + "invalid JSON: " + e.getMessage());
        }
        if (!(v instanceof Value.Obj o)) {
            throw BuiltinError.err(what + "decoded JSON type was not an Object");
        }
        return o;
    }

    static Value.Obj header(Token t) {
        byte[] h;
        try {
            h = b64url(t.header);
        } catch (BuiltinError e) {
            throw BuiltinError.err("JWT header had invalid encoding: " + e.getMessage());
        }
        Value.Obj o = jsonObject(h, "bad JWT header: ");
        if (o.get("enc") != null) {
            throw BuiltinError.err("JWT is a JWE object, which is not supported");
        }
        return o;
    }

    static Value.Obj payload(Token t) {
        byte[] p;
        try {
            p = b64url(t.payload);
        } catch (BuiltinError e) {
            throw BuiltinError.err("JWT payload had invalid encoding: " + e.getMessage());
        }
        return jsonObject(p, "");
    }

    static Value decode(String jwt) {
        Token t = split(jwt);
        Value.Obj h = header(t);
        byte[] p;
        try {
            p = b64url(t.payload);
        } catch (BuiltinError e) {
            throw BuiltinError.err("JWT payload had invalid encoding: " + e.getMessage());
        }
        if (h.get("cty") instanceof Value.Str cty && cty.value.equals("JWT")) {
            // a nested token: decode the inner one (jwt.io quotes it, so surrounding quotes are dropped, as in OPA)
            return decode(new String(p, StandardCharsets.UTF_8).replaceAll("^[\"']+|[\"']+$", ""));
        }
        Value.Obj payload = jsonObject(p, "");
        return Value.arr(h, payload, Value.str(Encoding.hex(b64url(t.signature))));
    }

    static Header parseHeader(Value.Obj h) {
        String alg = "";
        String kid = "";
        String cty = "";
        boolean valid = true;
        for (var e : h.map().entrySet()) {
            String k = e.getKey() instanceof Value.Str s ? s.value : "";
            Value v = e.getValue();
            switch (k) {
                case "alg" -> alg = headerString(v, k);
                case "kid" -> kid = headerString(v, k);
                case "cty" -> cty = headerString(v, k);
                case "typ" -> headerString(v, k);
                case "crit" -> {
                    if (!(v instanceof Value.Arr arr) || arr.size() == 0) {
                        throw BuiltinError.err("invalid JWT header: crit must be a non-empty array");
                    }
                    for (Value c : arr.items()) {
                        if (!(c instanceof Value.Str cs)) {
                            throw BuiltinError.err("invalid JWT header: crit must be an array of strings");
                        }
                        if (!UNDERSTOOD.contains(cs.value)) {
                            valid = false;
                        }
                    }
                }
                default -> {
                }
            }
        }
        return new Header(h, alg, kid, cty, valid && !alg.isEmpty());
    }

    private static String headerString(Value v, String k) {
        if (v instanceof Value.Str s) {
            return s.value;
        }
        throw BuiltinError.err("invalid JWT header: " + k + " must be a string");
    }

    static byte[] hmac(String alg, byte[] key, byte[] data) {
        try {
            String mac = "HmacSHA" + alg.substring(2);
            javax.crypto.Mac m = javax.crypto.Mac.getInstance(mac);
            // SecretKeySpec rejects empty keys; HMAC zero-pads keys, so "" and "\0" give the same MAC
            m.init(new javax.crypto.spec.SecretKeySpec(key.length == 0 ? new byte[] {0} : key, mac));
            return m.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw BuiltinError.err(e.getMessage());
        }
    }

    /** Keys from a PEM certificate, a PEM public key, or a JWK / JWK set. */
    static List<Keys.Jwk> verificationKeys(String s) {
        if (s.contains("-----BEGIN ")) {
            List<Keys.Pem> blocks = Keys.pemBlocks(s);
            if (!blocks.isEmpty()) {
                if (!Keys.afterFirstPem(s).isEmpty()) {
                    throw BuiltinError.err("extra data after a PEM certificate block");
                }
                Keys.Pem p = blocks.get(0);
                try {
                    if (p.type().equals("CERTIFICATE")) {
                        return List.of(new Keys.Jwk(Keys.certificate(p.der()).getPublicKey(), "", "", ""));
                    }
                    if (p.type().equals("PUBLIC KEY")) {
                        return List.of(new Keys.Jwk(Keys.publicKey(p.der()), "", "", ""));
                    }
                } catch (GeneralSecurityException e) {
                    throw BuiltinError.err("failed to parse a PEM " + (p.type().equals("CERTIFICATE") ? "certificate" : "public key") + ": "
                            + e.getMessage());
                }
                throw BuiltinError.err("failed to extract a Key from the PEM certificate");
            }
        }
        try {
            return Keys.jwks(s);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw BuiltinError.err("failed to parse a JWK key (set): " + e.getMessage());
        }
    }

    static Value verifyAsym(String alg, String jwt, String keyText) {
        Token t = split(jwt);
        List<Keys.Jwk> keys = verificationKeys(keyText);
        byte[] sig = b64url(t.signature);
        Header h = parseHeader(header(t));
        if (!h.kid().isEmpty()) {
            for (Keys.Jwk k : keys) {
                if (k.kid().equals(h.kid())) {
                    return Value.bool(quiet(alg, k.key(), t.signingInput(), sig));
                }
            }
        }
        for (Keys.Jwk k : keys) {
            if (!k.alg().isEmpty() && !k.alg().equals(h.alg())) {
                continue;
            }
            if (quiet(alg, k.key(), t.signingInput(), sig)) {
                return Value.bool(true);
            }
        }
        return Value.bool(false);
    }

    static final Set<String> ALGS = Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
            "ES384", "ES512", "EdDSA");

    /** Thrown when a key of the wrong kind is used (OPA reports these as errors, not as a failed check). */
    static final class WrongKey extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrongKey(String m) {
            super(m, null, false, false);
        }
    }

    /** Like verify, but a key of the wrong kind just fails to verify. */
    static boolean quiet(String alg, Object key, byte[] data, byte[] sig) {
        try {
            return verify(alg, key, data, sig);
        } catch (WrongKey e) {
            return false;
        }
    }

    /** True when the signature verifies; throws WrongKey when the key cannot be used with the algorithm. */
    static boolean verify(String alg, Object key, byte[] data, byte[] sig) {
        try {
            String bits = alg.length() > 2 ? alg.substring(2) : "";
            switch (alg.substring(0, 2)) {
                case "HS" -> {
                    if (!(key instanceof byte[] secret)) {
                        throw new WrongKey("incorrect symmetric key type");
                    }
                    return MessageDigest.isEqual(sig, hmac(alg, secret, data));
                }
                case "RS" -> {
                    if (!(key instanceof RSAPublicKey pk)) {
                        throw new WrongKey("incorrect public key type");
                    }
                    Signature s = Signature.getInstance("SHA" + bits + "withRSA");
                    s.initVerify(pk);
                    s.update(data);
                    return s.verify(sig);
                }
                case "PS" -> {
                    if (!(key instanceof RSAPublicKey pk)) {
                        throw new WrongKey("incorrect public key type");
                    }
                    return Pss.verify(pk, "SHA-" + bits, data, sig);
                }
                case "ES" -> {
                    if (!(key instanceof java.security.interfaces.ECPublicKey pk)) {
                        throw new WrongKey("incorrect public key type");
                    }
                    int n = (pk.getParams().getCurve().getField().getFieldSize() + 7) / 8;
                    if (sig.length != 2 * n) {
                        return false;
                    }
                    Signature s = Signature.getInstance("SHA" + bits + "withECDSAinP1363Format");
                    s.initVerify(pk);
                    s.update(data);
                    return s.verify(sig);
                }
                case "Ed" -> {
                    if (!(key instanceof PublicKey pk) || !pk.getAlgorithm().startsWith("Ed")) {
                        throw new WrongKey("incorrect public key type");
                    }
                    Signature s = Signature.getInstance("Ed25519");
                    s.initVerify(pk);
                    s.update(data);
                    return s.verify(sig);
                }
                default -> throw BuiltinError.err("unknown JWS algorithm: " + alg);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Compact JWS over the literal header and payload texts (io.jwt.encode_sign_raw). */
    static String sign(String header, String payload, String jwk) {
        Keys.Jwk key;
        try {
            List<Keys.Jwk> ks = Keys.jwks(jwk);
            if (ks.isEmpty()) {
                throw BuiltinError.err("failed to parse JWK: no keys");
            }
            key = ks.get(0);
        } catch (GeneralSecurityException e) {
            throw BuiltinError.err(e.getMessage());
        }
        Value hv;
        try {
            hv = Encoding.parseJson(header);
        } catch (BuiltinError e) {
            throw BuiltinError.err("missing or invalid 'alg' header: cannot parse JSON: " + goJsonError(header));
        }
        if (!(hv instanceof Value.Obj ho) || !(ho.get("alg") instanceof Value.Str algStr)) {
            throw BuiltinError.err("unsupported signature algorithm");
        }
        String alg = algStr.value;
        if (!ALGS.contains(alg)) {
            throw BuiltinError.err("unknown JWS algorithm: " + alg);
        }
        String typ = ho.get("typ") instanceof Value.Str s ? s.value : "";
        if ((typ.isEmpty() || typ.equals("JWT")) && !validJson(payload)) {
            throw BuiltinError.err("type is JWT but payload is not JSON");
        }
        Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
        String input = enc.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + enc.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        byte[] data = input.getBytes(StandardCharsets.UTF_8);
        return input + "." + enc.encodeToString(signBytes(alg, key.key(), data));
    }

    /** Roughly Go's encoding/json wording for the first offending character. */
    static String goJsonError(String s) {
        if (s.isBlank()) {
            return "cannot parse empty string";
        }
        try {
            Encoding.JSON.readTree(s);
            return "invalid JSON";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
            if (at >= 0) {
                int i = (int) Math.min(at, s.length() - 1);
                // Jackson reports the position after the offending token; step back onto it
                while (i > 0 && (i >= s.length() || Character.isWhitespace(s.charAt(i)))) {
                    i--;
                }
                return "invalid character '" + s.charAt(i) + "' looking for beginning of value";
            }
            return "unexpected end of JSON input";
        }
    }

    private static boolean validJson(String s) {
        try {
            Encoding.parseJson(s);
            return true;
        } catch (BuiltinError e) {
            return false;
        }
    }

    static byte[] signBytes(String alg, Object key, byte[] data) {
        String bits = alg.substring(2);
        try {
            switch (alg.substring(0, 2)) {
                case "HS" -> {
                    if (!(key instanceof byte[] secret)) {
                        throw BuiltinError.err("invalid key type for HMAC signing");
                    }
                    return hmac(alg, secret, data);
                }
                case "RS", "PS" -> {
                    if (!(key instanceof java.security.interfaces.RSAPrivateKey pk)) {
                        throw BuiltinError.err("invalid key type for RSA signing");
                    }
                    Signature s;
                    if (alg.startsWith("PS")) {
                        s = Signature.getInstance("RSASSA-PSS");
                        int h = Integer.parseInt(bits) / 8;
                        s.setParameter(new PSSParameterSpec("SHA-" + bits, "MGF1", new MGF1ParameterSpec("SHA-" + bits), h, 1));
                    } else {
                        s = Signature.getInstance("SHA" + bits + "withRSA");
                    }
                    s.initSign(pk);
                    s.update(data);
                    return s.sign();
                }
                case "ES" -> {
                    if (!(key instanceof java.security.interfaces.ECPrivateKey pk)) {
                        throw BuiltinError.err("invalid key type for ECDSA signing");
                    }
                    Signature s = Signature.getInstance("SHA" + bits + "withECDSAinP1363Format");
                    s.initSign(pk);
                    s.update(data);
                    return s.sign();
                }
                default -> {
                    if (!(key instanceof PrivateKey pk) || !pk.getAlgorithm().startsWith("Ed")) {
                        throw BuiltinError.err("invalid key type for EdDSA signing");
                    }
                    Signature s = Signature.getInstance("Ed25519");
                    s.initSign(pk);
                    s.update(data);
                    return s.sign();
                }
            }
        } catch (GeneralSecurityException e) {
            throw BuiltinError.err("failed to sign payload: " + e.getMessage());
        }
    }

    /** RSASSA-PSS verification that, like Go's PSSSaltLengthAuto, accepts any salt length. */
    static final class Pss {
        private Pss() {
        }

        static boolean verify(RSAPublicKey pk, String hashAlg, byte[] data, byte[] sig) throws GeneralSecurityException {
            MessageDigest md = MessageDigest.getInstance(hashAlg);
            byte[] mHash = md.digest(data);
            int hLen = mHash.length;
            int modBits = pk.getModulus().bitLength();
            int k = (modBits + 7) / 8;
            if (sig.length != k) {
                return false;
            }
            BigInteger s = new BigInteger(1, sig);
            if (s.compareTo(pk.getModulus()) >= 0) {
                return false;
            }
            int emBits = modBits - 1;
            int emLen = (emBits + 7) / 8;
            byte[] m = s.modPow(pk.getPublicExponent(), pk.getModulus()).toByteArray();
            byte[] em = new byte[emLen];
            if (m.length > emLen) {
                int extra = m.length - emLen;
                for (int i = 0; i < extra; i++) {
                    if (m[i] != 0) {
                        return false;
                    }
                }
                System.arraycopy(m, extra, em, 0, emLen);
            } else {
                System.arraycopy(m, 0, em, emLen - m.length, m.length);
            }
            if (emLen < hLen + 2 || em[emLen - 1] != (byte) 0xbc) {
                return false;
            }
            byte[] maskedDb = Arrays.copyOfRange(em, 0, emLen - hLen - 1);
            byte[] h = Arrays.copyOfRange(em, emLen - hLen - 1, emLen - 1);
            int zeroBits = 8 * emLen - emBits;
            if ((maskedDb[0] & (0xFF << (8 - zeroBits)) & 0xFF) != 0) {
                return false;
            }
            byte[] db = mgf1(md, h, maskedDb.length);
            for (int i = 0; i < db.length; i++) {
                db[i] ^= maskedDb[i];
            }
            db[0] &= (byte) (0xFF >>> zeroBits);
            int i = 0;
            while (i < db.length && db[i] == 0) {
                i++;
            }
            if (i == db.length || db[i] != 1) {
                return false;
            }
            byte[] salt = Arrays.copyOfRange(db, i + 1, db.length);
            md.reset();
            md.update(new byte[8]);
            md.update(mHash);
            md.update(salt);
            return MessageDigest.isEqual(md.digest(), h);
        }

        private static byte[] mgf1(MessageDigest md, byte[] seed, int len) {
            byte[] out = new byte[len];
            int done = 0;
            for (int c = 0; done < len; c++) {
                md.reset();
                md.update(seed);
                md.update(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
                byte[] d = md.digest();
                int n = Math.min(d.length, len - done);
                System.arraycopy(d, 0, out, done, n);
                done += n;
            }
            return out;
        }
    }
}
