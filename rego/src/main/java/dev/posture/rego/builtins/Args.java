package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import java.math.BigDecimal;

/** Operand type checks producing OPA-style messages. */
public final class Args {
    private Args() {
    }

    public static BuiltinError typeErr(int i, String want, Value got) {
        return BuiltinError.type("operand " + (i + 1) + " must be " + want + " but got " + got.typeName());
    }

    public static String str(Value[] a, int i) {
        if (a[i] instanceof Value.Str s) {
            return s.value;
        }
        throw typeErr(i, "string", a[i]);
    }

    public static Value.Num num(Value[] a, int i) {
        if (a[i] instanceof Value.Num n) {
            return n;
        }
        throw typeErr(i, "number", a[i]);
    }

    public static BigDecimal big(Value[] a, int i) {
        return num(a, i).big();
    }

    public static int intArg(Value[] a, int i) {
        Value.Num n = num(a, i);
        if (!n.isInteger()) {
            throw BuiltinError.type("operand " + (i + 1) + " must be integer number but got floating-point number");
        }
        Integer v = n.intValueExact();
        if (v == null) {
            throw BuiltinError.err("operand " + (i + 1) + " out of range");
        }
        return v;
    }

    /** Integer part of a number, refusing absurdly large exponents (which would exhaust memory). */
    public static java.math.BigInteger bigInt(BigDecimal d) {
        if (d.scale() < -4096) {
            throw BuiltinError.err("number too large");
        }
        return d.toBigInteger();
    }

    public static long longArg(Value[] a, int i) {
        Value.Num n = num(a, i);
        if (!n.isInteger()) {
            throw BuiltinError.type("operand " + (i + 1) + " must be integer number but got floating-point number");
        }
        return n.big().longValue();
    }

    public static Value.Arr arr(Value[] a, int i) {
        if (a[i] instanceof Value.Arr x) {
            return x;
        }
        throw typeErr(i, "array", a[i]);
    }

    public static Value.Obj obj(Value[] a, int i) {
        if (a[i] instanceof Value.Obj x) {
            return x;
        }
        throw typeErr(i, "object", a[i]);
    }

    public static Value.SetV set(Value[] a, int i) {
        if (a[i] instanceof Value.SetV x) {
            return x;
        }
        throw typeErr(i, "set", a[i]);
    }

    public static boolean bool(Value[] a, int i) {
        if (a[i] instanceof Value.Bool b) {
            return b.value;
        }
        throw typeErr(i, "boolean", a[i]);
    }
}
