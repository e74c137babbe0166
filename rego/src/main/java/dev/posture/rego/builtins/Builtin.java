package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;

/** A builtin function: returns the result, or null for undefined; throws {@link BuiltinError}. */
@FunctionalInterface
public interface Builtin {
    Value call(Value[] args, BuiltinContext ctx);
}
