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
    private final Registry parent;

    private Registry(Registry parent) {
        this.parent = parent;
    }

    /** A registry with additional (custom) builtins layered over this one. */
    public Registry with(Map<String, Def> custom) {
        if (custom.isEmpty()) {
            return this;
        }
        Registry r = new Registry(this);
        r.defs.putAll(custom);
        return r;
    }

    /** Builtins refused by the embedded engine (network / non-hermetic). */
    public static final Set<String> REFUSED = Set.of("http.send", "net.lookup_ip_addr", "opa.runtime.env",
            "rego.parse_module");

    public static final Registry REGISTRY = new Registry(null);

    static {
        Core.register(REGISTRY);
        Strings.register(REGISTRY);
        Regex.register(REGISTRY);
        Objects.register(REGISTRY);
        Encoding.register(REGISTRY);
        Time.register(REGISTRY);
        Misc.register(REGISTRY);
        Jwt.register(REGISTRY);
        NetCidr.register(REGISTRY);
        Extras.register(REGISTRY);
        X509.register(REGISTRY);
        JsonSchema.register(REGISTRY);
        GlobsMatch.register(REGISTRY);
        AwsSigV4.register(REGISTRY);
        REGISTRY.add("strings.render_template", 2, (a, c) -> GoTemplate.render(Args.str(a, 0), Args.obj(a, 1)));
        Deprecated.register(REGISTRY);
    }

    /** Operand types checked at compile time for constant arguments (s=string, n=number, a=array, o=object, *=any). */
    private static final Map<String, String> SIG = Map.ofEntries(Map.entry("lower", "s"), Map.entry("upper", "s"),
            Map.entry("startswith", "ss"), Map.entry("endswith", "ss"), Map.entry("contains", "ss"), Map.entry("split", "ss"),
            Map.entry("trim", "ss"), Map.entry("trim_left", "ss"), Map.entry("trim_right", "ss"), Map.entry("trim_prefix", "ss"),
            Map.entry("trim_suffix", "ss"), Map.entry("trim_space", "s"), Map.entry("replace", "sss"), Map.entry("sprintf", "sa"),
            Map.entry("indexof", "ss"), Map.entry("substring", "snn"), Map.entry("regex.match", "ss"), Map.entry("plus", "nn"),
            Map.entry("mul", "nn"), Map.entry("div", "nn"), Map.entry("rem", "nn"), Map.entry("abs", "n"), Map.entry("round", "n"),
            Map.entry("ceil", "n"), Map.entry("floor", "n"), Map.entry("format_int", "nn"), Map.entry("object.get", "o**"),
            Map.entry("object.keys", "o"), Map.entry("array.concat", "aa"), Map.entry("json.unmarshal", "s"),
            Map.entry("base64.encode", "s"), Map.entry("base64.decode", "s"), Map.entry("time.parse_rfc3339_ns", "s"),
            Map.entry("time.parse_duration_ns", "s"), Map.entry("strings.count", "ss"), Map.entry("strings.split_n", "ssn"), Map.entry("concat", "s*"),
            Map.entry("io.jwt.decode", "s"), Map.entry("io.jwt.verify_hs256", "ss"), Map.entry("io.jwt.verify_hs384", "ss"),
            Map.entry("io.jwt.verify_hs512", "ss"), Map.entry("io.jwt.verify_rs256", "ss"), Map.entry("io.jwt.verify_rs384", "ss"),
            Map.entry("io.jwt.verify_rs512", "ss"), Map.entry("io.jwt.verify_ps256", "ss"), Map.entry("io.jwt.verify_ps384", "ss"),
            Map.entry("io.jwt.verify_ps512", "ss"), Map.entry("io.jwt.verify_es256", "ss"), Map.entry("io.jwt.verify_es384", "ss"),
            Map.entry("io.jwt.verify_es512", "ss"), Map.entry("io.jwt.verify_eddsa", "ss"), Map.entry("io.jwt.decode_verify", "so"),
            Map.entry("io.jwt.encode_sign", "ooo"), Map.entry("io.jwt.encode_sign_raw", "sss"),
            Map.entry("crypto.x509.parse_certificates", "s"), Map.entry("crypto.x509.parse_and_verify_certificates", "s"),
            Map.entry("crypto.x509.parse_and_verify_certificates_with_options", "so"),
            Map.entry("crypto.x509.parse_certificate_request", "s"), Map.entry("crypto.x509.parse_keypair", "ss"),
            Map.entry("crypto.x509.parse_rsa_private_key", "s"), Map.entry("crypto.parse_private_keys", "s"),
            Map.entry("net.cidr_expand", "s"), Map.entry("uuid.rfc4122", "s"), Map.entry("uuid.parse", "s"), Map.entry("rand.intn", "sn"),
            Map.entry("urlquery.decode_object", "s"), Map.entry("regex.template_match", "ssss"), Map.entry("regex.globs_match", "ss"),
            Map.entry("strings.render_template", "so"), Map.entry("graph.reachable_paths", "o*"), Map.entry("hex.decode", "s"),
            Map.entry("hex.encode", "s"), Map.entry("base64url.decode", "s"));

    /** Compile-time operand signature or null. */
    public String signature(String name) {
        if (parent != null && defs.containsKey(name)) {
            return null;
        }
        return SIG.get(name);
    }

    public void add(String name, int arity, Builtin fn) {
        defs.put(name, new Def(name, arity, fn));
    }

    public Def get(String name) {
        Def d = defs.get(name);
        return d == null && parent != null ? parent.get(name) : d;
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
            case "rego.parse_module" -> {
                return 2;
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
        Def d = get(name);
        return d == null ? -1 : d.arity;
    }

    /** Builtins whose result depends on more than their arguments (randomness, the clock: token expiry, certificate validity). */
    private static final Set<String> NONDETERMINISTIC = Set.of("time.now_ns", "opa.runtime", "rand.intn", "uuid.rfc4122",
            "http.send", "net.lookup_ip_addr", "trace", "print", "io.jwt.decode_verify", "crypto.x509.parse_and_verify_certificates",
            "crypto.x509.parse_and_verify_certificates_with_options");

    /** True for global builtins whose result depends only on their arguments. */
    public boolean deterministic(String name) {
        if (NONDETERMINISTIC.contains(name)) {
            return false;
        }
        if (name.equals("walk") || name.equals("rego.metadata.rule") || name.equals("rego.metadata.chain") || name.equals("eq")
                || name.equals("assign")) {
            return true;
        }
        return parent == null ? defs.containsKey(name) : !defs.containsKey(name) && parent.deterministic(name);
    }

    public String refused(String name) {
        if (defs.containsKey(name) && parent != null) {
            return null;
        }
        if (REFUSED.contains(name) || name.startsWith("http.") || name.startsWith("net.lookup")) {
            return name + " is not available in the embedded engine";
        }
        return null;
    }
}
