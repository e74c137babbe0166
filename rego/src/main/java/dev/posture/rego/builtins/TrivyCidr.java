package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Trivy's network helpers for its cloud checks: {@code cidr.count_addresses(cidr)} (1 for a single IP, 0 when
 * unparsable, 2^64-1 for a wildcard or past 2^63) and {@code cidr.is_public(cidr)} (an address, or either end of a
 * network, outside the loopback, RFC 1918, link-local, shared and IPv6 unique-local blocks; wildcards are public).
 * Address parsing follows Go's {@code net.ParseIP}/{@code ParseCIDR}, never a DNS lookup. Host-provided like
 * {@link TrivyResult}.
 */
public final class TrivyCidr {
    public static final String COUNT = "cidr.count_addresses";
    public static final String IS_PUBLIC = "cidr.is_public";

    private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final String[] PRIVATE = {
        "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "::1/128", "fe80::/10",
        "fc00::/7", "100.64.0.0/10",
    };

    private TrivyCidr() {
    }

    public static Value count(Value[] args, BuiltinContext ctx) {
        String s = Args.str(args, 0);
        if (isWildcard(s)) {
            return Value.num(new java.math.BigDecimal(MAX_U64));
        }
        if (!s.contains("/")) {
            return Value.num(parseIp(s) == null ? 0 : 1);
        }
        Net n = parseCidr(s);
        if (n == null) {
            return Value.num(0);
        }
        int power = n.ip.length * 8 - n.prefix;
        return power >= 63 ? Value.num(new java.math.BigDecimal(MAX_U64)) : Value.num(1L << power);
    }

    public static Value isPublic(Value[] args, BuiltinContext ctx) {
        String s = Args.str(args, 0);
        if (isWildcard(s)) {
            return Value.bool(true);
        }
        if (s.contains("-")) {
            // Trivy takes each side's text bytes as the address (not a parsed IP), as its Go code does
            String[] parts = s.split("-", -1);
            if (parts.length != 2) {
                return Value.bool(false);
            }
            return Value.bool(!isPrivate(parts[0].strip().getBytes(StandardCharsets.UTF_8))
                    || !isPrivate(parts[1].strip().getBytes(StandardCharsets.UTF_8)));
        }
        if (!s.contains("/")) {
            byte[] ip = parseIp(s);
            return Value.bool(ip != null && !isPrivate(ip));
        }
        Net n = parseCidr(s);
        if (n == null) {
            return Value.bool(false);
        }
        if (!isPrivate(n.addr)) {
            return Value.bool(true);
        }
        byte[] end = n.ip.clone();
        for (int i = 0; i < end.length * 8 - n.prefix; i++) {
            end[end.length - 1 - i / 8] ^= (byte) (1 << (i % 8));
        }
        return Value.bool(!isPrivate(end));
    }

    private static boolean isWildcard(String s) {
        return s.equals("*") || s.equals("internet") || s.equals("any");
    }

    /** Parsed CIDR: the address as written, the masked network and the prefix length. */
    private record Net(byte[] addr, byte[] ip, int prefix) {
    }

    private static Net parseCidr(String s) {
        int slash = s.indexOf('/');
        byte[] addr = parseIp(s.substring(0, slash));
        String p = s.substring(slash + 1);
        if (addr == null || p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
            return null;
        }
        boolean v4 = s.substring(0, slash).indexOf(':') < 0;
        byte[] ip = v4 ? java.util.Arrays.copyOfRange(addr, 12, 16) : addr;
        int prefix = Integer.parseInt(p);
        if (prefix > ip.length * 8) {
            return null;
        }
        byte[] net = ip.clone();
        for (int i = prefix; i < net.length * 8; i++) {
            net[i / 8] &= (byte) ~(0x80 >> (i % 8));
        }
        return new Net(addr, net, prefix);
    }

    /** Go's {@code IPNet.Contains} over the private blocks; {@code ip} is 4 or 16 bytes (other lengths never match). */
    private static boolean isPrivate(byte[] ip) {
        byte[] x = ip;
        if (ip.length == 16 && isV4Mapped(ip)) {
            x = java.util.Arrays.copyOfRange(ip, 12, 16);
        }
        for (String block : PRIVATE) {
            Net n = parseCidr(block);
            if (x.length != n.ip.length) {
                continue;
            }
            boolean in = true;
            for (int i = 0; i < x.length && in; i++) {
                int bits = Math.max(0, Math.min(8, n.prefix - i * 8));
                int mask = (0xff << (8 - bits)) & 0xff;
                in = (x[i] & mask) == (n.ip[i] & mask);
            }
            if (in) {
                return true;
            }
        }
        return false;
    }

    private static boolean isV4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    /** Go's {@code net.ParseIP}: 16 bytes (IPv4 as v4-mapped), or null. */
    static byte[] parseIp(String s) {
        return s.indexOf(':') >= 0 ? parseV6(s) : v4Mapped(parseV4(s));
    }

    private static byte[] v4Mapped(byte[] v4) {
        if (v4 == null) {
            return null;
        }
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }

    private static byte[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || p.length() > 1 && p.charAt(0) == '0') {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    private static byte[] parseV6(String s) {
        byte[] out = new byte[16];
        int ellipsis = -1;
        int at = 0;
        int i = 0;
        if (s.startsWith("::")) {
            ellipsis = 0;
            i = 2;
            if (i == s.length()) {
                return out;
            }
        }
        while (i < s.length()) {
            int j = i;
            while (j < s.length() && Character.digit(s.charAt(j), 16) >= 0) {
                j++;
            }
            if (j < s.length() && s.charAt(j) == '.') {
                // embedded IPv4 in the last 32 bits
                byte[] v4 = ellipsis < 0 && at != 12 ? null : parseV4(s.substring(i));
                if (v4 == null || at > 12) {
                    return null;
                }
                System.arraycopy(v4, 0, out, at, 4);
                at += 4;
                i = s.length();
                break;
            }
            if (j == i || j - i > 4 || at >= 16) {
                return null;
            }
            int v = Integer.parseInt(s.substring(i, j), 16);
            out[at++] = (byte) (v >> 8);
            out[at++] = (byte) v;
            i = j;
            if (i == s.length()) {
                break;
            }
            if (s.charAt(i) != ':' || i + 1 == s.length()) {
                return null;
            }
            i++;
            if (s.charAt(i) == ':') {
                if (ellipsis >= 0) {
                    return null;
                }
                ellipsis = at;
                i++;
                if (i == s.length()) {
                    break;
                }
            }
        }
        if (ellipsis < 0) {
            return at == 16 ? out : null;
        }
        if (at == 16) {
            return null;
        }
        int n = at - ellipsis;
        System.arraycopy(out, ellipsis, out, 16 - n, n);
        java.util.Arrays.fill(out, ellipsis, 16 - n, (byte) 0);
        return out;
    }
}
