package dev.posture.rego.ast;

import java.util.List;

/** Body literal: a term/call expression, a {@code some} declaration, {@code some .. in}, or {@code every}. */
public final class Expr {
    public enum Kind { TERM, SOME_DECL, SOME_IN, EVERY }

    public final Location loc;
    public final Kind kind;
    public final boolean negated;
    public final Term term; // TERM
    public final List<Term.Var> vars; // SOME_DECL
    public final Term key; // SOME_IN / EVERY (may be null)
    public final Term value; // SOME_IN / EVERY
    public final Term domain; // SOME_IN / EVERY
    public final List<Expr> body; // EVERY
    public final List<With> withs;
    public String text; // source text, for output

    public Expr(Location loc, Kind kind, boolean negated, Term term, List<Term.Var> vars, Term key, Term value, Term domain,
            List<Expr> body, List<With> withs) {
        this.loc = loc;
        this.kind = kind;
        this.negated = negated;
        this.term = term;
        this.vars = vars == null ? List.of() : List.copyOf(vars);
        this.key = key;
        this.value = value;
        this.domain = domain;
        this.body = body == null ? List.of() : List.copyOf(body);
        this.withs = withs == null ? List.of() : List.copyOf(withs);
    }

    public static Expr term(Location loc, boolean negated, Term t, List<With> withs) {
        return new Expr(loc, Kind.TERM, negated, t, null, null, null, null, null, withs);
    }

    public Expr withTerm(Term t) {
        Expr e = new Expr(loc, kind, negated, t, vars, key, value, domain, body, withs);
        e.text = text;
        return e;
    }

    public Expr copy(boolean negated, Term term, Term key, Term value, Term domain, List<Expr> body, List<With> withs) {
        Expr e = new Expr(loc, kind, negated, term, vars, key, value, domain, body, withs);
        e.text = text;
        return e;
    }

    /** {@code with target as value}. */
    public record With(Location loc, Term target, Term value) {
    }

    public static String bodyText(List<Expr> body) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.size(); i++) {
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(body.get(i));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        if (text != null) {
            return text;
        }
        String s = switch (kind) {
            case TERM -> term.toString();
            case SOME_DECL -> "some " + vars;
            case SOME_IN -> "some " + (key != null ? key + ", " : "") + value + " in " + domain;
            case EVERY -> "every " + (key != null ? key + ", " : "") + value + " in " + domain + " { " + bodyText(body) + " }";
        };
        return (negated ? "not " : "") + s;
    }
}
