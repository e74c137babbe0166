package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Per-evaluation state visible to builtins. */
public final class BuiltinContext {
    public final long nowNanos;
    public final Value runtime;
    public final Map<String, Object> cache = new ConcurrentHashMap<>();

    public BuiltinContext(long nowNanos, Value runtime) {
        this.nowNanos = nowNanos;
        this.runtime = runtime;
    }
}
