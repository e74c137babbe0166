package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.str;
import static dev.posture.rego.builtins.Args.typeErr;

import dev.posture.rego.value.Value;
import dev.posture.rego.value.ValueText;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** String builtins. */
final class Strings {
    private Strings() {
    }

    static Value s(String x) {
        return Value.str(x);
    }

    static int[] cps(String s) {
        return s.codePoints().toArray();
    }

    static String fromCps(int[] cps, int from, int to) {
        return new String(cps, from, to - from);
    }

    static List<String> strList(Value[] a, int i, String want) {
        List<String> out = new ArrayList<>();
        Value v = a[i];
        if (v instanceof Value.Str s) {
            out.add(s.value);
            return out;
        }
        List<Value> items;
        if (v instanceof Value.Arr arr) {
            items = arr.items();
        } else if (v instanceof Value.SetV set) {
            items = set.sorted();
        } else {
            throw typeErr(i, want, v);
        }
        for (Value x : items) {
            if (!(x instanceof Value.Str xs)) {
                throw BuiltinError.type("operand " + (i + 1) + " must be " + (v instanceof Value.Arr ? "array" : "set")
                        + " of strings but got " + (v instanceof Value.Arr ? "array" : "set") + " containing " + x.typeName());
            }
            out.add(xs.value);
        }
        return out;
    }

    static void register(Registry r) {
        r.add("concat", 2, (a, c) -> {
            String d = str(a, 0);
            List<String> parts;
            if (a[1] instanceof Value.Arr || a[1] instanceof Value.SetV) {
                parts = strList(a, 1, "one of {array, set}");
            } else {
                throw typeErr(1, "one of {array, set}", a[1]);
            }
            // one long string repeated many times: counted before it is joined
            long total = (long) d.length() * Math.max(0, parts.size() - 1);
            for (String p : parts) {
                total += p.length();
            }
            c.charge(BuiltinContext.stringBytes(total));
            return s(String.join(d, parts));
        });
        r.add("contains", 2, (a, c) -> Value.bool(str(a, 0).contains(str(a, 1))));
        r.add("startswith", 2, (a, c) -> Value.bool(str(a, 0).startsWith(str(a, 1))));
        r.add("endswith", 2, (a, c) -> Value.bool(str(a, 0).endsWith(str(a, 1))));
        r.add("lower", 1, (a, c) -> s(mapCase(str(a, 0), false)));
        r.add("upper", 1, (a, c) -> s(mapCase(str(a, 0), true)));
        r.add("split", 2, (a, c) -> {
            String x = str(a, 0);
            String d = str(a, 1);
            List<Value> out = new ArrayList<>();
            if (d.isEmpty()) {
                c.charge((long) x.length() * (BuiltinContext.ELEMENT_BYTES + BuiltinContext.stringBytes(1)));
                x.codePoints().forEach(cp -> out.add(s(new String(Character.toChars(cp)))));
                return Value.arr(out);
            }
            int from = 0;
            while (true) {
                c.charge(BuiltinContext.ELEMENT_BYTES + BuiltinContext.VALUE_BYTES);
                int i = x.indexOf(d, from);
                if (i < 0) {
                    out.add(s(x.substring(from)));
                    break;
                }
                out.add(s(x.substring(from, i)));
                from = i + d.length();
            }
            return Value.arr(out);
        });
        // the first n parts of split (n >= 0), or the last -n parts (n < 0)
        Builtin split = r.get("split").fn();
        r.add("strings.split_n", 3, (a, c) -> {
            int n = Args.intArg(a, 2);
            List<Value> parts = ((Value.Arr) split.call(new Value[] {a[0], a[1]}, c)).items();
            int k = Math.min(Math.abs(n), parts.size());
            return Value.arr(new ArrayList<>(n >= 0 ? parts.subList(0, k) : parts.subList(parts.size() - k, parts.size())));
        });
        r.add("replace", 3, (a, c) -> {
            String x = str(a, 0);
            String old = str(a, 1);
            String nw = str(a, 2);
            if (old.isEmpty()) {
                // the new string goes between every two characters: counted before it is built
                c.charge(BuiltinContext.stringBytes(x.length() + (x.codePointCount(0, x.length()) + 1L) * nw.length()));
                StringBuilder sb = new StringBuilder(nw);
                x.codePoints().forEach(cp -> sb.appendCodePoint(cp).append(nw));
                return s(sb.toString());
            }
            long count = 0;
            for (int i = x.indexOf(old); i >= 0; i = x.indexOf(old, i + old.length())) {
                count++;
            }
            c.charge(BuiltinContext.stringBytes(x.length() + count * Math.max(0, nw.length() - old.length())));
            return s(x.replace(old, nw));
        });
        r.add("strings.replace_n", 2, (a, c) -> {
            Value.Obj pats = Args.obj(a, 0);
            String x = str(a, 1);
            TreeMap<String, String> m = new TreeMap<>();
            for (Map.Entry<Value, Value> e : pats.map().entrySet()) {
                if (!(e.getKey() instanceof Value.Str k)) {
                    throw BuiltinError.type("operand 1 must be object[string: string] but got object[" + e.getKey().typeName() + ": any]");
                }
                if (!(e.getValue() instanceof Value.Str v)) {
                    throw BuiltinError.type("operand 1 must be object[string: string] but got object[string: " + e.getValue().typeName() + "]");
                }
                m.put(k.value, v.value);
            }
            return s(replacer(m, x, c));
        });
        r.add("substring", 3, (a, c) -> {
            String x = str(a, 0);
            int start = Args.intArg(a, 1);
            int len = Args.intArg(a, 2);
            if (start < 0) {
                throw BuiltinError.err("negative offset");
            }
            int[] cp = cps(x);
            if (start >= cp.length) {
                return s("");
            }
            int end = len < 0 || (long) start + len > cp.length ? cp.length : start + len;
            return s(fromCps(cp, start, end));
        });
        r.add("indexof", 2, (a, c) -> {
            String x = str(a, 0);
            String n = str(a, 1);
            int i = x.indexOf(n);
            return Value.num(i < 0 ? -1 : x.codePointCount(0, i));
        });
        r.add("indexof_n", 2, (a, c) -> {
            String x = str(a, 0);
            String n = str(a, 1);
            List<Value> out = new ArrayList<>();
            int i = x.indexOf(n);
            int counted = 0; // code points before index `at`, counted incrementally (not from 0 for every match)
            int at = 0;
            while (i >= 0) {
                c.charge(BuiltinContext.ELEMENT_BYTES + BuiltinContext.VALUE_BYTES);
                counted += x.codePointCount(at, i);
                at = i;
                out.add(Value.num(counted));
                i = x.indexOf(n, i + 1);
            }
            return Value.arr(out);
        });
        r.add("strings.count", 2, (a, c) -> {
            String x = str(a, 0);
            String n = str(a, 1);
            if (n.isEmpty()) {
                return Value.num(x.codePointCount(0, x.length()) + 1);
            }
            int cnt = 0;
            int i = x.indexOf(n);
            while (i >= 0) {
                cnt++;
                i = x.indexOf(n, i + n.length());
            }
            return Value.num(cnt);
        });
        r.add("strings.reverse", 1, (a, c) -> s(new StringBuilder(str(a, 0)).reverse().toString()));
        r.add("strings.any_prefix_match", 2, (a, c) -> {
            List<String> xs = strList(a, 0, "one of {string, set, array}");
            List<String> ps = strList(a, 1, "one of {string, set, array}");
            for (String x : xs) {
                for (String p : ps) {
                    if (x.startsWith(p)) {
                        return Value.bool(true);
                    }
                }
            }
            return Value.bool(false);
        });
        r.add("strings.any_suffix_match", 2, (a, c) -> {
            List<String> xs = strList(a, 0, "one of {string, set, array}");
            List<String> ps = strList(a, 1, "one of {string, set, array}");
            for (String x : xs) {
                for (String p : ps) {
                    if (x.endsWith(p)) {
                        return Value.bool(true);
                    }
                }
            }
            return Value.bool(false);
        });
        r.add("trim", 2, (a, c) -> s(trimRight(trimLeft(str(a, 0), str(a, 1)), str(a, 1))));
        r.add("trim_left", 2, (a, c) -> s(trimLeft(str(a, 0), str(a, 1))));
        r.add("trim_right", 2, (a, c) -> s(trimRight(str(a, 0), str(a, 1))));
        r.add("trim_prefix", 2, (a, c) -> {
            String x = str(a, 0);
            String p = str(a, 1);
            return s(x.startsWith(p) ? x.substring(p.length()) : x);
        });
        r.add("trim_suffix", 2, (a, c) -> {
            String x = str(a, 0);
            String p = str(a, 1);
            return s(x.endsWith(p) ? x.substring(0, x.length() - p.length()) : x);
        });
        r.add("trim_space", 1, (a, c) -> s(trimGoSpace(str(a, 0))));
        r.add("format_int", 2, (a, c) -> {
            BigDecimal n = Args.big(a, 0);
            int base = Args.intArg(a, 1);
            if (base != 2 && base != 8 && base != 10 && base != 16) {
                throw BuiltinError.err("operand 2 must be one of {2, 8, 10, 16}");
            }
            return s(Args.bigInt(n).toString(base));
        });
        r.add("sprintf", 2, (a, c) -> s(sprintf(str(a, 0), Args.arr(a, 1).items(), c)));
    }

    static String replacer(TreeMap<String, String> m, String x) {
        return replacer(m, x, new BuiltinContext(0, Value.EMPTY_OBJECT));
    }

    /** As {@link #replacer(TreeMap, String)}, charging the output and seeing the deadline as it goes. */
    static String replacer(TreeMap<String, String> m, String x, BuiltinContext ctx) {
        // Go strings.Replacer semantics: at each position the empty key (if any) is emitted first, then the first
        // matching non-empty key in sorted order replaces its match; replaced output is not re-scanned.
        StringBuilder sb = new StringBuilder();
        boolean hasEmpty = m.containsKey("");
        int i = 0;
        while (true) {
            if (hasEmpty) {
                ctx.charge(2L * m.get("").length());
                sb.append(m.get(""));
            }
            if (i >= x.length()) {
                break;
            }
            ctx.charge(2);
            String matched = null;
            for (String k : m.keySet()) {
                if (!k.isEmpty() && x.startsWith(k, i)) {
                    matched = k;
                    break;
                }
            }
            if (matched != null) {
                ctx.charge(2L * m.get(matched).length());
                sb.append(m.get(matched));
                i += matched.length();
                continue;
            }
            int cp = x.codePointAt(i);
            sb.appendCodePoint(cp);
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    static String trimLeft(String x, String cut) {
        int i = 0;
        while (i < x.length()) {
            int cp = x.codePointAt(i);
            if (cut.indexOf(cp) < 0) {
                break;
            }
            i += Character.charCount(cp);
        }
        return x.substring(i);
    }

    static String trimRight(String x, String cut) {
        int i = x.length();
        while (i > 0) {
            int cp = x.codePointBefore(i);
            if (cut.indexOf(cp) < 0) {
                break;
            }
            i -= Character.charCount(cp);
        }
        return x.substring(0, i);
    }

    static String text(Value v) {
        return v instanceof Value.Str s ? s.value : v.toString();
    }

    /** Go's fmt: widths and precisions larger than this are refused (fmt's {@code tooLarge}). */
    static final int TOO_LARGE = 1_000_000;

    static String sprintf(String fmt, List<Value> args) {
        return sprintf(fmt, args, new BuiltinContext(0, Value.EMPTY_OBJECT));
    }

    /**
     * Go-style fmt.Sprintf subset (%v %s %d %f %e %g %x %X %o %b %q %t %%, flags, width, precision, {@code *} and
     * {@code [n]} argument indexes), parsing each directive as Go's {@code doPrintf} does: a width or precision
     * whose digits run past 1,000,000 ends the format with {@code %!(NOVERB)}; one taken from an argument ({@code *})
     * that is not an int or is over 1,000,000 prints {@code %!(BADWIDTH)} / {@code %!(BADPREC)}. The output is
     * charged to the query's memory budget as it grows.
     */
    static String sprintf(String fmt, List<Value> args, BuiltinContext ctx) {
        StringBuilder sb = new StringBuilder();
        int argNum = 0;
        boolean reordered = false;
        int end = fmt.length();
        int i = 0;
        while (i < end) {
            int lasti = i;
            while (i < end && fmt.charAt(i) != '%') {
                i++;
            }
            if (i > lasti) {
                append(sb, fmt.substring(lasti, i), ctx);
            }
            if (i >= end) {
                break;
            }
            i++; // the '%'
            boolean goodArgNum = true;
            StringBuilder flags = new StringBuilder();
            while (i < end && "#0+- ".indexOf(fmt.charAt(i)) >= 0) {
                flags.append(fmt.charAt(i++));
            }
            // explicit argument index, e.g. %[2]d
            int[] an = argNumber(argNum, fmt, i, args.size());
            if (an[3] != 0) {
                reordered = true;
                goodArgNum &= an[4] != 0;
            }
            argNum = an[0];
            i = an[1];
            boolean afterIndex = an[2] != 0;
            int width = -1;
            if (i < end && fmt.charAt(i) == '*') {
                i++;
                int[] w = intFromArg(args, argNum);
                argNum = w[2];
                if (w[1] == 0) {
                    append(sb, "%!(BADWIDTH)", ctx);
                } else {
                    width = w[0];
                    if (width < 0) {
                        width = -width;
                        flags.append('-');
                        removeAll(flags, '0');
                    }
                }
                afterIndex = false;
            } else {
                int[] w = parsenum(fmt, i, end);
                i = w[2];
                if (w[1] != 0) {
                    width = w[0];
                    if (afterIndex) {
                        goodArgNum = false;
                    }
                }
            }
            int prec = -1;
            if (i + 1 < end && fmt.charAt(i) == '.') {
                i++;
                if (afterIndex) {
                    goodArgNum = false;
                }
                an = argNumber(argNum, fmt, i, args.size());
                if (an[3] != 0) {
                    reordered = true;
                    goodArgNum &= an[4] != 0;
                }
                argNum = an[0];
                i = an[1];
                afterIndex = an[2] != 0;
                if (i < end && fmt.charAt(i) == '*') {
                    i++;
                    int[] pr = intFromArg(args, argNum);
                    argNum = pr[2];
                    boolean present = pr[1] != 0;
                    prec = pr[0];
                    if (prec < 0) {
                        prec = 0;
                        present = false;
                    }
                    if (!present) {
                        prec = -1;
                        append(sb, "%!(BADPREC)", ctx);
                    }
                    afterIndex = false;
                } else {
                    int[] pr = parsenum(fmt, i, end);
                    i = pr[2];
                    prec = pr[1] != 0 ? pr[0] : 0;
                }
            }
            if (!afterIndex) {
                an = argNumber(argNum, fmt, i, args.size());
                if (an[3] != 0) {
                    reordered = true;
                    goodArgNum &= an[4] != 0;
                }
                argNum = an[0];
                i = an[1];
            }
            if (i >= end) {
                append(sb, "%!(NOVERB)", ctx);
                break;
            }
            int verbCp = fmt.codePointAt(i);
            i += Character.charCount(verbCp);
            String verbText = new String(Character.toChars(verbCp));
            if (verbCp == '%') {
                sb.append('%');
                continue;
            }
            if (!goodArgNum) {
                append(sb, "%!" + verbText + "(BADINDEX)", ctx);
                continue;
            }
            if (argNum >= args.size()) {
                append(sb, "%!" + verbText + "(MISSING)", ctx);
                continue;
            }
            Value v = args.get(argNum++);
            char verb = verbCp > Character.MAX_VALUE ? '\uFFFF' : (char) verbCp;
            ctx.charge(expandedBytes(v, ctx));
            String out = formatOne(verb, flags.toString(), prec, v);
            if (verb == '\uFFFF' && out.startsWith("%!\uFFFF(")) {
                out = "%!" + verbText + out.substring(3);
            }
            if (width > 0 && out.length() < width) {
                ctx.charge(2L * width);
                String pad = " ".repeat(width - out.length());
                if (flags.indexOf("-") >= 0) {
                    out = out + pad;
                } else if (flags.indexOf("0") >= 0 && v instanceof Value.Num) {
                    String p0 = "0".repeat(width - out.length());
                    out = out.startsWith("-") ? "-" + p0 + out.substring(1) : p0 + out;
                } else {
                    out = pad + out;
                }
            }
            append(sb, out, ctx);
        }
        if (!reordered && argNum < args.size()) {
            sb.append("%!(EXTRA ");
            for (int j = argNum; j < args.size(); j++) {
                if (j > argNum) {
                    sb.append(", ");
                }
                Value v = args.get(j);
                ctx.charge(expandedBytes(v, ctx));
                sb.append(goType(v)).append('=').append(text(v));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String piece, BuiltinContext ctx) {
        ctx.charge(2L * piece.length());
        sb.append(piece);
    }

    private static void removeAll(StringBuilder sb, char c) {
        for (int k = sb.length() - 1; k >= 0; k--) {
            if (sb.charAt(k) == c) {
                sb.deleteCharAt(k);
            }
        }
    }

    /** The bytes of a value's text, counted without building it (shared sub-values count each time they are printed). */
    static long expandedBytes(Value v, BuiltinContext ctx) {
        if (v instanceof Value.Str s) {
            return 2L * s.value.length();
        }
        long n = dev.posture.rego.value.ValueText.expandedLength(v);
        return n > Long.MAX_VALUE / 8 ? Long.MAX_VALUE / 4 : 2 * n;
    }

    /** Go's tooLarge. */
    private static boolean tooLarge(int x) {
        return x > TOO_LARGE || x < -TOO_LARGE;
    }

    /** Go's parsenum: {num, isnum (0/1), new index}; digits running past {@link #TOO_LARGE} give {0, 0, end}. */
    static int[] parsenum(String s, int start, int end) {
        if (start >= end) {
            return new int[] {0, 0, end};
        }
        int num = 0;
        boolean isnum = false;
        int i = start;
        for (; i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            if (tooLarge(num)) {
                return new int[] {0, 0, end};
            }
            num = num * 10 + (s.charAt(i) - '0');
            isnum = true;
        }
        return new int[] {num, isnum ? 1 : 0, i};
    }

    /** Go's intFromArg: {num, isInt (0/1), new argNum}; only an int (an integer OPA passes as int) not over 1e6 counts. */
    private static int[] intFromArg(List<Value> args, int argNum) {
        if (argNum >= args.size()) {
            return new int[] {0, 0, argNum};
        }
        Value v = args.get(argNum);
        int num = 0;
        boolean isInt = false;
        if (v instanceof Value.Num n && n.isInteger() && n.isLong()) {
            long l = n.longValue();
            if (l <= TOO_LARGE && l >= -TOO_LARGE) {
                num = (int) l;
                isInt = true;
            }
        }
        return new int[] {num, isInt ? 1 : 0, argNum + 1};
    }

    /**
     * Go's argNumber: {argNum, new index, found (0/1), bracket seen (0/1), index good (0/1)} for an optional
     * {@code [n]} at {@code i} (one-based in the format).
     */
    private static int[] argNumber(int argNum, String fmt, int i, int numArgs) {
        if (fmt.length() <= i || fmt.charAt(i) != '[') {
            return new int[] {argNum, i, 0, 0, 1};
        }
        // Go's parseArgNumber
        String f = fmt.substring(i);
        int index = 0;
        int wid = 1;
        boolean ok = false;
        if (f.length() >= 3) {
            for (int j = 1; j < f.length(); j++) {
                if (f.charAt(j) == ']') {
                    int[] w = parsenum(f, 1, j);
                    wid = j + 1;
                    if (w[1] != 0 && w[2] == j) {
                        index = w[0] - 1;
                        ok = true;
                    }
                    break;
                }
            }
        }
        if (ok && index >= 0 && index < numArgs) {
            return new int[] {index, i + wid, 1, 1, 1};
        }
        return new int[] {argNum, i + wid, ok ? 1 : 0, 1, 0};
    }

    /** Go type name of the argument as OPA passes it to fmt.Sprintf (int, float64 or string). */
    private static String goType(Value v) {
        if (v instanceof Value.Num n) {
            return n.isInteger() ? (n.isLong() ? "int" : "*big.Int") : "float64";
        }
        return "string";
    }

    private static String bad(char verb, Value v) {
        return "%!" + verb + "(" + goType(v) + "=" + text(v) + ")";
    }

    private static String formatOne(char verb, String flags, int prec, Value v) {
        boolean isInt = v instanceof Value.Num n0 && n0.isInteger();
        boolean isFloat = v instanceof Value.Num n1 && !n1.isInteger();
        boolean isStr = !(v instanceof Value.Num);
        String sv = text(v);
        boolean smallInt = isInt && ((Value.Num) v).isLong();
        switch (verb) {
            case 'v':
                if (isFloat && prec >= 0) {
                    return formatOne('g', flags, prec, v);
                }
                return isFloat ? goShortestG(((Value.Num) v).doubleValue()) : sv;
            case 'c':
            case 'U':
                if (!smallInt) {
                    return bad(verb, v);
                }
                long cp = ((Value.Num) v).longValue();
                if (cp < 0 || cp > Character.MAX_CODE_POINT) {
                    cp = 0xFFFD;
                }
                return verb == 'c' ? new String(Character.toChars((int) cp)) : String.format("U+%04X", cp);
            case 's':
                if (isInt && !((Value.Num) v).isLong()) {
                    // a *big.Int formats %s as decimal digits (its Format method), unlike a plain int
                    return Args.bigInt(((Value.Num) v).big()).toString();
                }
                if (!isStr) {
                    return bad(verb, v);
                }
                return prec >= 0 ? sv.substring(0, Math.min(prec, sv.length())) : sv;
            case 'q':
                if (smallInt) {
                    long r = ((Value.Num) v).longValue();
                    return goQuoteRune(r < 0 || r > Character.MAX_CODE_POINT ? 0xFFFD : (int) r);
                }
                if (!isStr) {
                    return bad(verb, v);
                }
                StringBuilder qb = new StringBuilder();
                ValueText.goQuote(sv, qb);
                return qb.toString();
            case 't':
                return bad(verb, v);
            case 'd':
                if (isInt) {
                    String s = Args.bigInt(((Value.Num) v).big()).toString();
                    if (s.startsWith("-")) {
                        return s;
                    }
                    return flags.contains("+") ? "+" + s : flags.contains(" ") ? " " + s : s;
                }
                return bad(verb, v);
            case 'f':
            case 'F':
            case 'e':
            case 'E':
            case 'g':
            case 'G':
                if (!isFloat) {
                    return bad(verb, v);
                }
                Value.Num n = (Value.Num) v;
                if (verb == 'f' || verb == 'F') {
                    String s = n.big().setScale(prec < 0 ? 6 : prec, RoundingMode.HALF_EVEN).toPlainString();
                    return flags.contains("+") && n.big().signum() >= 0 ? "+" + s : s;
                }
                if ((verb == 'g' || verb == 'G') && prec < 0) {
                    String g = goShortestG(n.doubleValue());
                    return verb == 'G' ? g.toUpperCase(Locale.ROOT) : g;
                }
                if (verb == 'g' || verb == 'G') {
                    String g = goPrecisionG(n.doubleValue(), prec);
                    return verb == 'G' ? g.toUpperCase(Locale.ROOT) : g;
                }
                String es = String.format(Locale.ROOT, "%." + (prec < 0 ? 6 : prec) + "e", n.doubleValue());
                return verb == 'E' ? es.toUpperCase(Locale.ROOT) : es;
            case 'x':
            case 'X':
            case 'o':
            case 'b':
                if (isInt) {
                    int radix = verb == 'o' ? 8 : verb == 'b' ? 2 : 16;
                    java.math.BigInteger bi = Args.bigInt(((Value.Num) v).big());
                    String s = bi.abs().toString(radix);
                    if (flags.contains("#")) {
                        // Go's alternate form: 0x / 0X / 0 / 0b prefixes
                        s = (verb == 'x' ? "0x" : verb == 'X' ? "0X" : verb == 'o' ? "0" : "0b") + s;
                    }
                    s = (bi.signum() < 0 ? "-" : "") + s;
                    return verb == 'X' ? s.toUpperCase(Locale.ROOT).replace("0X", "0X") : s;
                }
                if (isStr && (verb == 'x' || verb == 'X')) {
                    StringBuilder sb = new StringBuilder();
                    for (byte b : sv.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                        sb.append(String.format(verb == 'x' ? "%02x" : "%02X", b));
                    }
                    return sb.toString();
                }
                return bad(verb, v);
            default:
                return bad(verb, v);
        }
    }

    /** Go's %.Ng: N significant digits, trailing zeros dropped, exponent form when the exponent is below -4 or >= N. */
    static String goPrecisionG(double d, int prec) {
        if (d == 0 || Double.isNaN(d) || Double.isInfinite(d)) {
            return goShortestG(d);
        }
        int p = Math.max(prec, 1);
        BigDecimal bd = new BigDecimal(Math.abs(d)).round(new java.math.MathContext(p, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale();
        int eprec = p;
        if (eprec > digits.length() && digits.length() >= exp + 1) {
            eprec = digits.length();
        }
        String sign = d < 0 ? "-" : "";
        if (exp < -4 || exp >= eprec) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = Integer.toString(Math.abs(exp));
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return sign + bd.toPlainString();
    }

    /** Go's strconv.QuoteRune: 'a', '\\n', '\\x01', '\\u00a0'. */
    static String goQuoteRune(int cp) {
        if (cp == '\'') {
            return "'\\''";
        }
        StringBuilder sb = new StringBuilder();
        ValueText.goQuote(new String(Character.toChars(cp)), sb);
        String q = sb.substring(1, sb.length() - 1);
        return "'" + (q.equals("\\\"") ? "\"" : q) + "'";
    }

    /**
     * Go's %v (and %g) of a float64: the shortest digits, in exponent form when the exponent is below -4 or at
     * least 6 (1.5e+06, 1e-05), plainly otherwise.
     */
    static String goShortestG(double d) {
        if (d == 0 || Double.isNaN(d) || Double.isInfinite(d)) {
            return d == 0 ? (1 / d < 0 ? "-0" : "0") : Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
        }
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale();
        String sign = d < 0 ? "-" : "";
        if (exp < -4 || exp >= 6) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = Integer.toString(Math.abs(exp));
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return sign + bd.toPlainString();
    }

    /** Go's strings.ToUpper/ToLower: code point by code point, without special casing (ß stays ß, İ lowers to i). */
    static String mapCase(String in, boolean upper) {
        StringBuilder sb = new StringBuilder(in.length());
        in.codePoints().forEach(cp -> sb.appendCodePoint(upper ? Character.toUpperCase(cp) : Character.toLowerCase(cp)));
        return sb.toString();
    }

    /** Go's strings.TrimSpace: trims code points for which unicode.IsSpace holds (NBSP and U+2003 included). */
    static String trimGoSpace(String in) {
        int start = 0;
        int end = in.length();
        while (start < end && isGoSpace(in.codePointAt(start))) {
            start += Character.charCount(in.codePointAt(start));
        }
        while (end > start && isGoSpace(in.codePointBefore(end))) {
            end -= Character.charCount(in.codePointBefore(end));
        }
        return in.substring(start, end);
    }

    static boolean isGoSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }
}
