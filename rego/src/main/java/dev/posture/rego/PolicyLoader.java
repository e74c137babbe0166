package dev.posture.rego;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads {@code *.rego} files and data files ({@code *.json}, {@code *.yaml}, {@code *.yml}) from files or directories,
 * as {@code opa} does: every data file found in directory {@code a/b} below a loaded root is mounted at
 * {@code data.a.b} whatever its name (a file given explicitly at the root), and documents that meet at one path must
 * be objects that merge without a conflicting value ({@code merge error}).
 */
public final class PolicyLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Loaded sources: module name to source text, and the merged data document. */
    public record Loaded(Map<String, String> modules, Value data) {
    }

    private PolicyLoader() {
    }

    public static Loaded load(List<Path> paths) {
        return load(paths, List.of());
    }

    /**
     * As {@link #load(List)}, skipping the files and directories below a root whose name matches one of the glob
     * patterns in {@code ignore} (OPA's {@code --ignore}, e.g. {@code *.yaml} or {@code .git}).
     */
    public static Loaded load(List<Path> paths, List<String> ignore) {
        List<PathMatcher> skip = ignore.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        Map<String, String> modules = new LinkedHashMap<>();
        Value data = Value.EMPTY_OBJECT;
        for (Path root : paths) {
            List<Path> files;
            if (Files.isDirectory(root)) {
                List<Path> found = new ArrayList<>();
                try {
                    Files.walkFileTree(root, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            return !dir.equals(root) && ignored(skip, dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() && !ignored(skip, file)) {
                                found.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                files = found.stream().sorted().toList();
            } else {
                files = List.of(root);
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    if (name.endsWith(".rego")) {
                        modules.put(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
                    } else if (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml")) {
                        JsonNode n = name.endsWith(".json") ? Json.MAPPER.readTree(f.toFile()) : YAML.readTree(f.toFile());
                        Value v = n == null || n.isMissingNode() ? Value.NULL : Json.fromJson(n); // empty file: null
                        List<Value> prefix = new ArrayList<>();
                        if (Files.isDirectory(root)) {
                            Path rel = root.relativize(f.getParent() == null ? root : f.getParent());
                            for (Path seg : rel) {
                                if (!seg.toString().isEmpty()) {
                                    prefix.add(Value.str(seg.toString()));
                                }
                            }
                        }
                        Value doc = wrap(prefix, v);
                        if (!(doc instanceof Value.Obj)) {
                            throw new RegoError("rego_parse_error", null, f + ": bad document type");
                        }
                        Value merged = merge(data, doc);
                        if (merged == null) {
                            throw new RegoError("rego_parse_error", null, f + ": merge error");
                        }
                        data = merged;
                    }
                } catch (IOException e) {
                    throw new RegoError("rego_parse_error", null, f + ": " + e.getMessage());
                }
            }
        }
        return new Loaded(modules, data);
    }

    private static boolean ignored(List<PathMatcher> skip, Path p) {
        Path name = p.getFileName();
        return name != null && skip.stream().anyMatch(m -> m.matches(name));
    }

    private static Value wrap(List<Value> prefix, Value v) {
        Value cur = v;
        for (int i = prefix.size() - 1; i >= 0; i--) {
            LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
            m.put(prefix.get(i), cur);
            cur = Value.obj(m);
        }
        return cur;
    }

    /** Deep merge of two objects; null when they hold different non-object values at one path. */
    static Value merge(Value a, Value b) {
        if (a instanceof Value.Obj ao && b instanceof Value.Obj bo) {
            LinkedHashMap<Value, Value> m = new LinkedHashMap<>(ao.map());
            for (Map.Entry<Value, Value> e : bo.map().entrySet()) {
                Value ex = m.get(e.getKey());
                Value v = ex == null ? e.getValue() : merge(ex, e.getValue());
                if (v == null) {
                    return null;
                }
                m.put(e.getKey(), v);
            }
            return Value.obj(m);
        }
        return null;
    }

    /** Builds a policy set from loaded sources. */
    public static PolicySet.Builder builder(Loaded l, RegoVersion version) {
        PolicySet.Builder b = PolicySet.builder().defaultVersion(version).data(l.data());
        for (Map.Entry<String, String> e : l.modules().entrySet()) {
            b.module(e.getKey(), e.getValue());
        }
        return b;
    }
}
