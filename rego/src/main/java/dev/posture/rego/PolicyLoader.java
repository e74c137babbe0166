package dev.posture.rego;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads {@code *.rego} files and data files ({@code data.json} / {@code data.yaml} / {@code data.yml}, or any
 * {@code .json}/{@code .yaml} file given explicitly) from files or directories, as {@code opa} does: a data file found
 * in directory {@code a/b} below a loaded root is mounted at {@code data.a.b}.
 */
public final class PolicyLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Loaded sources: module name to source text, and the merged data document. */
    public record Loaded(Map<String, String> modules, Value data) {
    }

    private PolicyLoader() {
    }

    public static Loaded load(List<Path> paths) {
        Map<String, String> modules = new LinkedHashMap<>();
        Value data = Value.EMPTY_OBJECT;
        for (Path root : paths) {
            List<Path> files;
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                files = List.of(root);
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    if (name.endsWith(".rego")) {
                        modules.put(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
                    } else if (name.equals("data.json") || name.equals("data.yaml") || name.equals("data.yml")
                            || !Files.isDirectory(root) && (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml"))) {
                        JsonNode n = name.endsWith(".json") ? Json.MAPPER.readTree(f.toFile()) : YAML.readTree(f.toFile());
                        Value v = Json.fromJson(n);
                        List<Value> prefix = new ArrayList<>();
                        if (Files.isDirectory(root)) {
                            Path rel = root.relativize(f.getParent() == null ? root : f.getParent());
                            for (Path seg : rel) {
                                if (!seg.toString().isEmpty()) {
                                    prefix.add(Value.str(seg.toString()));
                                }
                            }
                        }
                        data = merge(data, wrap(prefix, v));
                    }
                } catch (IOException e) {
                    throw new RegoError("rego_parse_error", null, f + ": " + e.getMessage());
                }
            }
        }
        return new Loaded(modules, data);
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

    static Value merge(Value a, Value b) {
        if (a instanceof Value.Obj ao && b instanceof Value.Obj bo) {
            LinkedHashMap<Value, Value> m = new LinkedHashMap<>(ao.map());
            for (Map.Entry<Value, Value> e : bo.map().entrySet()) {
                Value ex = m.get(e.getKey());
                m.put(e.getKey(), ex == null ? e.getValue() : merge(ex, e.getValue()));
            }
            return Value.obj(m);
        }
        return b;
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
