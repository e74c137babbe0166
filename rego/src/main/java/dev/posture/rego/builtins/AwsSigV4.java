package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import dev.posture.rego.value.ValueText;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code providers.aws.sign_req(request, aws_config, time_ns)}: AWS Signature Version 4 over an http.send-style
 * request object. Pure (the signing time is an argument), so it runs in the embedded engine even though the signed
 * request can only be sent by http.send.
 */
final class AwsSigV4 {
    private AwsSigV4() {
    }

    private static final List<String> REQUIRED = List.of("aws_access_key", "aws_region", "aws_secret_access_key", "aws_service");
    /** Headers a proxy may rewrite; AWS's own signer leaves them out of the canonical request. */
    private static final Set<String> IGNORED = Set.of("authorization", "user-agent", "x-amzn-trace-id");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    static void register(Registry r) {
        r.add("providers.aws.sign_req", 3, (a, c) -> sign(Args.obj(a, 0), Args.obj(a, 1), a[2]));
    }

    static Value sign(Value.Obj req, Value.Obj cfg, Value time) {
        List<String> missing = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (String k : REQUIRED) {
            Value v = cfg.get(k);
            if (v == null) {
                missing.add(k);
            } else if (!(v instanceof Value.Str)) {
                invalid.add(k);
            }
        }
        if (!missing.isEmpty()) {
            throw BuiltinError.type("operand 2 missing required AWS config parameters(s): " + setText(missing));
        }
        if (!invalid.isEmpty()) {
            throw BuiltinError.type("operand 2 invalid values for required AWS config parameters(s): " + setText(invalid));
        }
        if (!(time instanceof Value.Num n)) {
            throw Args.typeErr(0, "number", time);
        }
        Long ns = n.isInteger() && n.big().abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                ? n.big().longValueExact() : null;
        if (ns == null) {
            throw BuiltinError.type("operand 3 could not convert time_ns value into a unix timestamp");
        }
        Value url = req.get("url");
        Value method = req.get("method");
        if (url == null || method == null) {
            throw BuiltinError.type("operand 1 missing required request parameters(s): " + setText(
                    url == null && method == null ? List.of("method", "url") : List.of(url == null ? "url" : "method")));
        }
        Value hdrs = req.get("headers");
        if (hdrs != null && !(hdrs instanceof Value.Obj)) {
            throw Args.typeErr(-1, "object", hdrs);
        }
        if (!(url instanceof Value.Str) || !(method instanceof Value.Str)) {
            List<String> bad = new ArrayList<>();
            if (!(method instanceof Value.Str)) {
                bad.add("method");
            }
            if (!(url instanceof Value.Str)) {
                bad.add("url");
            }
            throw BuiltinError.type("operand 1 invalid values for required request parameters(s): " + setText(bad));
        }
        boolean unsignedPayload = false;
        Value dps = cfg.get("disable_payload_signing");
        if (dps != null) {
            if (!(dps instanceof Value.Bool b)) {
                throw BuiltinError.type("operand 2 invalid value for 'disable_payload_signing' in AWS config");
            }
            unsignedPayload = b.value;
        }
        URI uri;
        try {
            uri = new URI(((Value.Str) url).value);
        } catch (URISyntaxException e) {
            throw BuiltinError.err("parse \"" + ((Value.Str) url).value + "\": " + e.getReason());
        }
        // Request headers keep their spelling; values that are not strings become "" (as OPA's objectToMap).
        Map<String, String> headers = new LinkedHashMap<>();
        if (hdrs instanceof Value.Obj ho) {
            ho.visit((k, v) -> {
                headers.put(k instanceof Value.Str s ? s.value : "", v instanceof Value.Str s ? s.value : "");
                return false;
            });
        }
        String service = str(cfg, "aws_service");
        String region = str(cfg, "aws_region");
        String token = cfg.get("aws_session_token") instanceof Value.Str s ? s.value : "";
        Instant at = Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
        String day = DAY.format(at);
        String stamp = STAMP.format(at);

        String payloadHash = unsignedPayload ? "UNSIGNED-PAYLOAD" : hex(sha256(body(req)));
        Map<String, String> aws = new LinkedHashMap<>();
        aws.put("host", uri.getRawAuthority() == null ? "" : hostOf(uri.getRawAuthority()));
        aws.put("x-amz-date", stamp);
        if (service.equals("s3") || service.equals("glacier")) {
            aws.put("x-amz-content-sha256", payloadHash);
        }
        if (!token.isEmpty()) {
            aws.put("x-amz-security-token", token);
        }
        TreeMap<String, String> signed = new TreeMap<>(aws);
        headers.forEach((k, v) -> {
            String lk = k.toLowerCase(java.util.Locale.ROOT);
            if (!IGNORED.contains(lk)) {
                signed.put(lk, v);
            }
        });
        StringBuilder canon = new StringBuilder();
        canon.append(((Value.Str) method).value).append('\n');
        canon.append(uri.getRawPath() == null ? "" : uri.getRawPath()).append('\n');
        canon.append(uri.getRawQuery() == null ? "" : uri.getRawQuery()).append('\n');
        signed.forEach((k, v) -> canon.append(k).append(':').append(v).append('\n'));
        canon.append('\n');
        String headerList = String.join(";", signed.keySet());
        canon.append(headerList).append('\n').append(payloadHash);

        String scope = day + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" + hex(sha256(canon.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + str(cfg, "aws_secret_access_key")).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String auth = "AWS4-HMAC-SHA256 Credential=" + str(cfg, "aws_access_key") + "/" + scope + ",SignedHeaders=" + headerList
                + ",Signature=" + hex(hmac(key, toSign));

        LinkedHashMap<Value, Value> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(Value.str(k), Value.str(v)));
        out.put(Value.str("Authorization"), Value.str(auth));
        aws.forEach((k, v) -> out.put(Value.str(k), Value.str(v)));
        LinkedHashMap<Value, Value> result = new LinkedHashMap<>(req.map());
        result.put(Value.str("headers"), Value.obj(out));
        return Value.obj(result);
    }

    /** raw_body wins over body; body is signed as its compact JSON text. */
    private static byte[] body(Value.Obj req) {
        Value raw = req.get("raw_body");
        if (raw != null) {
            return (raw instanceof Value.Str s ? s.value : "").getBytes(StandardCharsets.UTF_8);
        }
        Value body = req.get("body");
        return body == null ? new byte[0] : ValueText.json(body).getBytes(StandardCharsets.UTF_8);
    }

    /** Go's URL.Host: the authority without user information. */
    private static String hostOf(String authority) {
        int at = authority.lastIndexOf('@');
        return at < 0 ? authority : authority.substring(at + 1);
    }

    private static String str(Value.Obj o, String k) {
        return o.get(k) instanceof Value.Str s ? s.value : "";
    }

    private static String setText(List<String> keys) {
        List<String> quoted = new ArrayList<>();
        keys.stream().sorted().forEach(k -> quoted.add("\"" + k + "\""));
        return "{" + String.join(", ", quoted) + "}";
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String msg) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(msg.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
