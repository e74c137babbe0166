package dev.posture.rego;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
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

    /**
     * Loaded sources: module name to source text, the merged data document, and what was skipped while walking
     * (symbolic-link loops, broken links, unreadable directories), one line each naming the path.
     */
    public record Loaded(Map<String, String> modules, Value data, List<String> warnings) {
        public Loaded {
            warnings = List.copyOf(warnings);
        }

        public Loaded(Map<String, String> modules, Value data) {
            this(modules, data, List.of());
        }
    }

    private PolicyLoader() {
    }

    public static Loaded load(List<Path> paths) {
        return load(paths, List.of());
    }

    /**
     * As {@link #load(List)}, skipping the files and directories below a root whose name matches one of the glob
     * patterns in {@code ignore} (OPA's {@code --ignore}, e.g. {@code *.yaml} or {@code .git}).
     *
     * <p>Symbolic links are followed like the files and directories they point to, both as a root and below one, so
     * a linked policy directory loads as if it were real. Below a root, a link must lead into one of the loaded roots
     * (a checked-out tree must not pull files from elsewhere on the machine in as data); a link that leads outside,
     * one that leads back into a directory being walked (a loop) and a broken link are skipped with a warning in
     * {@link Loaded#warnings()}.
     */
    public static Loaded load(List<Path> paths, List<String> ignore) {
        List<PathMatcher> skip = ignore.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        Map<String, String> modules = new LinkedHashMap<>();
        Value data = Value.EMPTY_OBJECT;
        List<String> warnings = new ArrayList<>();
        // links met while walking must lead back into one of the loaded roots (a hostile tree must not load files
        // from elsewhere on the machine, e.g. a link to the home directory, as data)
        List<Path> realRoots = new ArrayList<>();
        for (Path root : paths) {
            try {
                realRoots.add(root.toRealPath());
            } catch (IOException e) {
                // missing: reported when it is loaded
            }
        }
        for (Path root : paths) {
            List<Path> files;
            if (Files.isDirectory(root)) {
                List<Path> found = new ArrayList<>();
                try {
                    Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (dir.equals(root)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (ignored(skip, dir)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            if (leadsOutside(dir, realRoots)) {
                                warnings.add(dir + ": symbolic link to a directory outside the loaded paths, skipped");
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (ignored(skip, file)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (attrs.isRegularFile()) {
                                if (leadsOutside(file, realRoots)) {
                                    if (loadable(file)) {
                                        warnings.add(file + ": symbolic link to a file outside the loaded paths, skipped");
                                    }
                                } else {
                                    found.add(file);
                                }
                            } else if (attrs.isSymbolicLink() && loadable(file)) {
                                // FOLLOW_LINKS reports a link it cannot follow with the link's own attributes
                                warnings.add(file + ": broken symbolic link, skipped");
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            if (ignored(skip, file)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (e instanceof FileSystemLoopException) {
                                warnings.add(file + ": symbolic link loop, skipped");
                                return FileVisitResult.CONTINUE;
                            }
                            if (file.equals(root)) {
                                throw new UncheckedIOException(e);
                            }
                            warnings.add(file + ": " + e.getClass().getSimpleName() + " " + e.getMessage() + ", skipped");
                            return FileVisitResult.CONTINUE;
                        }
                    });
                } catch (IOException | UncheckedIOException e) {
                    throw new RegoError("rego_parse_error", null, root + ": " + (e instanceof UncheckedIOException u ? u.getCause() : e).getMessage());
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
        return new Loaded(modules, data, warnings);
    }

    /** A symbolic link whose target is not inside one of the loaded roots (as real paths). */
    private static boolean leadsOutside(Path p, List<Path> realRoots) {
        if (!Files.isSymbolicLink(p)) {
            return false;
        }
        try {
            Path real = p.toRealPath();
            return realRoots.stream().noneMatch(real::startsWith);
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean loadable(Path p) {
        String n = p.getFileName() == null ? "" : p.getFileName().toString();
        return n.endsWith(".rego") || n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
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
