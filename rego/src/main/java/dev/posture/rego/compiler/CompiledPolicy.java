package dev.posture.rego.compiler;

import dev.posture.rego.ast.Module;
import java.util.List;

/** Result of compilation: the rule tree and the modules. Immutable after construction. */
public final class CompiledPolicy {
    public final RuleNode root;
    public final List<Module> modules;
    public final int nodeCount;

    CompiledPolicy(RuleNode root, List<Module> modules, int nodeCount) {
        this.root = root;
        this.modules = List.copyOf(modules);
        this.nodeCount = nodeCount;
    }

    /** Finds the node at the given path (below data), or null. */
    public RuleNode node(List<dev.posture.rego.value.Value> path) {
        RuleNode n = root;
        for (dev.posture.rego.value.Value v : path) {
            n = n.children.get(v);
            if (n == null) {
                return null;
            }
        }
        return n;
    }
}
