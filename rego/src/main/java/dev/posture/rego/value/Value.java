package dev.posture.rego.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Immutable Rego value: null, boolean, number, string, array, set or object.
 * Values compare structurally, in OPA's type order
 * (null &lt; boolean &lt; number &lt; string &lt; array &lt; object &lt; set).
 */
public abstract class Value implements Comparable<Value> {

    /** Rank of the type in OPA's ordering. */
    public abstract int typeRank();

    /** OPA type name as returned by {@code type_name}. */
    public abstract String typeName();

    public boolean isFalse() {
        return this == Bool.FALSE;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        ValueText.write(this, sb);
        return sb.toString();
    }

    @Override
    public final int compareTo(Value o) {
        return compare(this, o);
    }

    public static int compare(Value a, Value b) {
        if (a == b) {
            return 0;
        }
        int ra = a.typeRank();
        int rb = b.typeRank();
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return a.compareSame(b);
    }

    protected abstract int compareSame(Value other);

    // ----------------------------------------------------------------- factories

    public static final Null NULL = new Null();

    public static Bool bool(boolean b) {
        return b ? Bool.TRUE : Bool.FALSE;
    }

    public static Str str(String s) {
        return new Str(s);
    }

    public static Num num(long n) {
        return Num.of(n);
    }

    public static Num num(BigDecimal n) {
        return Num.of(n);
    }

    public static Arr arr(List<Value> items) {
        return new Arr(items);
    }

    public static Arr arr(Value... items) {
        return new Arr(List.of(items));
    }

    public static final Arr EMPTY_ARRAY = new Arr(List.of());
    public static final Obj EMPTY_OBJECT = new Obj(new LinkedHashMap<>());
    public static final SetV EMPTY_SET = new SetV(new LinkedHashSet<>());

    // ----------------------------------------------------------------- types

    /** JSON null. */
    public static final class Null extends Value {
        private Null() {
        }

        @Override
        public int typeRank() {
            return 0;
        }

        @Override
        public String typeName() {
            return "null";
        }

        @Override
        protected int compareSame(Value other) {
            return 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Null;
        }

        @Override
        public int hashCode() {
            return 7;
        }
    }

    /** Boolean. */
    public static final class Bool extends Value {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);
        public final boolean value;

        private Bool(boolean v) {
            this.value = v;
        }

        @Override
        public int typeRank() {
            return 1;
        }

        @Override
        public String typeName() {
            return "boolean";
        }

        @Override
        protected int compareSame(Value other) {
            return Boolean.compare(value, ((Bool) other).value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bool b && b.value == value;
        }

        @Override
        public int hashCode() {
            return value ? 1231 : 1237;
        }
    }

    /** Arbitrary-precision number (BigDecimal with a long fast path). */
    public static final class Num extends Value {
        private static final Num[] SMALL = new Num[1025];

        static {
            for (int i = 0; i < SMALL.length; i++) {
                SMALL[i] = new Num(i - 512, null);
            }
        }

        private final long lv;
        private final BigDecimal bv; // null when the value is the long lv

        private Num(long lv, BigDecimal bv) {
            this.lv = lv;
            this.bv = bv;
        }

        public static Num of(long n) {
            if (n >= -512 && n <= 512) {
                return SMALL[(int) n + 512];
            }
            return new Num(n, null);
        }

        /**
         * Iteration keys of arrays, shared: iterating a large array binds its index once per element, and a fresh
         * {@code Num} per element was an eighth of all bytes an evaluation allocated. Grown on demand up to
         * {@link #MAX_INDEX}, copy-on-grow through a volatile field; a lost update between threads only recreates
         * entries.
         */
        private static volatile Num[] indexes = new Num[0];
        private static final int MAX_INDEX = 1 << 20;

        public static Num index(int i) {
            Num[] t = indexes;
            if (i < t.length) {
                return t[i];
            }
            if (i >= MAX_INDEX) {
                return of(i);
            }
            Num[] g = new Num[Math.min(MAX_INDEX, Math.max(i + 1, Math.max(1024, t.length * 2)))];
            System.arraycopy(t, 0, g, 0, t.length);
            for (int j = t.length; j < g.length; j++) {
                g[j] = of(j);
            }
            indexes = g;
            return g[i];
        }

        public static Num of(BigInteger n) {
            if (n.bitLength() < 63) {
                return of(n.longValue());
            }
            return new Num(0, new BigDecimal(n));
        }

        public static Num of(BigDecimal n) {
            if (n.signum() == 0) {
                return of(0);
            }
            if (n.scale() <= 0 || n.stripTrailingZeros().scale() <= 0) {
                BigDecimal s = n.stripTrailingZeros();
                if (s.precision() - s.scale() < 19) {
                    try {
                        return of(s.longValueExact());
                    } catch (ArithmeticException e) {
                        // fall through
                    }
                }
                return new Num(0, s.scale() < -64 ? s : s.setScale(0));
            }
            return new Num(0, n.stripTrailingZeros());
        }

        public static Num parse(String text) {
            try {
                if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0 && text.length() < 19) {
                    return of(Long.parseLong(text));
                }
                return of(new BigDecimal(text));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        public boolean isLong() {
            return bv == null;
        }

        public long longValue() {
            return bv == null ? lv : bv.longValue();
        }

        public BigDecimal big() {
            return bv == null ? BigDecimal.valueOf(lv) : bv;
        }

        public boolean isInteger() {
            return bv == null || bv.scale() <= 0;
        }

        /** Returns the int value if this is an integer within int range, else null. */
        public Integer intValueExact() {
            if (bv == null) {
                return lv >= Integer.MIN_VALUE && lv <= Integer.MAX_VALUE ? (int) lv : null;
            }
            return null;
        }

        public double doubleValue() {
            return bv == null ? lv : bv.doubleValue();
        }

        @Override
        public int typeRank() {
            return 2;
        }

        @Override
        public String typeName() {
            return "number";
        }

        @Override
        protected int compareSame(Value other) {
            Num o = (Num) other;
            if (bv == null && o.bv == null) {
                return Long.compare(lv, o.lv);
            }
            return big().compareTo(o.big());
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Num n)) {
                return false;
            }
            if (bv == null && n.bv == null) {
                return lv == n.lv;
            }
            return big().compareTo(n.big()) == 0;
        }

        @Override
        public int hashCode() {
            return bv == null ? Long.hashCode(lv) : bv.hashCode();
        }

        /** JSON text of the number. */
        public String text() {
            if (bv == null) {
                return Long.toString(lv);
            }
            if (bv.scale() <= 0) {
                return bv.scale() < -64 ? bv.toString().replace("E+", "e+") : bv.toBigInteger().toString();
            }
            BigDecimal abs = bv.abs();
            if (abs.compareTo(new BigDecimal("1e21")) >= 0 || abs.compareTo(new BigDecimal("1e-6")) < 0) {
                return bv.round(MathContext.DECIMAL64).toString().replace("E+", "e+").replace("E-", "e-");
            }
            return bv.toPlainString();
        }
    }

    /** String. */
    public static final class Str extends Value {
        public final String value;

        public Str(String v) {
            this.value = v;
        }

        @Override
        public int typeRank() {
            return 3;
        }

        @Override
        public String typeName() {
            return "string";
        }

        @Override
        protected int compareSame(Value other) {
            return compareCodePoints(value, ((Str) other).value);
        }

        /**
         * Orders strings by code point, as Go compares UTF-8 bytes; String.compareTo orders UTF-16 units, which puts
         * characters above U+FFFF (surrogates) before U+E000..U+FFFF.
         */
        static int compareCodePoints(String a, String b) {
            int n = Math.min(a.length(), b.length());
            for (int i = 0; i < n; i++) {
                int x = a.charAt(i);
                int y = b.charAt(i);
                if (x != y) {
                    if (x >= 0xD800 && y >= 0xD800) {
                        // move surrogates above U+E000..U+FFFF
                        x += x >= 0xE000 ? -0x800 : 0x2000;
                        y += y >= 0xE000 ? -0x800 : 0x2000;
                    }
                    return x - y;
                }
            }
            return a.length() - b.length();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Str s && s.value.equals(value);
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }
    }

    /** Array. */
    public static final class Arr extends Value {
        private final List<Value> items;
        private int hash;

        public Arr(List<Value> items) {
            this.items = Collections.unmodifiableList(items);
        }

        public List<Value> items() {
            return items;
        }

        public int size() {
            return items.size();
        }

        public Value get(int i) {
            return items.get(i);
        }

        @Override
        public int typeRank() {
            return 4;
        }

        @Override
        public String typeName() {
            return "array";
        }

        @Override
        protected int compareSame(Value other) {
            return compareLists(items, ((Arr) other).items);
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            return o instanceof Arr a && a.items.size() == items.size() && a.hashCode() == hashCode() && a.items.equals(items);
        }

        @Override
        public int hashCode() {
            int h = hash;
            if (h == 0) {
                h = items.hashCode() * 31 + 4;
                hash = h;
            }
            return h;
        }
    }

    static int compareLists(List<Value> a, List<Value> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Set. */
    public static final class SetV extends Value {
        private final Set<Value> items;
        private List<Value> sorted;
        private int hash;

        public SetV(Set<Value> items) {
            this.items = items;
        }

        public static SetV of(Collection<Value> items) {
            return new SetV(new LinkedHashSet<>(items));
        }

        public Set<Value> items() {
            return Collections.unmodifiableSet(items);
        }

        public int size() {
            return items.size();
        }

        public boolean contains(Value v) {
            return items.contains(v);
        }

        public List<Value> sorted() {
            List<Value> s = sorted;
            if (s == null) {
                s = new ArrayList<>(items);
                Collections.sort(s);
                s = Collections.unmodifiableList(s);
                sorted = s;
            }
            return s;
        }

        @Override
        public int typeRank() {
            return 6;
        }

        @Override
        public String typeName() {
            return "set";
        }

        @Override
        protected int compareSame(Value other) {
            return compareLists(sorted(), ((SetV) other).sorted());
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            return o instanceof SetV s && s.items.size() == items.size() && s.hashCode() == hashCode() && s.items.equals(items);
        }

        @Override
        public int hashCode() {
            int h = hash;
            if (h == 0) {
                h = items.hashCode() * 31 + 6;
                hash = h;
            }
            return h;
        }
    }

    /** Object (keys may be any value). */
    /** Visitor of an object's entries: returns true to stop. */
    public interface EntryVisitor {
        boolean visit(Value key, Value value);
    }

    public static final class Obj extends Value {
        private final Map<Value, Value> map;
        private List<Value> sortedKeys;
        private int hash;

        public Obj(Map<Value, Value> map) {
            this.map = map;
        }

        public Map<Value, Value> map() {
            return Collections.unmodifiableMap(map);
        }

        public Value get(Value k) {
            return map.get(k);
        }

        public Value get(String k) {
            return map.get(new Str(k));
        }

        /** Visits the entries in order until the visitor answers true; returns whether it did. */
        public boolean visit(EntryVisitor v) {
            if (map instanceof SmallMap sm) {
                return sm.visit(v);
            }
            for (Map.Entry<Value, Value> e : map.entrySet()) {
                if (v.visit(e.getKey(), e.getValue())) {
                    return true;
                }
            }
            return false;
        }

        public int size() {
            return map.size();
        }

        public List<Value> sortedKeys() {
            List<Value> s = sortedKeys;
            if (s == null) {
                s = new ArrayList<>(map.keySet());
                Collections.sort(s);
                s = Collections.unmodifiableList(s);
                sortedKeys = s;
            }
            return s;
        }

        @Override
        public int typeRank() {
            return 5;
        }

        @Override
        public String typeName() {
            return "object";
        }

        @Override
        protected int compareSame(Value other) {
            Obj o = (Obj) other;
            List<Value> ka = sortedKeys();
            List<Value> kb = o.sortedKeys();
            int n = Math.min(ka.size(), kb.size());
            for (int i = 0; i < n; i++) {
                int c = compare(ka.get(i), kb.get(i));
                if (c != 0) {
                    return c;
                }
                c = compare(map.get(ka.get(i)), o.map.get(kb.get(i)));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(ka.size(), kb.size());
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            return o instanceof Obj ob && ob.map.size() == map.size() && ob.hashCode() == hashCode() && ob.map.equals(map);
        }

        @Override
        public int hashCode() {
            int h = hash;
            if (h == 0) {
                h = map.hashCode() * 31 + 5;
                hash = h;
            }
            return h;
        }
    }

    // ----------------------------------------------------------------- helpers

    public static Obj obj(Map<Value, Value> m) {
        return new Obj(m);
    }

    /** Builder for objects with string keys. */
    public static Obj objOf(Object... kv) {
        LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Value k = kv[i] instanceof Value v ? v : str((String) kv[i]);
            m.put(k, (Value) kv[i + 1]);
        }
        return new Obj(m);
    }

    public static SetV set(Collection<Value> items) {
        return SetV.of(items);
    }
}
