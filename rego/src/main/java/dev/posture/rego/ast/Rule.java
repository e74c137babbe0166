package dev.posture.rego.ast;

import java.util.List;
import java.util.Map;

/** A rule (or function) definition, possibly with an else chain. */
public final class Rule {
    public enum Kind { VALUE, CONTAINS, FUNCTION }

    public final Location loc;
    public final boolean isDefault;
    public final Kind kind;
    /** Head reference relative to the package, e.g. {@code [p]} or {@code [a, "b", x]}; first element is a Var. */
    public final List<Term> headPath;
    public final List<Term> args; // functions
    public final Term value; // value term (true when omitted); element for CONTAINS
    public final List<Expr> body;
    public final Rule elseRule;
    public Map<String, Object> annotations; // rule-scoped METADATA
    public Module module;

    public Rule(Location loc, boolean isDefault, Kind kind, List<Term> headPath, List<Term> args, Term value, List<Expr> body,
            Rule elseRule) {
        this.loc = loc;
        this.isDefault = isDefault;
        this.kind = kind;
        this.headPath = List.copyOf(headPath);
        this.args = args == null ? List.of() : List.copyOf(args);
        this.value = value;
        this.body = List.copyOf(body);
        this.elseRule = elseRule;
    }

    public Rule with(List<Term> headPath, List<Term> args, Term value, List<Expr> body, Rule elseRule) {
        Rule r = new Rule(loc, isDefault, kind, headPath, args, value, body, elseRule);
        r.annotations = annotations;
        r.module = module;
        return r;
    }

    public String name() {
        return ((Term.Var) headPath.get(0)).name;
    }
}
