package dev.posture.rego.compiler;

import dev.posture.rego.ast.Expr;
import dev.posture.rego.ast.Rule;
import dev.posture.rego.ast.Term;
import java.util.List;

/** A compiled rule: body reordered for safety, head split into ground prefix (node) and suffix terms. */
public final class CRule {
    public final Rule src;
    public final RuleNode node;
    public final List<Term> suffix;
    public final List<Term> args;
    public final Term value;
    public final List<Expr> body;
    public final CRule elseRule;
    /** Evaluator cache: equality conditions on input used for rule indexing (benign race). */
    public volatile Object indexConds;
    /** Evaluator cache: rego.metadata.rule() / chain() values (immutable). */
    public volatile Object metaRule;
    public volatile Object metaChain;

    CRule(Rule src, RuleNode node, List<Term> suffix, List<Term> args, Term value, List<Expr> body, CRule elseRule) {
        this.src = src;
        this.node = node;
        this.suffix = suffix;
        this.args = args;
        this.value = value;
        this.body = body;
        this.elseRule = elseRule;
    }

    public boolean isContains() {
        return src.kind == Rule.Kind.CONTAINS;
    }
}
