package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.str;

import dev.posture.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.InetAddress;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/** semver, units and net.cidr builtins. */
final class Misc {
    private Misc() {
    }

    static final Pattern SEMVER = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

    static void register(Registry r) {
        r.add("semver.is_valid", 1, (a, c) -> Value.bool(a[0] instanceof Value.Str s && SEMVER.matcher(s.value).matches()));
        r.add("semver.compare", 2, (a, c) -> {
            Matcher x = semver(str(a, 0), 1);
            Matcher y = semver(str(a, 1), 2);
            for (int i = 1; i <= 3; i++) {
                int cmp = new BigInteger(x.group(i)).compareTo(new BigInteger(y.group(i)));
                if (cmp != 0) {
                    return Value.num(Integer.signum(cmp));
                }
            }
            return Value.num(comparePre(x.group(4), y.group(4)));
        });
        r.add("units.parse", 1, (a, c) -> units(str(a, 0), false));
        r.add("units.parse_bytes", 1, (a, c) -> units(str(a, 0), true));
        r.add("net.cidr_contains", 2, (a, c) -> {
            Cidr net = cidr(str(a, 0));
            String s = str(a, 1);
            Cidr other = s.contains("/") ? cidr(s) : new Cidr(addr(s), addr(s).length * 8);
            if (net.addr.length != other.addr.length) {
                return Value.bool(false);
            }
            return Value.bool(other.prefix >= net.prefix && prefixEq(net.addr, other.addr, net.prefix));
        });
        r.add("net.cidr_intersects", 2, (a, c) -> {
            Cidr x = cidr(str(a, 0));
            Cidr y = cidr(str(a, 1));
            if (x.addr.length != y.addr.length) {
                return Value.bool(false);
            }
            return Value.bool(prefixEq(x.addr, y.addr, Math.min(x.prefix, y.prefix)));
        });
        r.add("graph.reachable", 2, (a, c) -> {
            Value.Obj g = Args.obj(a, 0);
            java.util.ArrayDeque<Value> todo = new java.util.ArrayDeque<>();
            if (a[1] instanceof Value.Arr arr) {
                todo.addAll(arr.items());
            } else if (a[1] instanceof Value.SetV set) {
                todo.addAll(set.items());
            } else {
                throw Args.typeErr(1, "one of {array, set}", a[1]);
            }
            java.util.LinkedHashSet<Value> seen = new java.util.LinkedHashSet<>();
            while (!todo.isEmpty()) {
                Value n = todo.poll();
                if (!seen.add(n)) {
                    continue;
                }
                Value edges = g.get(n);
                if (edges instanceof Value.Arr ea) {
                    todo.addAll(ea.items());
                } else if (edges instanceof Value.SetV es) {
                    todo.addAll(es.items());
                }
            }
            return new Value.SetV(seen);
        });
        r.add("net.cidr_is_valid", 1, (a, c) -> {
            try {
                cidr(str(a, 0));
                return Value.bool(true);
            } catch (BuiltinError e) {
                return Value.bool(false);
            }
        });
    }

    static Matcher semver(String s, int operand) {
        Matcher m = SEMVER.matcher(s);
        if (!m.matches()) {
            throw BuiltinError.err("operand " + operand + ": string " + dev.posture.rego.value.ValueText.json(Value.str(s))
                    + " is not a valid SemVer");
        }
        return m;
    }

    static int comparePre(String a, String b) {
        if (a == null && b == null) {
            return 0;
        }
        if (a == null) {
            return 1;
        }
        if (b == null) {
            return -1;
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean xn = x[i].matches("\\d+");
            boolean yn = y[i].matches("\\d+");
            int cmp;
            if (xn && yn) {
                cmp = new BigInteger(x[i]).compareTo(new BigInteger(y[i]));
            } else if (xn) {
                cmp = -1;
            } else if (yn) {
                cmp = 1;
            } else {
                cmp = x[i].compareTo(y[i]);
            }
            if (cmp != 0) {
                return Integer.signum(cmp);
            }
        }
        return Integer.compare(x.length, y.length);
    }

    static final Pattern UNITS = Pattern.compile("^([-+]?[0-9]*\\.?[0-9]*(?:[eE][-+]?[0-9]+)?)\\s*([a-zA-Z]*)$");

    static Value units(String in, boolean bytes) {
        String s = in.replace("\"", "").trim();
        Matcher m = UNITS.matcher(s);
        String name = bytes ? "units.parse_bytes" : "units.parse";
        if (!m.matches() || m.group(1).isEmpty() || m.group(1).matches("[-+]?\\.?")) {
            throw BuiltinError.err(bytes ? "could not parse byte amount: no byte amount provided" : "could not parse amount");
        }
        BigDecimal n;
        try {
            n = new BigDecimal(m.group(1));
        } catch (NumberFormatException e) {
            throw BuiltinError.err(name + ": could not parse amount to a number");
        }
        String u = m.group(2);
        BigDecimal mult;
        String lu = u.toLowerCase();
        if (bytes) {
            if (lu.endsWith("b")) {
                lu = lu.substring(0, lu.length() - 1);
            }
            mult = switch (lu) {
                case "" -> BigDecimal.ONE;
                case "k" -> BigDecimal.TEN.pow(3);
                case "ki" -> BigDecimal.valueOf(2).pow(10);
                case "m" -> BigDecimal.TEN.pow(6);
                case "mi" -> BigDecimal.valueOf(2).pow(20);
                case "g" -> BigDecimal.TEN.pow(9);
                case "gi" -> BigDecimal.valueOf(2).pow(30);
                case "t" -> BigDecimal.TEN.pow(12);
                case "ti" -> BigDecimal.valueOf(2).pow(40);
                case "p" -> BigDecimal.TEN.pow(15);
                case "pi" -> BigDecimal.valueOf(2).pow(50);
                case "e" -> BigDecimal.TEN.pow(18);
                case "ei" -> BigDecimal.valueOf(2).pow(60);
                default -> throw BuiltinError.err("byte unit " + u + " not recognized");
            };
            return Value.num(n.multiply(mult).setScale(0, RoundingMode.DOWN));
        }
        mult = switch (u) {
            case "" -> BigDecimal.ONE;
            case "m" -> new BigDecimal("0.001");
            case "k", "K" -> BigDecimal.TEN.pow(3);
            case "ki", "Ki", "KI", "kI" -> BigDecimal.valueOf(2).pow(10);
            case "M" -> BigDecimal.TEN.pow(6);
            case "Mi", "mi", "MI", "mI" -> BigDecimal.valueOf(2).pow(20);
            case "G", "g" -> BigDecimal.TEN.pow(9);
            case "Gi", "gi", "GI", "gI" -> BigDecimal.valueOf(2).pow(30);
            case "T", "t" -> BigDecimal.TEN.pow(12);
            case "Ti", "ti", "TI", "tI" -> BigDecimal.valueOf(2).pow(40);
            case "P", "p" -> BigDecimal.TEN.pow(15);
            case "Pi", "pi", "PI", "pI" -> BigDecimal.valueOf(2).pow(50);
            case "E", "e" -> BigDecimal.TEN.pow(18);
            case "Ei", "ei", "EI", "eI" -> BigDecimal.valueOf(2).pow(60);
            default -> throw BuiltinError.err("unit " + u + " not recognized");
        };
        return Value.num(n.multiply(mult, MathContext.DECIMAL128));
    }

    record Cidr(byte[] addr, int prefix) {
    }

    static byte[] addr(String s) {
        if (!s.matches("[0-9a-fA-F:.]+") || !(s.contains(".") || s.contains(":"))) {
            throw BuiltinError.err("invalid IP address: " + s);
        }
        if (s.contains(".") && !s.contains(":") && !s.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
            throw BuiltinError.err("invalid IP address: " + s);
        }
        try {
            byte[] b = InetAddress.getByName(s).getAddress();
            return b;
        } catch (Exception e) {
            throw BuiltinError.err("invalid IP address: " + s);
        }
    }

    static Cidr cidr(String s) {
        int i = s.indexOf('/');
        if (i < 0) {
            throw BuiltinError.err("invalid CIDR address: " + s);
        }
        byte[] a = addr(s.substring(0, i));
        int p;
        try {
            p = Integer.parseInt(s.substring(i + 1));
        } catch (NumberFormatException e) {
            throw BuiltinError.err("invalid CIDR address: " + s);
        }
        if (p < 0 || p > a.length * 8) {
            throw BuiltinError.err("invalid CIDR address: " + s);
        }
        return new Cidr(a, p);
    }

    static boolean prefixEq(byte[] a, byte[] b, int bits) {
        for (int i = 0; i < bits; i++) {
            int ba = (a[i / 8] >> (7 - i % 8)) & 1;
            int bb = (b[i / 8] >> (7 - i % 8)) & 1;
            if (ba != bb) {
                return false;
            }
        }
        return true;
    }
}
