package dev.posture.rego.builtins;

import java.io.ByteArrayOutputStream;

/**
 * Base64 decoding as Go's encoding/base64 does it with padding (StdEncoding / URLEncoding): padding is required,
 * CR and LF are skipped, and errors name the offending input offset ("illegal base64 data at input byte N").
 * java.util.Base64 is laxer (it accepts missing padding), which would change results.
 */
final class GoBase64 {
    private GoBase64() {
    }

    static byte[] decode(String s, boolean url) {
        byte[] src = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!s.chars().allMatch(ch -> ch < 256)) {
            src = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int si = 0;
        int n = src.length;
        while (true) {
            int[] d = new int[4];
            int j = 0;
            boolean end = false;
            for (; j < 4; j++) {
                if (si == n) {
                    if (j == 0) {
                        return out.toByteArray();
                    }
                    throw err(si - j);
                }
                int c = src[si++] & 0xFF;
                if (c == '\n' || c == '\r') {
                    j--;
                    continue;
                }
                int v = value(c, url);
                if (v >= 0) {
                    d[j] = v;
                    continue;
                }
                if (c != '=') {
                    throw err(si - 1);
                }
                if (j < 2) {
                    throw err(si - 1);
                }
                if (j == 2) {
                    while (si < n && (src[si] == '\n' || src[si] == '\r')) {
                        si++;
                    }
                    if (si == n) {
                        throw err(n);
                    }
                    if (src[si] != '=') {
                        throw err(si - 1);
                    }
                    si++;
                }
                while (si < n && (src[si] == '\n' || src[si] == '\r')) {
                    si++;
                }
                if (si < n) {
                    throw err(si);
                }
                end = true;
                break;
            }
            int bits = d[0] << 18 | d[1] << 12 | d[2] << 6 | d[3];
            int len = end ? j - 1 : 3;
            for (int k = 0; k < len; k++) {
                out.write(bits >> (16 - 8 * k) & 0xFF);
            }
            if (end) {
                return out.toByteArray();
            }
        }
    }

    private static int value(int c, boolean url) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == (url ? '-' : '+')) {
            return 62;
        }
        if (c == (url ? '_' : '/')) {
            return 63;
        }
        return -1;
    }

    private static BuiltinError err(int at) {
        return BuiltinError.err("illegal base64 data at input byte " + at);
    }
}
