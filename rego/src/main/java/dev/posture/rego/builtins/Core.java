package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.typeErr;

import dev.posture.rego.value.Value;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Operators, comparison, arithmetic, sets, aggregates, types, casts, numbers, arrays. */
final class Core {
    private Core() {
    }

    static final MathContext MC = MathContext.DECIMAL128;

    // RE2 (linear time): java.util.regex backtracks quadratically on a long run of digits that does not match
    private static final com.google.re2j.Pattern DECIMAL = com.google.re2j.Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final com.google.re2j.Pattern HEX_FLOAT =
            com.google.re2j.Pattern.compile("[-+]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][-+]?\\d+");

    static Value num(BigDecimal d) {
        return Value.num(d);
    }

    /**
     * Exact arithmetic has no size limit of its own (OPA rounds to a float's precision instead), so a chain of
     * rules squaring a number, or {@code 1e100000000 + 1}, could build numbers of billions of digits: results of more
     * than this many digits are a builtin error.
     */
    static final int MAX_DIGITS = 100_000;

    /** Refuses {@code x + y} (or {@code x * y} when {@code mul}) when the exact result would have more than MAX_DIGITS digits. */
    static void checkDigits(BigDecimal x, BigDecimal y, boolean mul) {
        long digits;
        if (mul) {
            digits = Math.max((long) x.precision() + y.precision(), Math.abs((long) x.scale() + y.scale()));
        } else {
            long intDigits = Math.max((long) x.precision() - x.scale(), (long) y.precision() - y.scale());
            long fracDigits = Math.max(Math.max(x.scale(), y.scale()), 0);
            digits = Math.max(intDigits, 0) + fracDigits;
        }
        if (digits > MAX_DIGITS) {
            throw BuiltinError.err("number too large (more than " + MAX_DIGITS + " digits)");
        }
    }

    static void register(Registry r) {
        r.add("equal", 2, (a, c) -> Value.bool(a[0].equals(a[1])));
        r.add("neq", 2, (a, c) -> Value.bool(!a[0].equals(a[1])));
        r.add("lt", 2, (a, c) -> Value.bool(a[0].compareTo(a[1]) < 0));
        r.add("lte", 2, (a, c) -> Value.bool(a[0].compareTo(a[1]) <= 0));
        r.add("gt", 2, (a, c) -> Value.bool(a[0].compareTo(a[1]) > 0));
        r.add("gte", 2, (a, c) -> Value.bool(a[0].compareTo(a[1]) >= 0));
        r.add("internal.member_2", 2, (a, c) -> Value.bool(member(a[0], a[1])));
        r.add("internal.member_3", 3, (a, c) -> {
            Value v = lookup(a[2], a[0]);
            return Value.bool(v != null && v.equals(a[1]));
        });
        r.add("plus", 2, (a, c) -> {
            Value.Num x = Args.num(a, 0);
            Value.Num y = Args.num(a, 1);
            if (x.isLong() && y.isLong()) {
                long s = x.longValue() + y.longValue();
                if (((x.longValue() ^ s) & (y.longValue() ^ s)) >= 0) {
                    return Value.num(s);
                }
            }
            checkDigits(x.big(), y.big(), false);
            return num(x.big().add(y.big()));
        });
        r.add("minus", 2, (a, c) -> {
            if (a[0] instanceof Value.SetV s) {
                Value.SetV t = Args.set(a, 1);
                LinkedHashSet<Value> out = new LinkedHashSet<>(s.items());
                out.removeAll(t.items());
                return new Value.SetV(out);
            }
            if (!(a[0] instanceof Value.Num)) {
                throw typeErr(0, "number", a[0]);
            }
            Value.Num x = Args.num(a, 0);
            Value.Num y = Args.num(a, 1);
            checkDigits(x.big(), y.big(), false);
            return num(x.big().subtract(y.big()));
        });
        r.add("mul", 2, (a, c) -> {
            checkDigits(Args.big(a, 0), Args.big(a, 1), true);
            return num(Args.big(a, 0).multiply(Args.big(a, 1)));
        });
        r.add("div", 2, (a, c) -> {
            BigDecimal x = Args.big(a, 0);
            BigDecimal y = Args.big(a, 1);
            if (y.signum() == 0) {
                throw BuiltinError.err("divide by zero");
            }
            return num(x.divide(y, MathContext.DECIMAL64));
        });
        r.add("rem", 2, (a, c) -> {
            Value.Num x = Args.num(a, 0);
            Value.Num y = Args.num(a, 1);
            if (!x.isInteger() || !y.isInteger()) {
                throw BuiltinError.err("modulo on floating-point number");
            }
            if (y.big().signum() == 0) {
                throw BuiltinError.err("modulo by zero");
            }
            return Value.Num.of(Args.bigInt(x.big()).remainder(Args.bigInt(y.big())));
        });
        r.add("and", 2, (a, c) -> {
            Value.SetV x = Args.set(a, 0);
            Value.SetV y = Args.set(a, 1);
            LinkedHashSet<Value> out = new LinkedHashSet<>(x.items());
            out.retainAll(y.items());
            return new Value.SetV(out);
        });
        r.add("or", 2, (a, c) -> {
            Value.SetV x = Args.set(a, 0);
            Value.SetV y = Args.set(a, 1);
            c.charge((long) BuiltinContext.ELEMENT_BYTES * (x.size() + y.size()));
            LinkedHashSet<Value> out = new LinkedHashSet<>(x.items());
            out.addAll(y.items());
            return new Value.SetV(out);
        });
        r.add("abs", 1, (a, c) -> num(Args.big(a, 0).abs()));
        // an integer stays as it is: setScale(0) would spell out the zeros of 1e100000000
        r.add("round", 1, (a, c) -> Args.big(a, 0).scale() <= 0 ? a[0] : num(Args.big(a, 0).setScale(0, RoundingMode.HALF_UP)));
        r.add("ceil", 1, (a, c) -> Args.big(a, 0).scale() <= 0 ? a[0] : num(Args.big(a, 0).setScale(0, RoundingMode.CEILING)));
        r.add("floor", 1, (a, c) -> Args.big(a, 0).scale() <= 0 ? a[0] : num(Args.big(a, 0).setScale(0, RoundingMode.FLOOR)));
        r.add("numbers.range", 2, (a, c) -> range(a, BigDecimal.ONE, false, c));
        r.add("numbers.range_step", 3, (a, c) -> range(a, null, true, c));
        // aggregates
        r.add("count", 1, (a, c) -> {
            Value v = a[0];
            if (v instanceof Value.Str s) {
                return Value.num(s.value.codePointCount(0, s.value.length()));
            }
            if (v instanceof Value.Arr x) {
                return Value.num(x.size());
            }
            if (v instanceof Value.SetV x) {
                return Value.num(x.size());
            }
            if (v instanceof Value.Obj x) {
                return Value.num(x.size());
            }
            throw typeErr(0, "one of {array, object, set, string}", v);
        });
        r.add("sum", 1, (a, c) -> {
            BigDecimal s = BigDecimal.ZERO;
            for (Value v : coll(a, 0)) {
                if (!(v instanceof Value.Num n)) {
                    throw BuiltinError.type("operand 1 must be one of {array of number, set of number} but got " + a[0].typeName());
                }
                checkDigits(s, n.big(), false);
                s = s.add(n.big());
            }
            return num(s);
        });
        r.add("product", 1, (a, c) -> {
            BigDecimal s = BigDecimal.ONE;
            for (Value v : coll(a, 0)) {
                if (!(v instanceof Value.Num n)) {
                    throw BuiltinError.type("operand 1 must be one of {array of number, set of number} but got " + a[0].typeName());
                }
                checkDigits(s, n.big(), true);
                s = s.multiply(n.big());
            }
            return num(s);
        });
        r.add("max", 1, (a, c) -> {
            List<Value> l = coll(a, 0);
            return l.isEmpty() ? null : Collections.max(l);
        });
        r.add("min", 1, (a, c) -> {
            List<Value> l = coll(a, 0);
            return l.isEmpty() ? null : Collections.min(l);
        });
        r.add("sort", 1, (a, c) -> {
            c.charge(8L * coll(a, 0).size());
            List<Value> l = new ArrayList<>(coll(a, 0));
            Collections.sort(l);
            return Value.arr(l);
        });
        r.add("all", 1, (a, c) -> {
            for (Value v : coll(a, 0)) {
                if (!v.equals(Value.bool(true))) {
                    return Value.bool(false);
                }
            }
            return Value.bool(true);
        });
        r.add("any", 1, (a, c) -> {
            for (Value v : coll(a, 0)) {
                if (v.equals(Value.bool(true))) {
                    return Value.bool(true);
                }
            }
            return Value.bool(false);
        });
        // types
        r.add("is_number", 1, (a, c) -> Value.bool(a[0] instanceof Value.Num));
        r.add("is_string", 1, (a, c) -> Value.bool(a[0] instanceof Value.Str));
        r.add("is_boolean", 1, (a, c) -> Value.bool(a[0] instanceof Value.Bool));
        r.add("is_array", 1, (a, c) -> Value.bool(a[0] instanceof Value.Arr));
        r.add("is_set", 1, (a, c) -> Value.bool(a[0] instanceof Value.SetV));
        r.add("is_object", 1, (a, c) -> Value.bool(a[0] instanceof Value.Obj));
        r.add("is_null", 1, (a, c) -> Value.bool(a[0] instanceof Value.Null));
        r.add("type_name", 1, (a, c) -> Value.str(a[0].typeName()));
        r.add("to_number", 1, (a, c) -> {
            Value v = a[0];
            if (v instanceof Value.Num) {
                return v;
            }
            if (v instanceof Value.Null) {
                return Value.num(0);
            }
            if (v instanceof Value.Bool b) {
                return Value.num(b.value ? 1 : 0);
            }
            if (v instanceof Value.Str s) {
                String t = s.value;
                // OPA rejects the float specials with a type error, signs and letter case aside
                String special = t.replaceFirst("^[-+]+", "").toLowerCase(java.util.Locale.ROOT);
                if (special.equals("inf") || special.equals("infinity") || special.equals("nan")) {
                    throw typeErr(0, "valid number string", v);
                }
                if (DECIMAL.matcher(t).matches()) {
                    return num(new BigDecimal(t.startsWith("+") ? t.substring(1) : t));
                }
                // Go's ParseFloat takes hexadecimal only with a binary exponent (0x1p-2); 0x10 is invalid syntax
                if (HEX_FLOAT.matcher(t).matches()) {
                    return num(new BigDecimal(Double.parseDouble(t)));
                }
                throw BuiltinError.err("strconv.ParseFloat: parsing " + dev.posture.rego.value.ValueText.json(s) + ": invalid syntax");
            }
            throw typeErr(0, "one of {boolean, null, number, string}", v);
        });
        // arrays
        r.add("array.concat", 2, (a, c) -> {
            c.charge(8L * (Args.arr(a, 0).size() + Args.arr(a, 1).size()));
            List<Value> l = new ArrayList<>(Args.arr(a, 0).items());
            l.addAll(Args.arr(a, 1).items());
            return Value.arr(l);
        });
        r.add("array.slice", 3, (a, c) -> {
            Value.Arr arr = Args.arr(a, 0);
            long s = Args.longArg(a, 1);
            long e = Args.longArg(a, 2);
            if (s < 0) {
                s = 0;
            }
            if (e > arr.size()) {
                e = arr.size();
            }
            if (s >= e) {
                return Value.EMPTY_ARRAY;
            }
            c.charge(8L * (e - s));
            return Value.arr(new ArrayList<>(arr.items().subList((int) s, (int) e)));
        });
        r.add("array.flatten", 1, (a, c) -> {
            List<Value> l = new ArrayList<>();
            for (Value v : Args.arr(a, 0).items()) {
                c.charge(v instanceof Value.Arr inner0 ? 8L * inner0.size() : 8);
                if (v instanceof Value.Arr inner) {
                    l.addAll(inner.items());
                } else {
                    l.add(v);
                }
            }
            return Value.arr(l);
        });
        r.add("bits.and", 2, (a, c) -> Value.Num.of(intOf(a, 0).and(intOf(a, 1))));
        r.add("bits.or", 2, (a, c) -> Value.Num.of(intOf(a, 0).or(intOf(a, 1))));
        r.add("bits.xor", 2, (a, c) -> Value.Num.of(intOf(a, 0).xor(intOf(a, 1))));
        r.add("bits.negate", 1, (a, c) -> Value.Num.of(intOf(a, 0).not()));
        r.add("bits.lsh", 2, (a, c) -> {
            int n = Args.intArg(a, 1);
            if (n < 0 || n > 4096) {
                throw BuiltinError.err("shift amount out of range");
            }
            return Value.Num.of(intOf(a, 0).shiftLeft(n));
        });
        r.add("bits.rsh", 2, (a, c) -> {
            int n = Args.intArg(a, 1);
            if (n < 0) {
                throw BuiltinError.err("shift amount out of range");
            }
            return Value.Num.of(intOf(a, 0).shiftRight(n));
        });
        r.add("array.reverse", 1, (a, c) -> {
            c.charge(8L * Args.arr(a, 0).size());
            List<Value> l = new ArrayList<>(Args.arr(a, 0).items());
            Collections.reverse(l);
            return Value.arr(l);
        });
        r.add("union", 1, (a, c) -> {
            LinkedHashSet<Value> out = new LinkedHashSet<>();
            for (Value v : Args.set(a, 0).items()) {
                if (!(v instanceof Value.SetV s)) {
                    throw BuiltinError.type("operand 1 must be set of sets but got set containing " + v.typeName());
                }
                c.charge((long) BuiltinContext.ELEMENT_BYTES * s.size());
                out.addAll(s.items());
            }
            return new Value.SetV(out);
        });
        r.add("intersection", 1, (a, c) -> {
            LinkedHashSet<Value> out = null;
            for (Value v : Args.set(a, 0).items()) {
                if (!(v instanceof Value.SetV s)) {
                    throw BuiltinError.type("operand 1 must be set of sets but got set containing " + v.typeName());
                }
                if (out == null) {
                    out = new LinkedHashSet<>(s.items());
                } else {
                    out.retainAll(s.items());
                }
            }
            return new Value.SetV(out == null ? new LinkedHashSet<>() : out);
        });
    }

    private static Value range(Value[] a, BigDecimal stepDefault, boolean stepped, BuiltinContext c) {
        java.math.BigInteger from = intOf(a, 0);
        java.math.BigInteger to = intOf(a, 1);
        java.math.BigInteger step = java.math.BigInteger.ONE;
        if (stepped) {
            step = intOf(a, 2);
            if (step.signum() <= 0) {
                throw BuiltinError.err("numbers.range_step: step must be a positive integer");
            }
        }
        if (to.subtract(from).abs().divide(step).compareTo(java.math.BigInteger.valueOf(50_000_000L)) > 0) {
            throw BuiltinError.err("range too large (more than 50000000 elements)");
        }
        long n = to.subtract(from).abs().divide(step).longValue() + 1;
        // refused before anything is built when over the budget; a long build still sees the deadline
        c.charge(n * (8L + BuiltinContext.VALUE_BYTES));
        List<Value> out = new ArrayList<>((int) Math.min(n, 1 << 20));
        if (from.compareTo(to) <= 0) {
            for (java.math.BigInteger i = from; i.compareTo(to) <= 0; i = i.add(step)) {
                out.add(Value.Num.of(i));
                if ((out.size() & 0xFFFF) == 0) {
                    c.checkDeadline();
                }
            }
        } else {
            for (java.math.BigInteger i = from; i.compareTo(to) >= 0; i = i.subtract(step)) {
                out.add(Value.Num.of(i));
                if ((out.size() & 0xFFFF) == 0) {
                    c.checkDeadline();
                }
            }
        }
        return Value.arr(out);
    }

    /** OPA's BigIntOperand: a fractional number is an operand error, i.e. eval_type_error. */
    private static java.math.BigInteger intOf(Value[] a, int i) {
        Value.Num n = Args.num(a, i);
        if (!n.isInteger()) {
            throw BuiltinError.type("operand " + (i + 1) + " must be integer number but got floating-point number");
        }
        return Args.bigInt(n.big());
    }

    static List<Value> coll(Value[] a, int i) {
        if (a[i] instanceof Value.Arr x) {
            return x.items();
        }
        if (a[i] instanceof Value.SetV s) {
            return s.sorted();
        }
        throw typeErr(i, "one of {array, set}", a[i]);
    }

    static boolean member(Value x, Value coll) {
        if (coll instanceof Value.SetV s) {
            return s.contains(x);
        }
        if (coll instanceof Value.Arr a) {
            return a.items().contains(x);
        }
        if (coll instanceof Value.Obj o) {
            for (Map.Entry<Value, Value> e : o.map().entrySet()) {
                if (e.getValue().equals(x)) {
                    return true;
                }
            }
        }
        return false;
    }

    static Value lookup(Value v, Value key) {
        if (v instanceof Value.Obj o) {
            return o.get(key);
        }
        if (v instanceof Value.Arr a && key instanceof Value.Num n) {
            Integer i = n.intValueExact();
            return i != null && i >= 0 && i < a.size() ? a.get(i) : null;
        }
        if (v instanceof Value.SetV s) {
            return s.contains(key) ? key : null;
        }
        return null;
    }
}
