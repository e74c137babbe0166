package dev.posture.rego.builtins;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The builtins conftest registers on top of OPA so that policy tests can parse configuration files:
 * {@code parse_config(parser, text)}, {@code parse_config_file(path)} and {@code parse_combined_config_files(paths)}
 * (paths relative to the directory of the module that calls them, as conftest resolves them). Parsers: {@code yaml}
 * (several documents give an array), {@code json}, {@code jsonc}, {@code toml}, {@code ini}, {@code dotenv},
 * {@code properties}, with conftest's output shapes; the others conftest knows (HCL, Dockerfile, CUE, …) are a
 * builtin error naming the parser. Not OPA builtins: {@code posture policy test} registers them
 * ({@code PolicySet.Builder#conftestHelpers}); a scan never does, so a policy cannot read files while scanning.
 */
public final class ConftestParse {
    public static final String PARSE_CONFIG = "parse_config";
    public static final String PARSE_CONFIG_FILE = "parse_config_file";
    public static final String PARSE_COMBINED = "parse_combined_config_files";
    /** A configuration file larger than this is refused (a test fixture, not a data set). */
    static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    private static final ObjectMapper JSONC = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA).build();
    private static final ObjectMapper TOML = new TomlMapper();

    private ConftestParse() {
    }

    public static Value parseConfig(Value[] args, BuiltinContext ctx) {
        String parser = Args.str(args, 0);
        String text = Args.str(args, 1);
        return parse(parser.toLowerCase(Locale.ROOT), text);
    }

    public static Value parseConfigFile(Value[] args, BuiltinContext ctx) {
        Path file = resolve(ctx, Args.str(args, 0));
        return parse(parserFor(file), read(file));
    }

    /** {@code [{"path": …, "contents": …}]}, one per document (a YAML stream gives several), by path. */
    public static Value parseCombined(Value[] args, BuiltinContext ctx) {
        if (!(args[0] instanceof Value.Arr paths)) {
            throw BuiltinError.type(PARSE_COMBINED + ": operand 1 must be array of strings");
        }
        Map<String, Value> byPath = new TreeMap<>();
        for (Value p : paths.items()) {
            if (!(p instanceof Value.Str s)) {
                throw BuiltinError.type(PARSE_COMBINED + ": operand 1 must be array of strings");
            }
            Path file = resolve(ctx, s.value);
            byPath.put(file.toString(), parse(parserFor(file), read(file)));
        }
        List<Value> out = new ArrayList<>();
        byPath.forEach((path, config) -> {
            List<Value> docs = config instanceof Value.Arr a ? a.items() : List.of(config);
            for (Value d : docs) {
                Map<Value, Value> entry = new LinkedHashMap<>();
                entry.put(Value.str("path"), Value.str(path));
                entry.put(Value.str("contents"), d);
                out.add(Value.obj(entry));
            }
        });
        return Value.arr(out);
    }

    static Value parse(String parser, String text) {
        try {
            return switch (parser) {
                case "yaml", "yml" -> yaml(text);
                case "json" -> Json.fromJson(nonEmpty(JSONC.readTree(text)));
                case "jsonc" -> Json.fromJson(nonEmpty(JSONC.readTree(text)));
                case "toml" -> Json.fromJson(nonEmpty(TOML.readTree(text)));
                case "ini" -> ini(text);
                case "dotenv" -> dotenv(text);
                case "properties" -> properties(text);
                default -> throw BuiltinError.err("parser " + parser + " is not supported by posture (yaml, json, "
                        + "jsonc, toml, ini, dotenv and properties are)");
            };
        } catch (IOException e) {
            throw BuiltinError.err("unmarshal config: " + Encoding.firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static JsonNode nonEmpty(JsonNode n) throws IOException {
        if (n == null || n.isMissingNode()) {
            throw new IOException("empty input");
        }
        return n;
    }

    /** conftest splits on {@code ---} lines: one document is its value, several an array of them. */
    private static Value yaml(String text) throws IOException {
        List<Value> docs = new ArrayList<>();
        try (var it = Encoding.YAML.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode n = it.nextValue();
                docs.add(n == null || n.isMissingNode() ? Value.NULL : Json.fromJson(n));
            }
        }
        if (docs.size() == 1) {
            return docs.get(0);
        }
        return docs.isEmpty() ? Value.NULL : Value.arr(docs);
    }

    /**
     * {@code {section: {key: value}}} without the DEFAULT section (keys before any section), values that read as
     * numbers or booleans (Go's ParseFloat/ParseBool) converted, as conftest's ini parser does.
     */
    static Value ini(String text) {
        Map<String, Map<String, Value>> sections = new LinkedHashMap<>();
        String section = null;
        int lineNo = 0;
        for (String raw : text.split("\r?\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                int end = line.indexOf(']');
                if (end < 0) {
                    throw BuiltinError.err("unmarshal config: read ini file: unclosed section header on line " + lineNo);
                }
                section = line.substring(1, end).strip();
                sections.putIfAbsent(section, new LinkedHashMap<>());
                continue;
            }
            int eq = firstOf(line, '=', ':');
            String key = (eq < 0 ? line : line.substring(0, eq)).strip();
            String value = eq < 0 ? "" : unquote(line.substring(eq + 1).strip());
            if (section != null) {
                sections.get(section).put(key, typed(value));
            }
        }
        Map<Value, Value> out = new LinkedHashMap<>();
        sections.forEach((name, keys) -> {
            Map<Value, Value> m = new LinkedHashMap<>();
            keys.forEach((k, v) -> m.put(Value.str(k), v));
            out.put(Value.str(name), Value.obj(m));
        });
        return Value.obj(out);
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static Value typed(String v) {
        switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> {
                return v.equals("1") ? Value.num(1) : Value.bool(true);
            }
            case "0", "f", "F", "FALSE", "false", "False" -> {
                return v.equals("0") ? Value.num(0) : Value.bool(false);
            }
            default -> {
            }
        }
        if (v.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?")) {
            return Value.num(new java.math.BigDecimal(v));
        }
        return Value.str(v);
    }

    /** {@code KEY=value} lines ({@code export} prefix, quotes, {@code #} comments), values as strings. */
    static Value dotenv(String text) {
        Map<Value, Value> out = new LinkedHashMap<>();
        int lineNo = 0;
        for (String raw : text.split("\r?\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = firstOf(line, '=', ':');
            if (eq <= 0) {
                throw BuiltinError.err("unmarshal config: read .env file: line " + lineNo + " has no '='");
            }
            String value = line.substring(eq + 1).strip();
            if (!(value.startsWith("\"") || value.startsWith("'"))) {
                int hash = value.indexOf(" #");
                if (hash >= 0) {
                    value = value.substring(0, hash).strip();
                }
            }
            out.put(Value.str(line.substring(0, eq).strip()), Value.str(unquote(value)));
        }
        return Value.obj(out);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** Java properties: a flat object of strings. */
    static Value properties(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        Map<Value, Value> out = new LinkedHashMap<>();
        new TreeMap<>(p).forEach((k, v) -> out.put(Value.str(String.valueOf(k)), Value.str(String.valueOf(v))));
        return Value.obj(out);
    }

    /** conftest's choice of parser by file name. */
    static String parserFor(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        if (name.equals(".env") || name.startsWith(".env.") || ext.equals("env")) {
            return "dotenv";
        }
        return switch (ext) {
            case "yml", "yaml" -> "yaml";
            case "json" -> "json";
            case "jsonc" -> "jsonc";
            case "toml" -> "toml";
            case "ini", "cfg", "conf" -> "ini";
            case "properties" -> "properties";
            default -> ext.isEmpty() ? name : ext;
        };
    }

    /** Relative to the directory of the module whose expression calls the builtin. */
    private static Path resolve(BuiltinContext ctx, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        String file = ctx.callSite == null ? null : ctx.callSite.file();
        Path dir = file == null ? Path.of("") : Path.of(file).toAbsolutePath().getParent();
        return (dir == null ? p : dir.resolve(p)).normalize();
    }

    private static String read(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw BuiltinError.err("read config file " + file + ": larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw BuiltinError.err("read config file " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
