package dev.posture.rego.ast;

import dev.posture.rego.value.Value;
import java.util.List;

/** Rego terms (immutable). */
public abstract class Term {
    public final Location loc;
    /** Evaluator cache: 0 not yet known, 1 may be evaluated directly, 2 must not be (benign race). */
    public byte direct;

    protected Term(Location loc) {
        this.loc = loc;
    }

    /** Constant scalar (or constant composite created by the compiler). */
    public static final class Scalar extends Term {
        public final Value value;

        public Scalar(Location loc, Value value) {
            super(loc);
            this.value = value;
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    /** Variable. Names starting with {@code $} are compiler generated. */
    public static final class Var extends Term {
        public final String name;

        public Var(Location loc, String name) {
            super(loc);
            this.name = name.intern(); // bindings then compare names by identity
        }

        public boolean isWildcard() {
            return name.startsWith("$_");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Reference: head term followed by path terms ({@code a.b[c]} has head a, path ["b", c]). */
    public static final class Ref extends Term {
        public final Term head;
        public final List<Term> path;

        public Ref(Location loc, Term head, List<Term> path) {
            super(loc);
            this.head = head;
            this.path = List.copyOf(path);
        }

        public boolean headIs(String name) {
            return head instanceof Var v && v.name.equals(name);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(head.toString());
            for (Term t : path) {
                if (t instanceof Scalar s && s.value instanceof Value.Str str && str.value.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    sb.append('.').append(str.value);
                } else {
                    sb.append('[').append(t).append(']');
                }
            }
            return sb.toString();
        }
    }

    /** Array literal. */
    public static final class ArrayT extends Term {
        public final List<Term> items;

        public ArrayT(Location loc, List<Term> items) {
            super(loc);
            this.items = List.copyOf(items);
        }

        @Override
        public String toString() {
            return items.toString();
        }
    }

    /** Set literal. */
    public static final class SetT extends Term {
        public final List<Term> items;

        public SetT(Location loc, List<Term> items) {
            super(loc);
            this.items = List.copyOf(items);
        }

        @Override
        public String toString() {
            return items.isEmpty() ? "set()" : "{" + items.toString().substring(1, items.toString().length() - 1) + "}";
        }
    }

    /** Object literal. */
    public static final class ObjectT extends Term {
        public final List<Term> keys;
        public final List<Term> values;

        public ObjectT(Location loc, List<Term> keys, List<Term> values) {
            super(loc);
            this.keys = List.copyOf(keys);
            this.values = List.copyOf(values);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(keys.get(i)).append(": ").append(values.get(i));
            }
            return sb.append('}').toString();
        }
    }

    /** Call of a builtin, user function or operator. {@code op} is a Var or Ref naming the function. */
    public static final class Call extends Term {
        public final Term op;
        public final List<Term> args;

        public Call(Location loc, Term op, List<Term> args) {
            super(loc);
            this.op = op;
            this.args = List.copyOf(args);
        }

        /** Dotted name of the operator (e.g. {@code object.get}, {@code data.lib.f}). */
        public String name() {
            String n = nameCache;
            if (n == null) {
                n = opName(op);
                nameCache = n;
            }
            return n;
        }

        private String nameCache;
        /** Evaluator cache slot (resolved function node or builtin); benign races only. */
        public Object resolved;

        public static String opName(Term op) {
            if (op instanceof Var v) {
                return v.name;
            }
            if (op instanceof Ref r) {
                String h = opName(r.head);
                if (h == null) {
                    return null;
                }
                StringBuilder sb = new StringBuilder(h);
                for (Term t : r.path) {
                    if (t instanceof Scalar s && s.value instanceof Value.Str str) {
                        sb.append('.').append(str.value);
                    } else {
                        return null;
                    }
                }
                return sb.toString();
            }
            return null;
        }

        @Override
        public String toString() {
            return op + "(" + args.toString().substring(1, args.toString().length() - 1) + ")";
        }
    }

    /** Array, set or object comprehension. */
    public static final class Compr extends Term {
        public enum Kind { ARRAY, SET, OBJECT }

        public final Kind kind;
        public final Term key; // object key (null otherwise)
        public final Term head; // element / object value
        public final List<Expr> body;
        /** Evaluator cache: comprehension index analysis (benign race). */
        public volatile Object index;

        public Compr(Location loc, Kind kind, Term key, Term head, List<Expr> body) {
            super(loc);
            this.kind = kind;
            this.key = key;
            this.head = head;
            this.body = List.copyOf(body);
        }

        @Override
        public String toString() {
            String h = kind == Kind.OBJECT ? key + ": " + head : head.toString();
            String open = kind == Kind.ARRAY ? "[" : "{";
            String close = kind == Kind.ARRAY ? "]" : "}";
            return open + h + " | " + Expr.bodyText(body) + close;
        }
    }
}
