package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.str;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import dev.posture.rego.value.ValueText;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/** JSON/YAML, base64, hex, URL query and hash builtins. */
final class Encoding {
    private Encoding() {
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // a string that reads as a number keeps its quotes, as in Go's YAML output ("1", not 1)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static {
        JSON.configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, false);
    }

    static Value parseJson(String s) {
        try {
            JsonNode n = JSON.readTree(s);
            if (n == null || n.isMissingNode()) {
                throw BuiltinError.err("unexpected end of JSON input");
            }
            return Json.fromJson(n);
        } catch (java.io.IOException e) {
            throw BuiltinError.err(firstLine(String.valueOf(e.getMessage())));
        }
    }

    static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    static void validateYaml(String s) {
        try (com.fasterxml.jackson.databind.MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(s)) {
            while (it.hasNextValue()) {
                it.nextValue();
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw BuiltinError.err("yaml: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    static Value parseYaml(String s) {
        try {
            JsonNode n = YAML.readTree(s);
            if (n == null || n.isMissingNode()) {
                return Value.NULL;
            }
            return Json.fromJson(n);
        } catch (java.io.IOException e) {
            throw BuiltinError.err("yaml: " + firstLine(e.getMessage()));
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }

    static Value digest(String alg, String s) {
        try {
            return Value.str(hex(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8))));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw BuiltinError.err(e.getMessage());
        }
    }

    static Value hmac(String alg, String msg, String key) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance(alg);
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), alg));
            return Value.str(hex(mac.doFinal(msg.getBytes(StandardCharsets.UTF_8))));
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw BuiltinError.err(e.getMessage());
        }
    }
    /** OPA's base64url.decode: missing padding is added back (RFC 7515 appendix C), then Go's URLEncoding decodes. */
    static byte[] base64url(String s) {
        String t = s;
        if (!t.endsWith("=")) {
            switch (t.length() % 4) {
                case 0 -> {
                }
                case 2 -> t += "==";
                case 3 -> t += "=";
                default -> throw BuiltinError.err("illegal base64url string: " + s);
            }
        }
        return GoBase64.decode(t, true);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static void register(Registry r) {
        // a value holding one sub-value many times serializes to its expanded size: charged before writing
        r.add("json.marshal", 1, (a, c) -> {
            c.charge(2 * ValueText.expandedLength(a[0]));
            return Value.str(ValueText.json(a[0]));
        });
        r.add("json.marshal_with_options", 2, (a, c) -> {
            Value.Obj o = Args.obj(a, 1);
            boolean pretty = o.get("pretty") instanceof Value.Bool b ? b.value : o.get("indent") != null || o.get("prefix") != null;
            c.charge(2 * ValueText.expandedLength(a[0]));
            if (!pretty) {
                return Value.str(ValueText.json(a[0]));
            }
            String indent = o.get("indent") instanceof Value.Str s ? s.value : "\t";
            String prefix = o.get("prefix") instanceof Value.Str s ? s.value : "";
            StringBuilder sb = new StringBuilder();
            pretty(a[0], sb, prefix, indent, 0, c);
            return Value.str(prefix + sb);
        });
        r.add("json.unmarshal", 1, (a, c) -> parseJson(str(a, 0)));
        r.add("json.is_valid", 1, (a, c) -> {
            if (!(a[0] instanceof Value.Str s)) {
                return Value.bool(false);
            }
            try {
                parseJson(s.value);
                return Value.bool(true);
            } catch (BuiltinError e) {
                return Value.bool(false);
            }
        });
        r.add("yaml.marshal", 1, (a, c) -> {
            try {
                // a Jackson tree of the expanded value, then its text
                c.charge(8 * ValueText.expandedLength(a[0]));
                return Value.str(YAML.writeValueAsString(Json.toJson(a[0])));
            } catch (java.io.IOException e) {
                throw BuiltinError.err(e.getMessage());
            }
        });
        r.add("yaml.unmarshal", 1, (a, c) -> parseYaml(str(a, 0)));
        r.add("yaml.is_valid", 1, (a, c) -> {
            if (!(a[0] instanceof Value.Str s)) {
                return Value.bool(false);
            }
            try {
                validateYaml(s.value);
                return Value.bool(true);
            } catch (BuiltinError e) {
                return Value.bool(false);
            }
        });
        r.add("base64.encode", 1, (a, c) -> Value.str(Base64.getEncoder().encodeToString(str(a, 0).getBytes(StandardCharsets.UTF_8))));
        r.add("base64.decode", 1, (a, c) -> Value.str(utf8(GoBase64.decode(str(a, 0), false))));
        r.add("base64.is_valid", 1, (a, c) -> {
            try {
                GoBase64.decode(str(a, 0), false);
                return Value.bool(true);
            } catch (BuiltinError e) {
                return Value.bool(false);
            }
        });
        r.add("base64url.encode", 1, (a, c) -> Value.str(Base64.getUrlEncoder().encodeToString(str(a, 0).getBytes(StandardCharsets.UTF_8))));
        r.add("base64url.encode_no_pad", 1,
                (a, c) -> Value.str(Base64.getUrlEncoder().withoutPadding().encodeToString(str(a, 0).getBytes(StandardCharsets.UTF_8))));
        r.add("base64url.decode", 1, (a, c) -> Value.str(utf8(base64url(str(a, 0)))));
        r.add("hex.encode", 1, (a, c) -> Value.str(hex(str(a, 0).getBytes(StandardCharsets.UTF_8))));
        r.add("hex.decode", 1, (a, c) -> {
            byte[] in = str(a, 0).getBytes(StandardCharsets.UTF_8);
            byte[] b = new byte[in.length / 2];
            for (int i = 0; i < in.length; i++) {
                int ch = in[i] & 0xff;
                int d = ch < 128 ? Character.digit(ch, 16) : -1;
                if (d < 0) {
                    // Go's hex.InvalidByteError text: the byte as %#U (quoted only when printable)
                    boolean printable = ch >= 0x20 && ch != 0x7f && (ch < 0x80 || ch > 0xa0);
                    throw BuiltinError.err(String.format("encoding/hex: invalid byte: U+%04X", ch) + (printable ? " '" + (char) ch + "'" : ""));
                }
                if (i / 2 < b.length) {
                    b[i / 2] = (byte) (b[i / 2] << 4 | d);
                }
            }
            if (in.length % 2 != 0) {
                throw BuiltinError.err("encoding/hex: odd length hex string");
            }
            return Value.str(utf8(b));
        });
        r.add("urlquery.encode", 1, (a, c) -> Value.str(queryEscape(str(a, 0))));
        r.add("urlquery.decode", 1, (a, c) -> {
            try {
                return Value.str(URLDecoder.decode(str(a, 0), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw BuiltinError.err("invalid URL escape");
            }
        });
        r.add("urlquery.encode_object", 1, (a, c) -> {
            Value.Obj o = Args.obj(a, 0);
            StringBuilder sb = new StringBuilder();
            for (Value k : o.sortedKeys()) {
                String ks = queryEscape(Strings.text(k));
                Value v = o.get(k);
                List<Value> vals = v instanceof Value.Arr arr ? arr.items() : v instanceof Value.SetV s ? s.sorted() : List.of(v);
                for (Value x : vals) {
                    if (sb.length() > 0) {
                        sb.append('&');
                    }
                    sb.append(ks).append('=').append(queryEscape(Strings.text(x)));
                }
            }
            return Value.str(sb.toString());
        });
        r.add("crypto.md5", 1, (a, c) -> digest("MD5", str(a, 0)));
        r.add("crypto.sha1", 1, (a, c) -> digest("SHA-1", str(a, 0)));
        r.add("crypto.sha256", 1, (a, c) -> digest("SHA-256", str(a, 0)));
        r.add("crypto.hmac.md5", 2, (a, c) -> hmac("HmacMD5", str(a, 0), str(a, 1)));
        r.add("crypto.hmac.sha1", 2, (a, c) -> hmac("HmacSHA1", str(a, 0), str(a, 1)));
        r.add("crypto.hmac.sha256", 2, (a, c) -> hmac("HmacSHA256", str(a, 0), str(a, 1)));
        r.add("crypto.hmac.sha512", 2, (a, c) -> hmac("HmacSHA512", str(a, 0), str(a, 1)));
        r.add("crypto.hmac.equal", 2, (a, c) -> Value.bool(MessageDigest.isEqual(str(a, 0).getBytes(StandardCharsets.UTF_8),
                str(a, 1).getBytes(StandardCharsets.UTF_8))));
    }

    static void pretty(Value v, StringBuilder sb, String prefix, String indent, int level, BuiltinContext c) {
        // every line repeats the prefix and the indentation of its depth: counted per line
        c.charge(4L * (prefix.length() + (long) indent.length() * (level + 1) + 1));
        String nl = "\n" + prefix + indent.repeat(level + 1);
        String end = "\n" + prefix + indent.repeat(level);
        if (v instanceof Value.Arr || v instanceof Value.SetV) {
            List<Value> items = v instanceof Value.Arr a ? a.items() : ((Value.SetV) v).sorted();
            if (items.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            for (int i = 0; i < items.size(); i++) {
                sb.append(i > 0 ? "," : "").append(nl);
                c.charge(2L * nl.length());
                pretty(items.get(i), sb, prefix, indent, level + 1, c);
            }
            sb.append(end).append(']');
        } else if (v instanceof Value.Obj o) {
            if (o.size() == 0) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            int i = 0;
            for (Value k : o.sortedKeys()) {
                sb.append(i++ > 0 ? "," : "").append(nl);
                c.charge(2L * nl.length());
                ValueText.quote(k instanceof Value.Str s ? s.value : ValueText.json(k), sb);
                sb.append(": ");
                pretty(o.get(k), sb, prefix, indent, level + 1, c);
            }
            sb.append(end).append('}');
        } else {
            ValueText.writeJson(v, sb);
        }
    }
    /** Go's url.QueryEscape: unreserved bytes (letters, digits, - _ . ~) stay, space becomes +, the rest %XX. */
    static String queryEscape(String in) {
        StringBuilder sb = new StringBuilder(in.length() + 8);
        for (byte b : in.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '~')) {
                sb.append((char) c);
            } else if (c == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
