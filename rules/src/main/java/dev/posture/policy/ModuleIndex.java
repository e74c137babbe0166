package dev.posture.policy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the client needs from Rego sources without any engine: each module's package, its package-scope
 * METADATA (the {@code # METADATA} comment block before the {@code package} line, or one saying
 * {@code scope: package}) and which result documents it defines ({@code deny}, {@code warn}, {@code violation}, conftest's variants). Engines differ in how (and
 * whether) they expose annotations; reading them here keeps rule ids, titles and severities the same whichever
 * engine evaluates.
 */
public final class ModuleIndex {
    private static final Pattern PACKAGE = Pattern.compile("^[ \\t]*package[ \\t]+([A-Za-z_][A-Za-z0-9_]*(?:(?:\\.[A-Za-z_][A-Za-z0-9_]*)|(?:\\[\"[^\"\\n]*\"\\]))*)");
    /**
     * Rule heads whose documents a convention reads: {@code deny}, {@code warn}, {@code violation} (Gatekeeper,
     * conftest) and their {@code _suffix} variants (conftest's {@code deny_no_latest}), and conftest's
     * {@code exception}. Functions ({@code deny(x)}) are not documents.
     */
    private static final Pattern RULE = Pattern.compile("^[ \\t]*((?:deny|warn|violation)(?:_[A-Za-z0-9_]+)?|exception)(?![A-Za-z0-9_])(?![ \\t]*\\()");
    private static final int MAX_METADATA_CHARS = 64 * 1024;

    private final Map<String, RulePackage> packages;

    private ModuleIndex(Map<String, RulePackage> packages) {
        this.packages = packages;
    }

    /** Indexes modules; a module without a package line is skipped (the engine reports it when compiling). */
    public static ModuleIndex of(Collection<PolicyModule> modules) throws PolicyException {
        Map<String, String> moduleOf = new TreeMap<>();
        Map<String, PolicyMetadata> meta = new LinkedHashMap<>();
        Map<String, Set<String>> docs = new LinkedHashMap<>();
        for (PolicyModule m : modules) {
            Scanned s = scan(m);
            if (s.pkg == null) {
                continue;
            }
            moduleOf.putIfAbsent(s.pkg, m.name());
            if (s.metadata != null) {
                meta.putIfAbsent(s.pkg, s.metadata);
            }
            docs.computeIfAbsent(s.pkg, k -> new HashSet<>()).addAll(s.documents);
        }
        Map<String, RulePackage> out = new TreeMap<>();
        for (Map.Entry<String, String> e : moduleOf.entrySet()) {
            out.put(e.getKey(), new RulePackage(e.getKey(), e.getValue(), meta.get(e.getKey()), docs.get(e.getKey())));
        }
        return new ModuleIndex(out);
    }

    /** Every package that defines a result document at or below {@code prefix}, sorted by path. */
    public List<RulePackage> packages(String prefix) {
        List<RulePackage> out = new ArrayList<>();
        for (RulePackage p : packages.values()) {
            boolean under = prefix == null || prefix.isEmpty() || p.path().equals(prefix) || p.path().startsWith(prefix + ".");
            if (under && !p.documents().isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The package a module declares (dotted, {@code a.b.c-d} for {@code a.b["c-d"]}), or null when it has none. */
    public static String packageOf(PolicyModule m) throws PolicyException {
        return scan(m).pkg;
    }

    /** The package METADATA of a module ({@link PolicyMetadata#NONE} when it has none). */
    public static PolicyMetadata metadataOf(PolicyModule m) throws PolicyException {
        PolicyMetadata md = scan(m).metadata;
        return md == null ? PolicyMetadata.NONE : md;
    }

    private record Scanned(String pkg, PolicyMetadata metadata, Set<String> documents) {
    }

    /** One pass over a module's lines: comments (METADATA blocks), the package line, rule heads. */
    static Scanned scan(PolicyModule m) throws PolicyException {
        String[] lines = m.source().split("\r?\n", -1);
        String pkg = null;
        PolicyMetadata pkgMeta = null;
        PolicyMetadata pending = null; // the block just before the current line
        Set<String> documents = new HashSet<>();
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            String t = line.strip();
            if (t.startsWith("#")) {
                if (t.substring(1).strip().equals("METADATA")) {
                    int col = line.indexOf('#');
                    StringBuilder yaml = new StringBuilder();
                    int j = i + 1;
                    while (j < lines.length && lines[j].indexOf('#') == col && lines[j].substring(0, col).isBlank()) {
                        String c = lines[j].substring(col + 1);
                        yaml.append(c.startsWith(" ") ? c.substring(1) : c).append('\n');
                        if (yaml.length() > MAX_METADATA_CHARS) {
                            throw new PolicyException(m.name() + ":" + (i + 1) + ": METADATA block longer than "
                                    + MAX_METADATA_CHARS + " characters");
                        }
                        j++;
                    }
                    Map<String, Object> data = yaml(m.name(), i + 1, yaml.toString());
                    PolicyMetadata md = metadata(data);
                    Object scope = data.get("scope");
                    if ("package".equals(scope) || "subpackages".equals(scope)) {
                        if (pkgMeta == null) {
                            pkgMeta = md;
                        }
                        pending = null;
                    } else {
                        pending = scope == null ? md : null;
                    }
                    i = j;
                    continue;
                }
                i++;
                continue;
            }
            if (pkg == null) {
                Matcher pm = PACKAGE.matcher(line);
                if (pm.find()) {
                    pkg = normalise(pm.group(1));
                    if (pkgMeta == null && pending != null) {
                        pkgMeta = pending; // a block right before the package line is the package's (OPA's default)
                    }
                    pending = null;
                    i++;
                    continue;
                }
            } else {
                Matcher rm = RULE.matcher(line);
                if (rm.find()) {
                    documents.add(rm.group(1));
                }
            }
            if (!t.isEmpty()) {
                pending = null;
            }
            i++;
        }
        return new Scanned(pkg, pkgMeta, documents);
    }

    /** {@code a.b["c-d"]} → {@code a.b.c-d}. */
    private static String normalise(String ref) {
        return ref.replaceAll("\\[\"([^\"]*)\"\\]", ".$1");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String module, int line, String text) throws PolicyException {
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(10);
        o.setNestingDepthLimit(20);
        o.setCodePointLimit(MAX_METADATA_CHARS * 2);
        try {
            Object v = new Yaml(new SafeConstructor(o)).load(text.isBlank() ? "{}" : text);
            return v instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            int nl = msg.indexOf('\n');
            throw new PolicyException(module + ":" + line + ": METADATA is not valid YAML: "
                    + (nl < 0 ? msg : msg.substring(0, nl)));
        }
    }

    private static PolicyMetadata metadata(Map<String, Object> data) {
        List<String> refs = new ArrayList<>();
        if (data.get("related_resources") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> r && r.get("ref") != null) {
                    refs.add(String.valueOf(r.get("ref")));
                } else if (o instanceof String s) {
                    refs.add(s);
                }
            }
        }
        Map<String, Object> custom = new LinkedHashMap<>();
        if (data.get("custom") instanceof Map<?, ?> c) {
            c.forEach((k, v) -> {
                if (k != null && v != null) {
                    custom.put(String.valueOf(k), v);
                }
            });
        }
        return new PolicyMetadata(text(data.get("title")), text(data.get("description")), refs, custom);
    }

    private static String text(Object o) {
        return o == null ? null : String.valueOf(o).strip();
    }
}
