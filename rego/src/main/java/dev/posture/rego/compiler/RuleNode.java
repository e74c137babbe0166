package dev.posture.rego.compiler;

import dev.posture.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Node of the virtual document tree: rules whose ground head prefix ends here, functions, and children. */
public final class RuleNode {
    public final List<Value> path; // path below data
    public final int id;
    public final Map<Value, RuleNode> children = new LinkedHashMap<>();
    public final List<CRule> rules = new ArrayList<>();
    public final List<CRule> funcs = new ArrayList<>();
    public CRule defaultRule;
    public CRule defaultFunc;
    /** Index over the rules (built lazily by the evaluator). */
    public volatile Object index;
    /** Arity declared by function definitions (-1 when not a function). */
    public int declaredArity = -1;
    /** True when the node's value depends on neither input nor nondeterministic builtins (cacheable across queries). */
    public boolean constant;
    /** True when a module declares this package: its document is at least {} even without rules. */
    public boolean pkg;

    RuleNode(List<Value> path, int id) {
        this.path = List.copyOf(path);
        this.id = id;
    }

    public boolean hasRules() {
        return !rules.isEmpty() || defaultRule != null;
    }

    public boolean isFunction() {
        return !funcs.isEmpty() || defaultFunc != null || declaredArity >= 0;
    }

    public String pathText() {
        StringBuilder sb = new StringBuilder("data");
        for (Value v : path) {
            if (v instanceof Value.Str s && s.value.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                sb.append('.').append(s.value);
            } else {
                sb.append('[').append(v).append(']');
            }
        }
        return sb.toString();
    }

    public int arity() {
        if (!funcs.isEmpty()) {
            return funcs.get(0).args.size();
        }
        return defaultFunc != null ? defaultFunc.args.size() : declaredArity;
    }
}
