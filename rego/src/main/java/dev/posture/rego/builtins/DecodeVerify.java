package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** io.jwt.decode_verify: RFC 7519 section 7.2 validation against a constraints object. */
final class DecodeVerify {
    private DecodeVerify() {
    }

    /** The parsed constraints; time is in nanoseconds. */
    record Constraints(List<Keys.Jwk> keys, String secret, String alg, String iss, String aud, BigDecimal time) {
    }

    static final Value UNVERIFIED = Value.arr(Value.bool(false), Value.EMPTY_OBJECT, Value.EMPTY_OBJECT);

    static Constraints constraints(Value.Obj o, long now) {
        List<Keys.Jwk> keys = null;
        String secret = "";
        String alg = "";
        String iss = "";
        String aud = "";
        BigDecimal time = null;
        for (var e : o.map().entrySet()) {
            String name = e.getKey() instanceof Value.Str s ? s.value : dev.posture.rego.value.ValueText.json(e.getKey());
            Value v = e.getValue();
            switch (name) {
                case "cert" -> keys = Jwt.verificationKeys(string(v, name));
                case "secret" -> secret = string(v, name);
                case "alg" -> alg = string(v, name);
                case "iss" -> iss = string(v, name);
                case "aud" -> aud = string(v, name);
                case "time" -> {
                    if (!(v instanceof Value.Num n)) {
                        throw BuiltinError.err("time constraint: must be a number");
                    }
                    time = n.big();
                }
                default -> throw BuiltinError.err("unknown token validation constraint: " + name);
            }
        }
        int n = (keys != null ? 1 : 0) + (secret.isEmpty() ? 0 : 1);
        if (n > 1) {
            throw BuiltinError.err("duplicate key constraints");
        }
        if (n < 1) {
            throw BuiltinError.err("no key constraint");
        }
        return new Constraints(keys, secret, alg, iss, aud, time == null ? BigDecimal.valueOf(now) : time);
    }

    private static String string(Value v, String name) {
        if (v instanceof Value.Str s) {
            return s.value;
        }
        throw BuiltinError.err(name + " constraint: must be a string");
    }

    static Value run(String jwt, Value.Obj cons, long now) {
        Constraints c = constraints(cons, now);
        Jwt.Token t;
        Jwt.Header h;
        String current = jwt;
        while (true) {
            t = Jwt.split(current);
            h = Jwt.parseHeader(Jwt.header(t));
            if (!h.valid()) {
                return UNVERIFIED;
            }
            if (h.cty().equals("JWT")) {
                current = new String(Jwt.b64url(t.payload()), StandardCharsets.UTF_8);
                continue;
            }
            break;
        }
        if (!c.alg().isEmpty() && !c.alg().equals(h.alg())) {
            return UNVERIFIED;
        }
        if (!verified(c, h, t)) {
            return UNVERIFIED;
        }
        Value.Obj payload = Jwt.payload(t);
        if (!c.iss().isEmpty() && !(payload.get("iss") instanceof Value.Str s && s.value.equals(c.iss()))) {
            return UNVERIFIED;
        }
        Value aud = payload.get("aud");
        if (aud != null ? !audience(aud, c.aud()) : !c.aud().isEmpty()) {
            return UNVERIFIED;
        }
        BigDecimal nowSeconds = c.time().divide(BigDecimal.valueOf(1_000_000_000L), java.math.MathContext.DECIMAL64);
        Value exp = payload.get("exp");
        if (exp != null) {
            if (!(exp instanceof Value.Num n)) {
                throw BuiltinError.err("exp value must be a number");
            }
            if (nowSeconds.compareTo(n.big()) >= 0) {
                return UNVERIFIED;
            }
        }
        Value nbf = payload.get("nbf");
        if (nbf != null) {
            if (!(nbf instanceof Value.Num n)) {
                throw BuiltinError.err("nbf value must be a number");
            }
            if (nowSeconds.compareTo(n.big()) < 0) {
                return UNVERIFIED;
            }
        }
        return Value.arr(Value.bool(true), h.raw(), payload);
    }

    private static boolean audience(Value aud, String want) {
        if (aud instanceof Value.Str s) {
            return s.value.equals(want);
        }
        if (aud instanceof Value.Arr a) {
            for (Value v : a.items()) {
                if (v instanceof Value.Str s && s.value.equals(want)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean verified(Constraints c, Jwt.Header h, Jwt.Token t) {
        if (!Jwt.ALGS.contains(h.alg())) {
            throw BuiltinError.err("unknown JWS algorithm: " + h.alg());
        }
        byte[] sig = Jwt.b64url(t.signature());
        if (c.keys() != null) {
            if (!h.kid().isEmpty()) {
                for (Keys.Jwk k : c.keys()) {
                    if (k.kid().equals(h.kid())) {
                        return Jwt.quiet(h.alg(), k.key(), t.signingInput(), sig);
                    }
                }
            }
            for (Keys.Jwk k : c.keys()) {
                if ((k.alg().isEmpty() || k.alg().equals(h.alg())) && Jwt.quiet(h.alg(), k.key(), t.signingInput(), sig)) {
                    return true;
                }
            }
            return false;
        }
        try {
            return Jwt.verify(h.alg(), c.secret().getBytes(StandardCharsets.UTF_8), t.signingInput(), sig);
        } catch (Jwt.WrongKey e) {
            throw BuiltinError.err(e.getMessage());
        }
    }
}
