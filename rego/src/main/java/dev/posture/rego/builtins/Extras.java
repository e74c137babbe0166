package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.str;

import dev.posture.rego.value.Value;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.google.re2j.Pattern;

/** uuid.*, rand.intn, urlquery.decode_object, graph.reachable_paths, regex.template_match. */
final class Extras {
    private Extras() {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    static void register(Registry r) {
        // Like OPA, random results are memoised per query so that repeated calls with the same arguments agree.
        r.add("uuid.rfc4122", 1, (a, c) -> (Value) c.cache.computeIfAbsent("uuid.rfc4122\u0000" + str(a, 0), k -> Value.str(uuid4())));
        r.add("uuid.parse", 1, (a, c) -> a[0] instanceof Value.Str s ? Uuid.parse(s.value) : null);
        r.add("rand.intn", 2, (a, c) -> {
            String key = str(a, 0);
            long n = Args.longArg(a, 1);
            return (Value) c.cache.computeIfAbsent("rand.intn\u0000" + key + "\u0000" + n,
                    k -> Value.num(n == 0 ? 0 : Math.floorMod(RANDOM.nextLong(), Math.abs(n))));
        });
        r.add("urlquery.decode_object", 1, (a, c) -> decodeQuery(str(a, 0)));
        r.add("graph.reachable_paths", 2, (a, c) -> reachablePaths(Args.obj(a, 0), a[1], c));
        r.add("regex.template_match", 4, (a, c) -> {
            Pattern p = Regex.compile(template(str(a, 0), str(a, 2), str(a, 3)), c);
            return Value.bool(Regex.matcher(p, str(a, 1)).find());
        });
    }

    static String uuid4() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        String h = Encoding.hex(b);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20);
    }

    /** Go's url.ParseQuery: every key maps to its values in order. */
    static Value decodeQuery(String q) {
        Map<String, List<Value>> m = new LinkedHashMap<>();
        for (String part : q.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.contains(";")) {
                throw BuiltinError.err("invalid semicolon separator in query");
            }
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            m.computeIfAbsent(unescape(k), x -> new ArrayList<>()).add(Value.str(unescape(v)));
        }
        Map<Value, Value> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(Value.str(k), Value.arr(v)));
        return Value.obj(out);
    }

    private static String unescape(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '%' && (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                    || Character.digit(s.charAt(i + 2), 16) < 0)) {
                String bad = s.substring(i, Math.min(i + 3, s.length()));
                throw BuiltinError.err("invalid URL escape " + dev.posture.rego.value.ValueText.json(Value.str(bad)));
            }
        }
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Every maximal path from each initial node: a path ends at a leaf, at an unknown node, or before a cycle. */
    static Value reachablePaths(Value.Obj g, Value initial, BuiltinContext ctx) {
        List<Value> roots;
        if (initial instanceof Value.Arr a) {
            roots = a.items();
        } else if (initial instanceof Value.SetV s) {
            roots = s.sorted();
        } else {
            throw Args.typeErr(1, "one of {array, set}", initial);
        }
        Set<Value> out = new LinkedHashSet<>();
        for (Value root : roots) {
            paths(g, root, new ArrayList<>(), out, ctx);
        }
        return new Value.SetV(out);
    }

    /** Every path is a new array, and a dense graph has exponentially many: each is counted, and so is each step. */
    private static void paths(Value.Obj g, Value node, List<Value> path, Set<Value> out, BuiltinContext ctx) {
        ctx.charge(BuiltinContext.ELEMENT_BYTES + 8L * path.size());
        Value edges = g.get(node);
        if (edges == null) {
            if (!path.isEmpty()) {
                out.add(Value.arr(new ArrayList<>(path)));
            }
            return;
        }
        path.add(node);
        List<Value> next = edges instanceof Value.Arr a ? a.items() : edges instanceof Value.SetV s ? s.sorted() : List.of();
        if (next.isEmpty()) {
            out.add(Value.arr(new ArrayList<>(path)));
        }
        for (Value n : next) {
            if (path.contains(n)) {
                out.add(Value.arr(new ArrayList<>(path)));
            } else {
                paths(g, n, path, out, ctx);
            }
        }
        path.remove(path.size() - 1);
    }

    /** The anchored regex of a template: literal text quoted, delimited parts kept as regex (OPA's gorilla/mux scheme). */
    static String template(String tpl, String start, String end) {
        if (start.isEmpty() || end.isEmpty()) {
            throw BuiltinError.err("delimiters must be non-empty");
        }
        char ds = start.charAt(0);
        char de = end.charAt(0);
        List<Integer> idx = new ArrayList<>();
        int level = 0;
        int open = 0;
        for (int i = 0; i < tpl.length(); i++) {
            char ch = tpl.charAt(i);
            if (ch == ds) {
                if (++level == 1) {
                    open = i;
                }
            } else if (ch == de) {
                if (--level == 0) {
                    idx.add(open);
                    idx.add(i + 1);
                } else if (level < 0) {
                    throw BuiltinError.err("unbalanced braces in " + goQuote(tpl));
                }
            }
        }
        if (level != 0) {
            throw BuiltinError.err("unbalanced braces in " + goQuote(tpl));
        }
        StringBuilder sb = new StringBuilder("^");
        int e = 0;
        for (int i = 0; i < idx.size(); i += 2) {
            sb.append(quoteMeta(tpl.substring(e, idx.get(i))));
            e = idx.get(i + 1);
            sb.append('(').append(tpl, idx.get(i) + 1, e - 1).append(')');
        }
        sb.append(quoteMeta(tpl.substring(e))).append('$');
        return sb.toString();
    }

    private static String goQuote(String s) {
        return "\"" + dev.posture.rego.value.ValueText.json(Value.str(s)) + "\"";
    }

    static String quoteMeta(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if ("\\.+*?()|[]{}^$".indexOf(ch) >= 0) {
                sb.append('\\');
            }
            sb.append(ch);
        }
        return sb.toString();
    }

    /** uuid.parse: the fields Go's google/uuid exposes, per version. */
    static final class Uuid {
        private Uuid() {
        }

        static final long G1582NS100 = 122192928000000000L;

        static Value parse(String s) {
            String hex;
            if (s.length() == 36 && dashes(s, 0)) {
                hex = s.replace("-", "");
            } else if (s.length() == 38 && s.startsWith("{") && s.endsWith("}") && dashes(s, 1)) {
                hex = s.substring(1, 37).replace("-", "");
            } else if (s.length() == 45 && s.regionMatches(true, 0, "urn:uuid:", 0, 9) && dashes(s, 9)) {
                hex = s.substring(9).replace("-", "");
            } else if (s.length() == 32) {
                hex = s;
            } else {
                return null;
            }
            if (hex.length() != 32 || !hex.matches("[0-9a-fA-F]{32}")) {
                return null;
            }
            byte[] b = java.util.HexFormat.of().parseHex(hex);
            int version = (b[6] & 0xFF) >> 4;
            Map<Value, Value> o = new LinkedHashMap<>();
            o.put(Value.str("version"), Value.num(version));
            o.put(Value.str("variant"), Value.str(variant(b[8] & 0xFF)));
            if (version == 1 || version == 2) {
                // google/uuid reads time_low even for version 2, where it holds the local id
                long t = ((long) (u16(b, 6) & 0xfff) << 48) | ((long) u16(b, 4) << 32) | u32(b, 0);
                long d = t - G1582NS100;
                o.put(Value.str("time"), Value.num((d / 10_000_000L) * 1_000_000_000L + (d % 10_000_000L) * 100));
                o.put(Value.str("clocksequence"), Value.num(u16(b, 8) & 0x3fff));
                StringBuilder node = new StringBuilder();
                for (int i = 10; i < 16; i++) {
                    node.append(i > 10 ? "-" : "").append(String.format("%02x", b[i] & 0xFF));
                }
                o.put(Value.str("nodeid"), Value.str(node.toString()));
                o.put(Value.str("macvariables"), Value.str(((b[10] & 2) != 0 ? "local" : "global") + ":"
                        + ((b[10] & 1) != 0 ? "multicast" : "unicast")));
                if (version == 2) {
                    o.put(Value.str("id"), Value.num(u32(b, 0)));
                    int dom = b[9] & 0xFF;
                    o.put(Value.str("domain"), Value.str(switch (dom) {
                        case 0 -> "Person";
                        case 1 -> "Group";
                        case 2 -> "Org";
                        default -> "Domain" + dom;
                    }));
                }
            }
            return Value.obj(o);
        }

        private static boolean dashes(String s, int off) {
            return s.charAt(off + 8) == '-' && s.charAt(off + 13) == '-' && s.charAt(off + 18) == '-' && s.charAt(off + 23) == '-';
        }

        private static int u16(byte[] b, int i) {
            return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }

        private static long u32(byte[] b, int i) {
            return ((long) u16(b, i) << 16) | u16(b, i + 2);
        }

        private static String variant(int b8) {
            if ((b8 & 0xc0) == 0x80) {
                return "RFC4122";
            }
            if ((b8 & 0xe0) == 0xc0) {
                return "Microsoft";
            }
            if ((b8 & 0xe0) == 0xe0) {
                return "Future";
            }
            return "Reserved";
        }
    }
}
