package dev.posture.rego.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parsed module: package path, imports, rules and annotations. */
public final class Module {
    public final String file;
    public final List<String> pkg; // e.g. ["lib", "k8s"]
    public final List<Import> imports = new ArrayList<>();
    public final List<Rule> rules = new ArrayList<>();
    public final List<Annotation> annotations = new ArrayList<>();
    public boolean v1;
    /** {@code import future.keywords.not}: negated expressions keep their nested calls inside the negation. */
    public boolean wholeNegation;
    public Location pkgLoc;

    public Module(String file, List<String> pkg) {
        this.file = file;
        this.pkg = List.copyOf(pkg);
    }

    /** {@code import path [as alias]}; path head is data/input/future/rego. */
    public record Import(Location loc, Term.Ref path, String alias) {
        public String name() {
            if (alias != null) {
                return alias;
            }
            if (path.path.isEmpty()) {
                return ((Term.Var) path.head).name;
            }
            Term last = path.path.get(path.path.size() - 1);
            return ((Term.Scalar) last).value instanceof dev.posture.rego.value.Value.Str s ? s.value : last.toString();
        }
    }

    /** A METADATA block; scope is rule, document, package or subpackages; target the rule (null for packages). */
    public record Annotation(String scope, Map<String, Object> data, Location loc, Rule rule) {
    }
}
