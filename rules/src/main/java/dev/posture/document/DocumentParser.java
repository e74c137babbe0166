package dev.posture.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses JSON or (multi-document) YAML into Jackson trees with a {@link SourceMap}.
 *
 * <p>YAML short-form CloudFormation tags are normalised to their long form ({@code !Ref x} →
 * {@code {"Ref": "x"}}, {@code !GetAtt a.b} → {@code {"Fn::GetAtt": ["a","b"]}}, {@code !Sub s} →
 * {@code {"Fn::Sub": s}}), so loaders see one shape. Alias expansion is bounded (billion-laughs
 * inputs fail cleanly) and nesting depth is capped.
 */
public final class DocumentParser {
    /** Documented per-file limit. */
    public static final long MAX_FILE_BYTES = 50L * 1024 * 1024;
    public static final int MAX_DEPTH = 400;
    /**
     * Longest line a YAML document may have. SnakeYAML re-buffers the rest of the line for every
     * character it looks ahead in a long scalar, so a 10 MB line takes minutes; JSON has no such limit.
     */
    public static final int MAX_YAML_LINE_CHARS = 1 << 20;
    /** Numbers longer than this (digits) are kept as their text: converting them is quadratic. */
    public static final int MAX_NUMBER_CHARS = 1000;
    /** Longest key a mapping may have (a longer one is an input error, not a memory sink). */
    public static final int MAX_KEY_CHARS = 64 * 1024;
    /** Duplicate keys recorded per document; more make the document an input error. */
    public static final int MAX_DUPLICATE_KEYS = 10_000;
    /** Nodes a YAML document may expand to through aliases, beyond its own size (billion laughs). */
    public static final long MAX_ALIAS_EXPANSION_NODES = 1_000_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9_]*)");
    private static final Pattern FLOAT = Pattern.compile("[-+]?([0-9][0-9_]*)?\\.?[0-9]+([eE][-+]?[0-9]+)?");
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(Integer.MAX_VALUE / 2).maxNumberLength((int) MAX_FILE_BYTES)
                    .maxNameLength(MAX_KEY_CHARS).build())
            .build();
    private static final Pattern JACKSON_SOURCE = Pattern.compile(
            "\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]");
    private static final Pattern JACKSON_CONSTRAINT = Pattern.compile("\\s*\\(from `[^`]*`\\)");

    private DocumentParser() {
    }

    /** Decodes UTF-8 strictly: binary input is rejected with a clear message. */
    public static String decode(String file, byte[] bytes) throws InputException {
        if (bytes.length > MAX_FILE_BYTES) {
            throw new InputException(file + ": file is " + bytes.length + " bytes, over the " + MAX_FILE_BYTES
                    + "-byte limit");
        }
        java.nio.charset.Charset bom = unicodeBom(bytes);
        if (bom != null) {
            try {
                String s = bom.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
                s = s.startsWith("\uFEFF") ? s.substring(1) : s;
                if (s.indexOf('\0') >= 0) {
                    throw new InputException(file + ": binary content (NUL character in " + bom.name() + " text)");
                }
                return s;
            } catch (CharacterCodingException e) {
                throw new InputException(file + ": not valid " + bom.name() + " text (it starts with a "
                        + bom.name() + " byte-order mark)");
            }
        }
        for (int i = 0, n = Math.min(bytes.length, 8192); i < n; i++) {
            if (bytes[i] == 0) {
                throw new InputException(file + ": binary content (NUL byte at offset " + i + ")");
            }
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            throw new InputException(file + ": not UTF-8 text" + invalidUtf8At(bytes));
        }
    }

    /** UTF-16/UTF-32 byte-order marks (JSON and YAML allow these encodings); null for UTF-8 or none. */
    private static java.nio.charset.Charset unicodeBom(byte[] b) {
        int n = b.length;
        if (n >= 4 && b[0] == 0 && b[1] == 0 && (b[2] & 0xff) == 0xFE && (b[3] & 0xff) == 0xFF) {
            return java.nio.charset.Charset.forName("UTF-32BE");
        }
        if (n >= 4 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE && b[2] == 0 && b[3] == 0) {
            return java.nio.charset.Charset.forName("UTF-32LE");
        }
        if (n >= 2 && (b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        if (n >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        return null;
    }

    /** " (invalid byte at line L)" for the first byte that is not UTF-8, or "". */
    private static String invalidUtf8At(byte[] bytes) {
        var dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(8192);
        while (true) {
            var r = dec.decode(in, out, true);
            if (r.isError()) {
                int line = 1;
                for (int i = 0; i < in.position(); i++) {
                    if (bytes[i] == '\n') {
                        line++;
                    }
                }
                return " (invalid byte 0x" + Integer.toHexString(bytes[in.position()] & 0xff) + " at line " + line
                        + ", offset " + in.position() + ")";
            }
            if (r.isUnderflow()) {
                return "";
            }
            out.clear();
        }
    }

    /** True when the text looks like JSON rather than YAML (first non-blank char is '{' or '['). */
    public static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    public static List<ParsedDocument> parse(String file, byte[] bytes) throws InputException {
        return parse(file, decode(file, bytes));
    }

    /**
     * Like {@link #parse(String, byte[])}, with the same limits, but a JSON document's source map stays empty: for
     * data that no finding points into (a policy's input), where recording the position of every value would be
     * most of the cost of reading a large file.
     */
    public static List<ParsedDocument> parseData(String file, byte[] bytes) throws InputException {
        return parse(file, decode(file, bytes), false);
    }

    public static List<ParsedDocument> parse(String file, String text) throws InputException {
        return parse(file, text, true);
    }

    /**
     * How plain (unquoted, untagged) YAML scalars are typed. JSON is unaffected: its types are in its syntax.
     */
    public enum YamlSchema {
        /**
         * YAML 1.1 as SnakeYAML resolves it: {@code yes/no/on/off} are booleans, {@code 017} is octal, timestamps
         * stay text. How CloudFormation, SAM, serverless.yml and ignore files are read.
         */
        YAML_1_1,
        /**
         * The YAML 1.2 core schema: only {@code true/false} (any case form of the spec) are booleans, so
         * {@code yes/no/on/off/y/n} stay strings; {@code 017} is decimal 17, {@code 0o17} octal, {@code 0x1F} hex.
         */
        YAML_1_2_CORE,
        /**
         * As Kubernetes clients read manifests: kubectl, Helm and the API server convert YAML with
         * sigs.k8s.io/yaml, which is go-yaml v2 (kubernetes/kubernetes#34146). That is YAML 1.1 typing with
         * go-yaml's lists: {@code y/Y/yes/Yes/YES/on/On/ON/true/True/TRUE} are {@code true},
         * {@code n/N/no/No/NO/off/Off/OFF/false/False/FALSE} are {@code false}, {@code 0644} is octal (420) as
         * are {@code 0o644}, {@code 0x}/{@code 0b} prefixes and underscores are read, timestamps stay text.
         * So {@code privileged: yes} is what the cluster runs: a privileged container.
         */
        KUBERNETES
    }

    /**
     * The documents of a file read document by document, and the documents that could not be read (each
     * error names file and line). A broken document does not stop the ones after it.
     */
    public record Parsed(List<ParsedDocument> documents, List<InputException> errors) {
        public Parsed {
            documents = List.copyOf(documents);
            errors = List.copyOf(errors);
        }
    }

    /**
     * Parses a file document by document with the given YAML typing: multi-document YAML is split at its
     * {@code ---} lines (a line starting with {@code ---} is a document marker wherever it appears, YAML's
     * "forbidden" content), each document parsed on its own with the file's line numbers, so malformed YAML in
     * one document (a tab, an alias bomb, a bad indent) is reported with its line and the next documents are
     * still read. Limits are the same as {@link #parse(String, String)}'s, applied per document where they are
     * about a document (aliases, line length). JSON is one document: an error in it is the only result.
     */
    public static Parsed parseDocuments(String file, String text, YamlSchema schema) {
        if (text.isBlank()) {
            return new Parsed(List.of(), List.of(new InputException(file + ": empty file")));
        }
        if (looksLikeJson(text)) {
            try {
                return new Parsed(List.of(parseJson(file, text, true)), List.of());
            } catch (InputException e) {
                if (file.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
                    return new Parsed(List.of(), List.of(e));
                }
                Parsed y = parseYamlDocuments(file, text, schema);
                return y.errors().isEmpty() ? y : new Parsed(List.of(), List.of(e));
            }
        }
        return parseYamlDocuments(file, text, schema);
    }

    private static Parsed parseYamlDocuments(String file, String text, YamlSchema schema) {
        List<ParsedDocument> docs = new ArrayList<>();
        List<InputException> errors = new ArrayList<>();
        List<int[]> chunks = documentChunks(text);
        Interner interner = new Interner();
        for (int[] c : chunks) {
            String chunk = text.substring(c[0], c[1]);
            if (chunk.isBlank()) {
                continue;
            }
            try {
                docs.addAll(parseYaml(file, chunk, c[2], schema, docs.size() + errors.size(), interner));
            } catch (InputException e) {
                errors.add(e);
            }
        }
        return new Parsed(docs, errors);
    }

    /**
     * Where the documents of a YAML stream start and end: {start, end, lines before start} per document. A
     * document starts at a line beginning with {@code ---} followed by a space, a tab or the line's end (with
     * the {@code %} directive lines right before it); the text before the first marker is a document too.
     */
    static List<int[]> documentChunks(String text) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        int startLine = 0;
        int line = 0;
        int pos = 0;
        int n = text.length();
        int directiveStart = -1;
        int directiveLine = 0;
        while (pos < n) {
            int eol = text.indexOf('\n', pos);
            int end = eol < 0 ? n : eol;
            boolean marker = text.startsWith("---", pos)
                    && (end == pos + 3 || text.charAt(pos + 3) == ' ' || text.charAt(pos + 3) == '\t'
                    || text.charAt(pos + 3) == '\r');
            if (text.startsWith("%", pos)) {
                if (directiveStart < 0) {
                    directiveStart = pos;
                    directiveLine = line;
                }
            } else if (marker) {
                int cut = directiveStart >= 0 ? directiveStart : pos;
                int cutLine = directiveStart >= 0 ? directiveLine : line;
                if (cut > start) {
                    out.add(new int[] {start, cut, startLine});
                }
                start = cut;
                startLine = cutLine;
                directiveStart = -1;
            } else if (end > pos && !(text.charAt(pos) == '#')) {
                directiveStart = -1;
            }
            pos = end + 1;
            line++;
        }
        if (start < n) {
            out.add(new int[] {start, n, startLine});
        }
        return out;
    }

    private static List<ParsedDocument> parse(String file, String text, boolean positions) throws InputException {
        if (text.isBlank()) {
            throw new InputException(file + ": empty file");
        }
        if (looksLikeJson(text)) {
            try {
                return List.of(parseJson(file, text, positions));
            } catch (InputException e) {
                // JSON-looking YAML flow mappings ("{a: b}") are rare but legal; a .json file must be JSON.
                if (file.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
                    throw e;
                }
                try {
                    return parseYaml(file, text);
                } catch (InputException ignored) {
                    throw e;
                }
            }
        }
        return parseYaml(file, text);
    }

    // ---------------------------------------------------------------- JSON

    /**
     * Parses JSON text embedded in another document (a policy written as a JSON string), with the
     * same limits; {@code what} names it in errors ("policy document string:3:7: invalid JSON: …").
     */
    public static ParsedDocument parseJsonText(String what, String text) throws InputException {
        return parseJson(what, text, true);
    }

    static ParsedDocument parseJson(String file, String text) throws InputException {
        return parseJson(file, text, true);
    }

    private static ParsedDocument parseJson(String file, String text, boolean positions) throws InputException {
        SourceMap map = new SourceMap(file);
        JsonParser[] parser = {null};
        try (JsonParser p = JSON.createParser(text)) {
            parser[0] = p;
            JsonToken t = p.nextToken();
            JsonNode root = readJson(p, t, SourceMap.ROOT, positions ? map : null);
            if (p.nextToken() != null) {
                JsonLocation l = p.currentTokenLocation();
                throw new InputException(file + ":" + l.getLineNr() + ":" + l.getColumnNr()
                        + ": unexpected content after the JSON value");
            }
            return new ParsedDocument(file, 0, root, map);
        } catch (SourceMap.TooManyDuplicates e) {
            throw new InputException(file + ": invalid JSON: " + e.getMessage());
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            // an exceeded limit (nesting depth): the location is where the parser stopped
            JsonLocation l = e.getLocation() != null ? e.getLocation()
                    : parser[0] == null ? null : parser[0].currentTokenLocation();
            String where = l == null || l.getLineNr() < 0 ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
            throw new InputException(file + where + ": invalid JSON: " + cleanJacksonMessage(e.getOriginalMessage()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // parse errors and duplicate keys carry a location
            JsonLocation l = e.getLocation();
            String where = l == null || l.getLineNr() < 0 ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
            throw new InputException(file + where + ": invalid JSON: " + cleanJacksonMessage(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InputException(file + ": invalid JSON: " + cleanJacksonMessage(e.getMessage()), e);
        }
    }

    private static final Pattern UNRECOGNISED_TOKEN = Pattern.compile("^Unrecognized token '(.*?)': was expecting.*",
            Pattern.DOTALL);
    private static final Pattern UNEXPECTED_CHAR = Pattern.compile("^Unexpected character \\('(.+?)' \\(code (\\d+)[^)]*\\)\\)");
    private static final Pattern NAME_TOO_LONG = Pattern.compile("^Name length \\((\\d+)\\) exceeds.*", Pattern.DOTALL);
    private static final Pattern QUOTED = Pattern.compile("'([^']{2,})'");

    /**
     * Jackson's message as one line without its boilerplate, and without the input it quotes: a
     * broken file may hold a token or password, and this text reaches reports and logs. The kind
     * of token and where it is are enough to fix the file.
     */
    static String cleanJacksonMessage(String m) {
        if (m == null) {
            return "unknown error";
        }
        if (m.startsWith("Document nesting depth")) {
            return "nesting deeper than " + MAX_DEPTH + " levels";
        }
        java.util.regex.Matcher u = UNRECOGNISED_TOKEN.matcher(m);
        if (u.matches()) {
            return "unrecognised token of " + u.group(1).length() + " characters (a JSON value is a string in"
                    + " double quotes, a number, an object, an array, true, false or null)";
        }
        java.util.regex.Matcher n = NAME_TOO_LONG.matcher(m);
        if (n.matches()) {
            return "key of " + n.group(1) + " characters, over the " + MAX_KEY_CHARS + "-character limit";
        }
        if (m.startsWith("Numeric value (")) {
            return "number out of range";
        }
        String s = JACKSON_SOURCE.matcher(m).replaceAll("line $1, column $2");
        s = JACKSON_CONSTRAINT.matcher(s).replaceAll("");
        java.util.regex.Matcher c = UNEXPECTED_CHAR.matcher(s);
        if (c.find()) {
            s = "Unexpected character " + String.format("U+%04X", Integer.parseInt(c.group(2)))
                    + s.substring(c.end());
        }
        // anything else Jackson quotes from the input (more than one character) is not repeated
        s = QUOTED.matcher(s).replaceAll(r -> switch (r.group(1)) {
            case "null", "true", "false", "NaN", "Infinity", "+INF", "-INF" -> "'" + r.group(1) + "'";
            default -> "(" + r.group(1).length() + " characters)";
        });
        return firstLine(s).strip();
    }

    private static final Pattern YAML_NAMED = Pattern.compile(
            "(undefined alias|undefined tag handle|Global tag is not allowed:?|unknown tag) +(\\S+)");

    /**
     * SnakeYAML's problem text without the input it quotes (alias and tag names, quoted scalars of
     * more than one character): the same rule as for JSON errors.
     */
    static String cleanYamlMessage(String m) {
        String s = YAML_NAMED.matcher(m).replaceAll(r -> r.group(1).replace(":", "") + " ("
                + r.group(2).length() + " characters)");
        // grammar tokens ('<block end>') and one escaped character ('\t(TAB)') are SnakeYAML's words
        s = QUOTED.matcher(s).replaceAll(r -> r.group(1).startsWith("<") && r.group(1).endsWith(">")
                || r.group(1).matches("\\\\[a-zA-Z0-9]{1,8}(\\([A-Z]+\\))?")
                ? "'" + java.util.regex.Matcher.quoteReplacement(r.group(1)) + "'"
                : "(" + r.group(1).length() + " characters)");
        return s;
    }

    /** Reads one value; records positions under the source map node {@code ptr} unless {@code map} is null. */
    private static JsonNode readJson(JsonParser p, JsonToken t, int ptr, SourceMap map) throws IOException {
        if (map != null) {
            JsonLocation l = p.currentTokenLocation();
            map.put(ptr, l.getLineNr(), l.getColumnNr());
        }
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int child = -1;
                    int firstLine = 0;
                    JsonLocation kl = p.currentTokenLocation();
                    if (map != null) {
                        child = map.child(ptr, key);
                        if (o.has(key)) {
                            // the last value wins: its lines are the ones to show
                            firstLine = map.line(child);
                            child = map.rebind(ptr, key);
                        }
                        map.put(child, kl.getLineNr(), kl.getColumnNr());
                    }
                    JsonNode old = o.replace(key, readJson(p, p.nextToken(), child, map));
                    if (old != null && map != null) {
                        map.duplicate(new DuplicateKey(map, ptr, key, firstLine, kl.getLineNr(), old));
                    }
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                int i = 0;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    a.add(readJson(p, t, map == null ? -1 : map.child(ptr, i), map));
                    i++;
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                if (p.getTextLength() > MAX_NUMBER_CHARS) {
                    return NODES.textNode(p.getText()); // kept as written: converting it is quadratic
                }
                try {
                    if (t == JsonToken.VALUE_NUMBER_INT) {
                        JsonParser.NumberType nt = p.getNumberType();
                        return nt == JsonParser.NumberType.BIG_INTEGER ? NODES.numberNode(p.getBigIntegerValue())
                                : NODES.numberNode(p.getLongValue());
                    }
                    return NODES.numberNode(p.getDecimalValue());
                } catch (NumberFormatException | ArithmeticException | com.fasterxml.jackson.core.exc.StreamReadException e) {
                    return NODES.textNode(p.getText()); // e.g. an exponent beyond BigDecimal's range
                }
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new JsonParseException(p, "unexpected token " + t);
        }
    }

    // ---------------------------------------------------------------- YAML

    static List<ParsedDocument> parseYaml(String file, String text) throws InputException {
        return parseYaml(file, text, 0, YamlSchema.YAML_1_1, 0);
    }

    /**
     * Parses YAML text that starts at line {@code lineOffset + 1} of {@code file} (positions and errors carry the
     * file's lines); documents are numbered from {@code firstIndex}.
     */
    static List<ParsedDocument> parseYaml(String file, String text, int lineOffset, YamlSchema schema, int firstIndex)
            throws InputException {
        return parseYaml(file, text, lineOffset, schema, firstIndex, new Interner());
    }

    /**
     * Shares equal keys and short string values between the documents of one file: a manifest with thousands of
     * objects repeats {@code name}, {@code image}, {@code containers}… in every one of them. Bounded, so hostile
     * input with only distinct keys costs no more than without it.
     */
    static final class Interner {
        private static final int MAX_ENTRIES = 1 << 16;
        private static final int MAX_CHARS = 64;
        private final java.util.HashMap<String, String> keys = new java.util.HashMap<>();
        private final java.util.HashMap<String, com.fasterxml.jackson.databind.node.TextNode> texts = new java.util.HashMap<>();

        String key(String k) {
            if (k.length() > MAX_CHARS) {
                return k;
            }
            String v = keys.get(k);
            if (v != null) {
                return v;
            }
            if (keys.size() < MAX_ENTRIES) {
                keys.put(k, k);
            }
            return k;
        }

        JsonNode text(String t) {
            if (t.length() > MAX_CHARS) {
                return NODES.textNode(t);
            }
            com.fasterxml.jackson.databind.node.TextNode n = texts.get(t);
            if (n == null) {
                n = NODES.textNode(t);
                if (texts.size() < MAX_ENTRIES) {
                    texts.put(t, n);
                }
            }
            return n;
        }
    }

    private static List<ParsedDocument> parseYaml(String file, String text, int lineOffset, YamlSchema schema,
                                                  int firstIndex, Interner interner) throws InputException {
        checkLineLengths(file, text, lineOffset);
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(true);
        opts.setMaxAliasesForCollections(100);
        opts.setNestingDepthLimit(MAX_DEPTH);
        opts.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, MAX_FILE_BYTES));
        opts.setProcessComments(false);
        // what Yaml.composeAll does, without building a constructor and representer per document
        org.yaml.snakeyaml.composer.Composer composer = new org.yaml.snakeyaml.composer.Composer(
                new org.yaml.snakeyaml.parser.ParserImpl(new org.yaml.snakeyaml.reader.StreamReader(new StringReader(text)),
                        opts), resolver(schema), opts);
        List<ParsedDocument> docs = new ArrayList<>();
        try {
            int index = firstIndex;
            while (composer.checkNode()) {
                Node node = composer.getNode();
                if (node == null || node instanceof ScalarNode sn && Tag.NULL.equals(sn.getTag())) {
                    continue; // an empty document between separators
                }
                SourceMap map = new SourceMap(file);
                JsonNode root = new YamlConverter(map, MAX_ALIAS_EXPANSION_NODES + text.length(), lineOffset, schema,
                        interner).convert(node, SourceMap.ROOT, 0);
                docs.add(new ParsedDocument(file, index++, root, map));
            }
        } catch (SourceMap.TooManyDuplicates e) {
            throw new InputException(file + ": invalid YAML: " + e.getMessage());
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = m == null ? "" : ":" + (m.getLine() + 1 + lineOffset) + ":" + (m.getColumn() + 1);
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            Mark c = e.getContextMark();
            String context = e.getContext() != null && c != null && m != null && c.getLine() != m.getLine()
                    ? " (" + e.getContext().strip() + " at line " + (c.getLine() + 1 + lineOffset) + ")" : "";
            throw new InputException(file + where + ": invalid YAML: " + cleanYamlMessage(problem.strip())
                    + cleanYamlMessage(context));
        } catch (org.yaml.snakeyaml.reader.ReaderException e) {
            // a control character: name it and where it is (the parser's message has neither)
            int line = 1 + lineOffset;
            int col = 1;
            int cp = 0;
            for (int i = 0; i < text.length() && cp < e.getPosition(); i += Character.charCount(text.codePointAt(i)), cp++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            throw new InputException(file + ":" + line + ":" + col + ": invalid YAML: control character "
                    + String.format("U+%04X", e.getCodePoint()) + " is not allowed");
        } catch (YAMLException e) {
            String m = firstLine(e.getMessage());
            if (m.startsWith("Nesting Depth exceeded")) {
                m = "nesting deeper than " + MAX_DEPTH + " levels";
            }
            throw new InputException(file + ": invalid YAML: " + m);
        } catch (StackOverflowError e) {
            throw new InputException(file + ": invalid YAML: nesting too deep");
        }
        return docs;
    }

    private static final org.yaml.snakeyaml.resolver.Resolver RESOLVER_1_1 = new org.yaml.snakeyaml.resolver.Resolver();
    private static final org.yaml.snakeyaml.resolver.Resolver RESOLVER_1_2 = new SchemaResolver(YamlSchema.YAML_1_2_CORE);
    private static final org.yaml.snakeyaml.resolver.Resolver RESOLVER_K8S = new SchemaResolver(YamlSchema.KUBERNETES);

    /** Resolvers are only read once built: one per schema serves every parse. */
    private static org.yaml.snakeyaml.resolver.Resolver resolver(YamlSchema schema) {
        return switch (schema) {
            case YAML_1_1 -> RESOLVER_1_1;
            case YAML_1_2_CORE -> RESOLVER_1_2;
            case KUBERNETES -> RESOLVER_K8S;
        };
    }

    /** Rejects YAML with a line over {@link #MAX_YAML_LINE_CHARS} (see there), naming the line. */
    private static void checkLineLengths(String file, String text, int lineOffset) throws InputException {
        int line = 1 + lineOffset;
        int start = 0;
        for (int i = 0, n = text.length(); i <= n; i++) {
            if (i == n || text.charAt(i) == '\n') {
                if (i - start > MAX_YAML_LINE_CHARS) {
                    throw new InputException(file + ":" + line + ": invalid YAML: line is " + (i - start)
                            + " characters long, over the " + MAX_YAML_LINE_CHARS + "-character limit for YAML lines");
                }
                line++;
                start = i + 1;
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * Converts a SnakeYAML node graph to Jackson, recording positions. An anchored node is converted
     * once and shared by its aliases (memory stays linear in the document); the nodes aliases stand
     * for are still counted against the expansion budget, so consumers walking the tree stay bounded.
     */
    private static final class YamlConverter {
        private record Converted(JsonNode value, long nodes, int height) {
        }

        private final long maxNodes;
        private final SourceMap map;
        private final int lineOffset;
        private final YamlSchema schema;
        private final Map<Node, Boolean> inProgress = new IdentityHashMap<>();
        private final Map<Node, Converted> done = new IdentityHashMap<>();
        private long nodes;
        private int height;

        /** @param maxNodes nodes the document may expand to: its own size plus a bounded alias expansion */
        private final Interner interner;

        YamlConverter(SourceMap map, long maxNodes, int lineOffset, YamlSchema schema, Interner interner) {
            this.map = map;
            this.maxNodes = maxNodes;
            this.lineOffset = lineOffset;
            this.schema = schema;
            this.interner = interner;
        }

        JsonNode convert(Node node, int ptr, int depth) {
            if (depth > MAX_DEPTH) {
                throw new YAMLException("nesting deeper than " + MAX_DEPTH + " levels");
            }
            Mark m = node.getStartMark();
            if (m != null) {
                map.put(ptr, m.getLine() + 1 + lineOffset, m.getColumn() + 1);
            }
            if (inProgress.containsKey(node)) {
                throw new YAMLException("recursive alias at line " + (m == null ? 0 : m.getLine() + 1 + lineOffset));
            }
            Converted c = done.get(node);
            if (c != null) {
                // an alias: the same value again, counted as if expanded
                nodes += c.nodes();
                if (nodes > maxNodes) {
                    throw tooManyNodes();
                }
                if (depth + c.height() > MAX_DEPTH) {
                    throw new YAMLException("nesting deeper than " + MAX_DEPTH + " levels");
                }
                height = Math.max(height, depth + c.height());
                return c.value();
            }
            if (++nodes > maxNodes) {
                throw tooManyNodes();
            }
            long before = nodes - 1;
            int outerHeight = height;
            height = depth;
            Tag tag = node.getTag();
            String tagValue = tag == null ? "" : tag.getValue();
            boolean custom = tagValue.startsWith("!") && !tagValue.startsWith("!!");
            JsonNode value;
            inProgress.put(node, Boolean.TRUE);
            try {
                value = custom ? intrinsic(tagValue.substring(1), node, ptr, depth) : plain(node, ptr, depth);
            } finally {
                inProgress.remove(node);
            }
            int h = height - depth;
            height = Math.max(outerHeight, height);
            if (!(node instanceof ScalarNode) && isAnchored(node)) {
                done.put(node, new Converted(value, nodes - before, h));
            }
            return value;
        }

        private YAMLException tooManyNodes() {
            return new YAMLException("aliases expand the document to more than " + maxNodes
                    + " nodes (an alias bomb?)");
        }

        /** Only anchored nodes can be met again; remembering others would cost memory for nothing. */
        private static boolean isAnchored(Node node) {
            return node.getAnchor() != null;
        }

        private JsonNode plain(Node node, int ptr, int depth) {
            if (node instanceof MappingNode mn) {
                ObjectNode o = schema == YamlSchema.YAML_1_1 ? NODES.objectNode() : new ObjectNode(NODES, new CompactMap());
                java.util.Set<String> explicit = new java.util.HashSet<>();
                for (NodeTuple t : mn.getValue()) {
                    Node k = t.getKeyNode();
                    String key = k instanceof ScalarNode sk ? interner.key(sk.getValue())
                            : String.valueOf(new YamlConverter(new SourceMap(map.file()), maxNodes - nodes, lineOffset,
                            schema, interner).convert(k, SourceMap.ROOT, depth + 1));
                    Mark km = k.getStartMark();
                    if (key.length() > MAX_KEY_CHARS) {
                        throw new MarkedYAMLException(null, null, "key of " + key.length()
                                + " characters, over the " + MAX_KEY_CHARS + "-character limit", km) {
                        };
                    }
                    if ("<<".equals(key) && k.getTag() == Tag.MERGE) {
                        JsonNode merged = convert(t.getValueNode(), ptr, depth + 1);
                        boolean maps = merged.isObject()
                                || merged.isArray() && java.util.stream.StreamSupport.stream(merged.spliterator(), false)
                                .allMatch(JsonNode::isObject);
                        if (!maps) {
                            // the YAML merge key takes a mapping or a list of mappings: never drop it silently
                            throw new MarkedYAMLException(null, null,
                                    "merge key '<<' needs a mapping or a list of mappings", km) {
                            };
                        }
                        mergeInto(o, merged);
                        continue;
                    }
                    int child = map.child(ptr, key);
                    int firstLine = 0;
                    boolean again = !explicit.add(key);
                    if (again) {
                        // the last value wins, as CloudFormation reads YAML; readers are told
                        firstLine = map.line(child);
                        child = map.rebind(ptr, key);
                    }
                    if (km != null) {
                        map.put(child, km.getLine() + 1 + lineOffset, km.getColumn() + 1);
                    }
                    JsonNode old = o.replace(key, convert(t.getValueNode(), child, depth + 1));
                    if (again) {
                        map.duplicate(new DuplicateKey(map, ptr, key, firstLine,
                                km == null ? 0 : km.getLine() + 1 + lineOffset, old));
                    }
                }
                return o;
            }
            if (node instanceof SequenceNode sn) {
                ArrayNode a = NODES.arrayNode();
                int i = 0;
                for (Node item : sn.getValue()) {
                    a.add(convert(item, map.child(ptr, i++), depth + 1));
                }
                return a;
            }
            JsonNode v = schema == YamlSchema.YAML_1_1 ? scalar((ScalarNode) node) : typed((ScalarNode) node, schema);
            return v.isTextual() ? interner.text(v.textValue()) : v;
        }

        private static void mergeInto(ObjectNode target, JsonNode merged) {
            if (merged instanceof ObjectNode mo) {
                mo.fields().forEachRemaining(e -> {
                    if (!target.has(e.getKey())) {
                        target.set(e.getKey(), e.getValue());
                    }
                });
            } else if (merged instanceof ArrayNode ma) {
                ma.forEach(m -> mergeInto(target, m));
            }
        }

        /** {@code !Ref x} → {"Ref": x}; {@code !GetAtt a.b} → {"Fn::GetAtt": [a, b]}; others → {"Fn::Name": v}. */
        private JsonNode intrinsic(String name, Node node, int ptr, int depth) {
            ObjectNode o = NODES.objectNode();
            String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
            int child = map.child(ptr, key);
            JsonNode value;
            if (node instanceof ScalarNode sn) {
                value = NODES.textNode(sn.getValue());
                if (name.equals("GetAtt")) {
                    String v = sn.getValue();
                    int dot = v.indexOf('.');
                    ArrayNode parts = NODES.arrayNode();
                    if (dot > 0) {
                        parts.add(v.substring(0, dot));
                        parts.add(v.substring(dot + 1));
                    } else {
                        parts.add(v);
                    }
                    value = parts;
                }
                Mark m = node.getStartMark();
                if (m != null) {
                    map.put(child, m.getLine() + 1 + lineOffset, m.getColumn() + 1);
                }
            } else {
                value = plain(node, child, depth + 1);
            }
            o.set(key, value);
            return o;
        }

        private static JsonNode scalar(ScalarNode sn) {
            String v = sn.getValue();
            Tag tag = sn.getTag();
            if (v.length() > MAX_NUMBER_CHARS && (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag))) {
                return NODES.textNode(v); // kept as written: converting it is quadratic
            }
            if (Tag.NULL.equals(tag)) {
                return NODES.nullNode();
            }
            if (Tag.BOOL.equals(tag)) {
                String l = v.toLowerCase(java.util.Locale.ROOT);
                return NODES.booleanNode(l.equals("true") || l.equals("yes") || l.equals("on") || l.equals("y"));
            }
            if (Tag.INT.equals(tag)) {
                String clean = v.replace("_", "");
                if (INT.matcher(v).matches()) {
                    return NODES.numberNode(new BigInteger(clean.startsWith("+") ? clean.substring(1) : clean));
                }
                try {
                    return NODES.numberNode(parseRadix(clean));
                } catch (NumberFormatException e) {
                    return NODES.textNode(v);
                }
            }
            if (Tag.FLOAT.equals(tag)) {
                String clean = v.replace("_", "");
                if (FLOAT.matcher(clean).matches()) {
                    try {
                        return NODES.numberNode(new BigDecimal(clean.startsWith("+") ? clean.substring(1) : clean));
                    } catch (NumberFormatException e) {
                        return NODES.textNode(v);
                    }
                }
                return NODES.textNode(v); // .inf / .nan have no JSON form
            }
            return NODES.textNode(v);
        }

        /** A scalar typed by {@link SchemaResolver} for the YAML 1.2 core schema or Kubernetes' go-yaml v2 reading. */
        private static JsonNode typed(ScalarNode sn, YamlSchema schema) {
            String v = sn.getValue();
            Tag tag = sn.getTag();
            if (Tag.NULL.equals(tag)) {
                return NODES.nullNode();
            }
            if (Tag.BOOL.equals(tag)) {
                return NODES.booleanNode(SchemaResolver.TRUE.matcher(v).matches());
            }
            if (v.length() > MAX_NUMBER_CHARS && (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag))) {
                return NODES.textNode(v); // kept as written: converting it is quadratic
            }
            if (Tag.INT.equals(tag)) {
                String clean = schema == YamlSchema.KUBERNETES ? v.replace("_", "") : v;
                try {
                    BigInteger b = schema == YamlSchema.YAML_1_2_CORE && !clean.startsWith("0o") && !clean.startsWith("0x")
                            ? new BigInteger(clean.startsWith("+") ? clean.substring(1) : clean)
                            : parseRadix(clean.toLowerCase(java.util.Locale.ROOT));
                    return b.bitLength() < 32 ? NODES.numberNode(b.intValue())
                            : b.bitLength() < 64 ? NODES.numberNode(b.longValue()) : NODES.numberNode(b);
                } catch (NumberFormatException e) {
                    return NODES.textNode(v);
                }
            }
            if (Tag.FLOAT.equals(tag)) {
                String clean = (schema == YamlSchema.KUBERNETES ? v.replace("_", "") : v);
                if (clean.indexOf('n') >= 0 || clean.indexOf('N') >= 0) {
                    return NODES.textNode(v); // .inf / .nan have no JSON form
                }
                try {
                    return NODES.numberNode(new BigDecimal(clean.startsWith("+") ? clean.substring(1) : clean));
                } catch (NumberFormatException e) {
                    return NODES.textNode(v);
                }
            }
            return NODES.textNode(v);
        }

        private static BigInteger parseRadix(String s) {
            boolean neg = s.startsWith("-");
            String body = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
            BigInteger r;
            if (body.startsWith("0x")) {
                r = new BigInteger(body.substring(2), 16);
            } else if (body.startsWith("0o")) {
                r = new BigInteger(body.substring(2), 8);
            } else if (body.startsWith("0b")) {
                r = new BigInteger(body.substring(2), 2);
            } else if (body.startsWith("0") && body.length() > 1) {
                r = new BigInteger(body.substring(1), 8);
            } else {
                r = new BigInteger(body);
            }
            return neg ? r.negate() : r;
        }
    }

    /**
     * Implicit typing of plain scalars for {@link YamlSchema#YAML_1_2_CORE} and {@link YamlSchema#KUBERNETES}
     * (SnakeYAML's own resolver is YAML 1.1). Timestamps are not resolved: both keep them as text.
     */
    static final class SchemaResolver extends org.yaml.snakeyaml.resolver.Resolver {
        static final Pattern TRUE = Pattern.compile("y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE");
        private static final Pattern CORE_BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
        private static final Pattern CORE_NULL = Pattern.compile("^(?:~|null|Null|NULL| )$");
        private static final Pattern CORE_INT = Pattern.compile("^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$");
        private static final Pattern CORE_FLOAT = Pattern.compile(
                "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
        private static final Pattern GO_BOOL = Pattern.compile(
                "^(?:y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE|n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$");
        /** What Go's strconv.ParseInt(s, 0, 64) accepts once go-yaml has removed underscores. */
        private static final Pattern GO_INT = Pattern.compile(
                "^[-+]?(?:0|[1-9][0-9_]*|0[0-7_]+|0[oO][0-7_]+|0[xX][0-9a-fA-F_]+|0[bB][01_]+)$");
        private static final Pattern GO_FLOAT = Pattern.compile(
                "^(?:[-+]?(?:\\.[0-9_]+|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

        private final YamlSchema schema;

        SchemaResolver(YamlSchema schema) {
            super();
            this.schema = schema;
            yamlImplicitResolvers.clear();
            boolean core = schema == YamlSchema.YAML_1_2_CORE;
            addImplicitResolver(Tag.BOOL, core ? CORE_BOOL : GO_BOOL, core ? "tTfF" : "yYnNtTfFoO", 10);
            addImplicitResolver(Tag.INT, core ? CORE_INT : GO_INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, core ? CORE_FLOAT : GO_FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
            addImplicitResolver(Tag.NULL, CORE_NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
            addImplicitResolver(Tag.YAML, YAML, "!&*", 10);
        }

        @Override
        protected void addImplicitResolvers() {
            // the schema's resolvers are added by the constructor (the field is not set yet when this runs)
        }
    }
}
