package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.str;

import dev.posture.rego.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** net.cidr_expand, net.cidr_merge, net.cidr_contains_matches and the deprecated net.cidr_overlap. */
final class NetCidr {
    private NetCidr() {
    }

    /** Hosts net.cidr_expand will list before refusing (OPA would try and exhaust memory). */
    static final int EXPAND_LIMIT = 1 << 20;

    static void register(Registry r) {
        r.add("net.cidr_expand", 1, (a, c) -> expand(str(a, 0)));
        r.add("net.cidr_merge", 1, (a, c) -> merge(a[0]));
        r.add("net.cidr_contains_matches", 2, (a, c) -> containsMatches(a[0], a[1]));
        r.add("net.cidr_overlap", 2, (a, c) -> {
            Misc.Cidr net = Misc.cidr(str(a, 0));
            byte[] ip = Misc.addr(str(a, 1));
            return Value.bool(net.addr().length == ip.length && Misc.prefixEq(net.addr(), ip, net.prefix()));
        });
    }

    static Value expand(String s) {
        Misc.Cidr c = Misc.cidr(s);
        int bits = c.addr().length * 8;
        int hostBits = bits - c.prefix();
        if (hostBits > 20) {
            throw BuiltinError.err("CIDR " + s + " has more than " + EXPAND_LIMIT + " addresses");
        }
        BigInteger base = network(c);
        Set<Value> out = new LinkedHashSet<>();
        for (long i = 0; i < (1L << hostBits); i++) {
            out.add(Value.str(text(base.add(BigInteger.valueOf(i)), c.addr().length)));
        }
        return new Value.SetV(out);
    }

    static BigInteger network(Misc.Cidr c) {
        int bits = c.addr().length * 8;
        BigInteger v = new BigInteger(1, c.addr());
        return v.shiftRight(bits - c.prefix()).shiftLeft(bits - c.prefix());
    }

    static String text(BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        byte[] b = new byte[len];
        int n = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - n, b, len - n, n);
        if (len == 4) {
            return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
        }
        return ipv6(b);
    }

    /** RFC 5952 text, as Go's net.IP.String writes it. */
    static String ipv6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** An inclusive address range of one IP family. */
    record Range(BigInteger lo, BigInteger hi, int len) {
    }

    static Value merge(Value in) {
        List<Value> items;
        if (in instanceof Value.Arr a) {
            items = a.items();
        } else if (in instanceof Value.SetV s) {
            items = new ArrayList<>(s.items());
        } else {
            throw Args.typeErr(0, "one of {array, set}", in);
        }
        List<Range> v4 = new ArrayList<>();
        List<Range> v6 = new ArrayList<>();
        for (Value v : items) {
            if (!(v instanceof Value.Str s)) {
                throw BuiltinError.err("element must be string");
            }
            Misc.Cidr c;
            if (s.value.contains("/")) {
                c = Misc.cidr(s.value);
            } else {
                byte[] ip = Misc.addr(s.value);
                if (ip.length != 4) {
                    throw BuiltinError.err("IPv6 invalid: needs prefix length");
                }
                c = new Misc.Cidr(ip, 32);
            }
            BigInteger lo = network(c);
            int bits = c.addr().length * 8;
            BigInteger hi = lo.add(BigInteger.ONE.shiftLeft(bits - c.prefix())).subtract(BigInteger.ONE);
            (c.addr().length == 4 ? v4 : v6).add(new Range(lo, hi, c.addr().length));
        }
        Set<Value> out = new LinkedHashSet<>();
        for (List<Range> fam : List.of(v4, v6)) {
            fam.sort((x, y) -> x.lo.compareTo(y.lo));
            Range cur = null;
            for (Range rg : fam) {
                if (cur != null && rg.lo.compareTo(cur.hi.add(BigInteger.ONE)) <= 0) {
                    cur = new Range(cur.lo, cur.hi.max(rg.hi), cur.len);
                } else {
                    if (cur != null) {
                        cidrs(cur, out);
                    }
                    cur = rg;
                }
            }
            if (cur != null) {
                cidrs(cur, out);
            }
        }
        return new Value.SetV(out);
    }

    /** The fewest CIDR blocks covering exactly the range. */
    private static void cidrs(Range r, Set<Value> out) {
        int bits = r.len * 8;
        BigInteger lo = r.lo;
        while (lo.compareTo(r.hi) <= 0) {
            int size = lo.signum() == 0 ? bits : Math.min(lo.getLowestSetBit(), bits);
            while (size > 0 && lo.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(r.hi) > 0) {
                size--;
            }
            out.add(Value.str(text(lo, r.len) + "/" + (bits - size)));
            lo = lo.add(BigInteger.ONE.shiftLeft(size));
        }
    }

    /** (cidr, key) pairs of a contains_matches operand: a string, or a collection of strings / [cidr, …] tuples. */
    static List<Value[]> operand(int i, Value v) {
        List<Value[]> out = new ArrayList<>();
        if (v instanceof Value.Str) {
            out.add(new Value[] {v, v});
        } else if (v instanceof Value.Arr a) {
            for (int k = 0; k < a.size(); k++) {
                out.add(new Value[] {matchTerm(i, a.get(k)), Value.num(k)});
            }
        } else if (v instanceof Value.SetV s) {
            for (Value x : s.items()) {
                out.add(new Value[] {matchTerm(i, x), x});
            }
        } else if (v instanceof Value.Obj o) {
            for (Map.Entry<Value, Value> e : o.map().entrySet()) {
                out.add(new Value[] {matchTerm(i, e.getValue()), e.getKey()});
            }
        } else {
            throw Args.typeErr(i, "one of {array, object, set, string}", v);
        }
        return out;
    }

    private static Value matchTerm(int i, Value v) {
        if (v instanceof Value.Str) {
            return v;
        }
        if (v instanceof Value.Arr a && a.size() > 0) {
            return a.get(0);
        }
        throw BuiltinError.err("operand " + (i + 1) + ": element must be string or non-empty array");
    }

    static Value containsMatches(Value x, Value y) {
        List<Value[]> nets = operand(0, x);
        List<Value[]> ips = operand(1, y);
        Set<Value> out = new LinkedHashSet<>();
        for (Value[] n : nets) {
            if (!(n[0] instanceof Value.Str ns)) {
                throw BuiltinError.err("operand 1: expected string but got " + n[0].typeName());
            }
            Misc.Cidr net = Misc.cidr(ns.value);
            for (Value[] ip : ips) {
                if (!(ip[0] instanceof Value.Str is)) {
                    throw BuiltinError.err("operand 2: expected string but got " + ip[0].typeName());
                }
                Misc.Cidr other = is.value.contains("/") ? Misc.cidr(is.value) : host(is.value);
                if (net.addr().length == other.addr().length && other.prefix() >= net.prefix()
                        && Misc.prefixEq(net.addr(), other.addr(), net.prefix())) {
                    out.add(Value.arr(n[1], ip[1]));
                }
            }
        }
        return new Value.SetV(out);
    }

    private static Misc.Cidr host(String s) {
        byte[] b = Misc.addr(s);
        return new Misc.Cidr(b, b.length * 8);
    }
}
