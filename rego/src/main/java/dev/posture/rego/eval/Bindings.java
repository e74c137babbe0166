package dev.posture.rego.eval;

import dev.posture.rego.value.Value;
import java.util.HashMap;

/** Variable bindings of one rule/query body (closures share them); unbinding restores on backtrack. */
final class Bindings {
    private final HashMap<String, Value> map = new HashMap<>();

    Value get(String name) {
        return map.get(name);
    }

    void bind(String name, Value v) {
        map.put(name, v);
    }

    void unbind(String name) {
        map.remove(name);
    }

    HashMap<String, Value> snapshot() {
        return new HashMap<>(map);
    }
}
