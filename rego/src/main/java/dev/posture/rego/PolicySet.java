package dev.posture.rego;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.rego.ast.Module;
import dev.posture.rego.builtins.Registry;
import dev.posture.rego.compiler.CompiledPolicy;
import dev.posture.rego.compiler.Compiler;
import dev.posture.rego.parser.Parser;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An immutable, thread-safe set of compiled Rego modules plus base {@code data}.
 *
 * <pre>{@code
 * PolicySet ps = PolicySet.builder()
 *     .module("policy.rego", source)          // v1 by default; .v0Compatible(true) for legacy syntax
 *     .data(dataJson)                          // optional base document
 *     .build();                                // throws RegoError (rego_parse_error, rego_unsafe_var_error, ...)
 * PreparedQuery q = ps.prepare("data.example.deny");
 * QueryResult r = q.eval(inputJson);          // r.rows(), r.toJson()
 * }</pre>
 */
public final class PolicySet {
    final CompiledPolicy compiled;
    final Value data;
    final Settings settings;
    final java.util.Set<String> denied;
    final Registry registry;
    /** Values of constant rule nodes, shared by all evaluations that use the policy set's own data. */
    final java.util.concurrent.ConcurrentHashMap<Object, Object> shared = new java.util.concurrent.ConcurrentHashMap<>();

    /** Evaluation settings captured at build time. */
    record Settings(boolean strict, long maxSteps, Duration timeout, Consumer<String> print, boolean allowEnv, int maxDepth,
            long maxMemory) {
    }

    /**
     * Default memory budget of one evaluation: 512 MiB of allocation counted by the engine (values built by
     * comprehensions, rules and the builtins that can outgrow their arguments), or a quarter of the JVM's maximum heap
     * when that is less (a string builder doubling its buffer briefly holds more than it counts). See
     * {@link Builder#maxMemory(long)}.
     */
    public static final long DEFAULT_MAX_MEMORY = Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4);

    private PolicySet(CompiledPolicy compiled, Value data, Settings settings, java.util.Set<String> denied, Registry registry) {
        this.denied = denied;
        this.registry = registry;
        this.compiled = compiled;
        this.data = data;
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parsed modules (with annotations). */
    public List<Module> modules() {
        return compiled.modules;
    }

    /** METADATA annotations of all modules, in module order. */
    public List<Module.Annotation> annotations() {
        List<Module.Annotation> out = new ArrayList<>();
        for (Module m : compiled.modules) {
            out.addAll(m.annotations);
        }
        return Collections.unmodifiableList(out);
    }

    /** Compiles a query against this policy set. */
    public PreparedQuery prepare(String query) {
        try {
            return new PreparedQuery(this, query);
        } catch (StackOverflowError e) {
            throw new RegoError("rego_parse_error", null, "query too deeply nested (stack overflow while compiling)");
        }
    }

    CompiledPolicy compiled() {
        return compiled;
    }

    static Compiler newCompiler() {
        return newCompiler(java.util.Set.of(), Registry.REGISTRY);
    }

    static Compiler newCompiler(java.util.Set<String> denied, Registry reg) {
        return new Compiler(new Compiler.Builtins() {
            @Override
            public int arity(String name) {
                return reg.arity(name);
            }

            @Override
            public String refused(String name) {
                if (denied.contains(name)) {
                    return name + " is not allowed by the capabilities of this policy set";
                }
                return reg.refused(name);
            }

            @Override
            public String signature(String name) {
                return reg.signature(name);
            }

            @Override
            public boolean deterministic(String name) {
                return reg.deterministic(name);
            }
        });
    }

    /** Parses a module in the given version (AUTO: v1, then v0 when v1 fails but v0 parses). */
    public static Module parse(String name, String source, RegoVersion version) {
        switch (version) {
            case V0:
                return Parser.parseModule(name, source, false);
            case V1:
                return Parser.parseModule(name, source, true);
            default:
                try {
                    return Parser.parseModule(name, source, true);
                } catch (RegoError e) {
                    try {
                        return Parser.parseModule(name, source, false);
                    } catch (RegoError e2) {
                        throw e;
                    }
                }
        }
    }

    /** Builder: add modules, data and options, then {@link #build()}. */
    public static final class Builder {
        private final List<Object[]> sources = new ArrayList<>();
        private Consumer<List<Module>> rewrite;
        private RegoVersion defaultVersion = RegoVersion.V1;
        private Value data = Value.EMPTY_OBJECT;
        private boolean strict;
        private long maxSteps = Long.MAX_VALUE;
        private Duration timeout;
        private Consumer<String> print = s -> System.err.println(s);
        private boolean allowEnv;
        private int maxDepth = 2000;
        private long maxMemory = DEFAULT_MAX_MEMORY;
        private final java.util.Set<String> denied = new java.util.HashSet<>();
        private final Map<String, Registry.Def> custom = new java.util.HashMap<>();

        /**
         * Registers a custom builtin (e.g. a host-provided helper). It may return null for undefined and throw
         * {@link dev.posture.rego.builtins.BuiltinError} for errors.
         */
        public Builder customBuiltin(String name, int arity, dev.posture.rego.builtins.Builtin fn) {
            custom.put(name, new Registry.Def(name, arity, fn));
            return this;
        }

        /**
         * Registers the helpers that Trivy adds to OPA and its checks call without an import ({@code result.new},
         * {@code isManaged}, {@code sh.parse_commands}, {@code cidr.count_addresses}, {@code cidr.is_public}); a
         * policy's own import of the same name still takes precedence.
         */
        public Builder trivyHelpers() {
            customBuiltin(dev.posture.rego.builtins.TrivyResult.NAME, 2, dev.posture.rego.builtins.TrivyResult::call);
            customBuiltin(dev.posture.rego.builtins.TrivyResult.IS_MANAGED, 1, dev.posture.rego.builtins.TrivyResult::isManaged);
            customBuiltin(dev.posture.rego.builtins.TrivyCidr.COUNT, 1, dev.posture.rego.builtins.TrivyCidr::count);
            customBuiltin(dev.posture.rego.builtins.TrivyCidr.IS_PUBLIC, 1, dev.posture.rego.builtins.TrivyCidr::isPublic);
            customBuiltin(dev.posture.rego.builtins.TrivySquealer.NAME, 1, dev.posture.rego.builtins.TrivySquealer::call);
            return customBuiltin(dev.posture.rego.builtins.TrivyShell.NAME, 1, dev.posture.rego.builtins.TrivyShell::call);
        }

        /**
         * Registers the helpers conftest adds to OPA for policy tests: {@code parse_config},
         * {@code parse_config_file} and {@code parse_combined_config_files} (they read files: tests only).
         */
        public Builder conftestHelpers() {
            customBuiltin(dev.posture.rego.builtins.ConftestParse.PARSE_CONFIG, 2, dev.posture.rego.builtins.ConftestParse::parseConfig);
            customBuiltin(dev.posture.rego.builtins.ConftestParse.PARSE_CONFIG_FILE, 1, dev.posture.rego.builtins.ConftestParse::parseConfigFile);
            return customBuiltin(dev.posture.rego.builtins.ConftestParse.PARSE_COMBINED, 1, dev.posture.rego.builtins.ConftestParse::parseCombined);
        }

        /** Capability: builtins that policies may not call (compile error rego_type_error). */
        public Builder denyBuiltins(java.util.Collection<String> names) {
            denied.addAll(names);
            return this;
        }

        /** Adds a module in the default version. */
        public Builder module(String name, String source) {
            sources.add(new Object[] {name, source, null});
            return this;
        }

        /** Adds a module with an explicit version. */
        public Builder module(String name, String source, RegoVersion version) {
            sources.add(new Object[] {name, source, version});
            return this;
        }

        /** Rewrites the parsed modules before they are compiled (e.g. the test runner's renaming of duplicate tests). */
        public Builder beforeCompile(Consumer<List<Module>> rewrite) {
            this.rewrite = rewrite;
            return this;
        }

        /** Makes modules v0 unless they import rego.v1 (OPA's --v0-compatible). */
        public Builder v0Compatible(boolean on) {
            defaultVersion = on ? RegoVersion.V0 : RegoVersion.V1;
            return this;
        }

        public Builder defaultVersion(RegoVersion v) {
            defaultVersion = v;
            return this;
        }

        public Builder data(JsonNode json) {
            Value v = json == null ? Value.EMPTY_OBJECT : Json.fromJson(json);
            data = v;
            return this;
        }

        public Builder data(Value v) {
            data = v == null ? Value.EMPTY_OBJECT : v;
            return this;
        }

        /** Builtin errors fail the query (eval_builtin_error / eval_type_error) instead of making it undefined. */
        public Builder strictBuiltinErrors(boolean on) {
            strict = on;
            return this;
        }

        public Builder maxSteps(long steps) {
            maxSteps = steps;
            return this;
        }

        public Builder timeout(Duration d) {
            timeout = d;
            return this;
        }

        /**
         * Memory budget of one evaluation in bytes (default {@link #DEFAULT_MAX_MEMORY}; 0 or less: none). The engine
         * counts what comprehensions, rule values, composite terms and the builtins that can outgrow their arguments
         * allocate; past the budget the evaluation fails with {@code eval_cancel_error} instead of exhausting the heap.
         */
        public Builder maxMemory(long bytes) {
            maxMemory = bytes <= 0 ? Long.MAX_VALUE : bytes;
            return this;
        }

        public Builder maxDepth(int d) {
            maxDepth = d;
            return this;
        }

        public Builder printSink(Consumer<String> sink) {
            print = sink;
            return this;
        }

        /** Capability: expose environment variables through opa.runtime().env. */
        public Builder allowEnv(boolean on) {
            allowEnv = on;
            return this;
        }

        public PolicySet build() {
            try {
                return buildUnchecked();
            } catch (StackOverflowError e) {
                throw new RegoError("rego_parse_error", null, "policy too deeply nested (stack overflow while compiling)");
            } catch (RegoError e) {
                throw e;
            } catch (RuntimeException e) {
                // a bug met by some source text (see FuzzFindingsTest): an error of this policy set, not of the command
                RegoError err = new RegoError("rego_compile_error", null, "internal error while compiling: " + e);
                err.initCause(e);
                throw err;
            }
        }

        private PolicySet buildUnchecked() {
            List<Module> mods = new ArrayList<>();
            for (Object[] s : sources) {
                RegoVersion v = s[2] == null ? defaultVersion : (RegoVersion) s[2];
                mods.add(parse((String) s[0], (String) s[1], v));
            }
            if (rewrite != null) {
                rewrite.accept(mods);
            }
            java.util.Set<String> deny = java.util.Set.copyOf(denied);
            Registry reg = Registry.REGISTRY.with(Map.copyOf(custom));
            CompiledPolicy cp = newCompiler(deny, reg).compile(mods);
            return new PolicySet(cp, data, new Settings(strict, maxSteps, timeout, print, allowEnv, maxDepth, maxMemory), deny, reg);
        }
    }

    static Value runtimeValue(boolean allowEnv) {
        java.util.LinkedHashMap<Value, Value> m = new java.util.LinkedHashMap<>();
        if (allowEnv) {
            java.util.LinkedHashMap<Value, Value> env = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, String> e : System.getenv().entrySet()) {
                env.put(Value.str(e.getKey()), Value.str(e.getValue()));
            }
            m.put(Value.str("env"), Value.obj(env));
        }
        return Value.obj(m);
    }
}
