package dev.posture.rego.builtins;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** All builtins by name. Families register themselves in {@link #REGISTRY}. */
public final class Registry {
    /** A builtin definition: name, arity (-2 for variadic), implementation. */
    public record Def(String name, int arity, Builtin fn) {
    }

    private final Map<String, Def> defs = new HashMap<>();

    /** Builtins refused by the embedded engine (network / non-hermetic). */
    public static final Set<String> REFUSED = Set.of("http.send", "net.lookup_ip_addr", "opa.runtime.env",
            "providers.aws.sign_req", "io.jwt.decode_verify", "rego.parse_module");

    public static final Registry REGISTRY = new Registry();

    static {
        Core.register(REGISTRY);
        Strings.register(REGISTRY);
        Regex.register(REGISTRY);
        Objects.register(REGISTRY);
        Encoding.register(REGISTRY);
        Time.register(REGISTRY);
        Misc.register(REGISTRY);
    }

    public void add(String name, int arity, Builtin fn) {
        defs.put(name, new Def(name, arity, fn));
    }

    public Def get(String name) {
        return defs.get(name);
    }

    public int arity(String name) {
        if (name.equals("print")) {
            return -2;
        }
        if (name.equals("rego.metadata.rule") || name.equals("rego.metadata.chain") || name.equals("opa.runtime")) {
            return 0;
        }
        switch (name) {
            case "http.send", "net.lookup_ip_addr", "opa.runtime.env" -> {
                return 1;
            }
            case "io.jwt.decode_verify", "rego.parse_module" -> {
                return 2;
            }
            case "providers.aws.sign_req" -> {
                return 3;
            }
            default -> {
            }
        }
        if (name.equals("time.now_ns")) {
            return 0;
        }
        if (name.equals("walk")) {
            return 1;
        }
        if (name.equals("trace")) {
            return 1;
        }
        Def d = defs.get(name);
        return d == null ? -1 : d.arity;
    }

    public String refused(String name) {
        if (REFUSED.contains(name) || name.startsWith("http.") || name.startsWith("net.lookup")) {
            return name + " is not available in the embedded engine";
        }
        return null;
    }
}
