package dev.posture.rego.testing;

import dev.posture.rego.ast.Module;
import dev.posture.rego.ast.Rule;
import dev.posture.rego.ast.Term;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;

/**
 * Like {@code opa test}, every definition of a test rule is its own test: the second and later definitions of
 * {@code test_x} in a package are renamed {@code test_x#01}, {@code test_x#02}, ... so that each body is evaluated
 * (and reported) on its own instead of being merged into one rule where any passing body hides a failing one.
 */
final class DuplicateTests {
    private DuplicateTests() {
    }

    static void rename(List<Module> modules) {
        Map<String, Integer> seen = new HashMap<>();
        for (Module m : modules) {
            for (ListIterator<Rule> it = m.rules.listIterator(); it.hasNext();) {
                Rule r = it.next();
                if (!r.name().startsWith(TestRunner.TEST_PREFIX)) {
                    continue;
                }
                String key = String.join(".", m.pkg) + "." + r.name();
                Integer k = seen.merge(key, 1, Integer::sum) - 1;
                if (k > 0) {
                    Rule renamed = renamed(r, r.name() + String.format("#%02d", k));
                    it.set(renamed);
                    m.annotations.replaceAll(a -> a.rule() == r ? new Module.Annotation(a.scope(), a.data(), a.loc(), renamed) : a);
                }
            }
        }
    }

    private static Rule renamed(Rule r, String name) {
        List<Term> head = new ArrayList<>(r.headPath);
        head.set(0, new Term.Var(head.get(0).loc, name));
        return r.with(head, r.args, r.value, r.body, r.elseRule);
    }
}
