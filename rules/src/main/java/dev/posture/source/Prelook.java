package dev.posture.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.posture.document.DocumentParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

import java.io.IOException;
import java.io.StringReader;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a text file is a candidate input before anything parses it into a tree: a
 * bounded streaming look (Jackson tokens, SnakeYAML events) over each document's top-level keys
 * and the few values that tell formats apart. Only candidates are parsed whole; everything else is
 * unrecognised, with the reason, and costs little more than reading it.
 */
public final class Prelook {
    /** Top-level keys remembered per document (for the reason given when nothing matches). */
    private static final int MAX_KEYS = 64;

    private static final JsonFactory LENIENT_JSON = JsonFactory.builder()
            // tsconfig.json and friends: comments and trailing commas are common in JSON that is no input
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
                    JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(DocumentParser.MAX_DEPTH)
                    .maxStringLength(Integer.MAX_VALUE / 2).maxNumberLength(Integer.MAX_VALUE / 2)
                    .maxNameLength(DocumentParser.MAX_KEY_CHARS).build())
            .build();

    /**
     * For text no parser can read (broken before the first key, or a line too long for YAML): the
     * top-level keys of a format at the start of a line, or a template's marks anywhere. A broken
     * candidate is a failed target; anything else is unrecognised.
     */
    private static final Pattern MARKERS = Pattern.compile("(?m)(AWSTemplateFormatVersion|AWS::Serverless-20)"
            + "|^[\"']?(Statement|Resources|service|apiVersion|format_version|RoleDetailList)[\"']?[ \t]*:");

    /** A Go template action as Helm charts write them ({{- if … }}, {{ .Values.x }}, {{ include … }}). */
    private static final Pattern GO_TEMPLATE = Pattern.compile(
            "\\{\\{-?\\s*(if|else|end|range|with|include|template|define|toYaml|\\.|\\$)");

    private Prelook() {
    }

    /**
     * The verdict on one file.
     *
     * @param kind   the kind it most likely is when a candidate; empty when it is none
     * @param reason why it is not a candidate (for the unrecognised list), or null
     */
    public record Verdict(Optional<InputKind> kind, String reason) {
        public boolean candidate() {
            return kind.isPresent();
        }

        static Verdict of(InputKind k) {
            return new Verdict(Optional.of(k), null);
        }

        static Verdict none(String reason) {
            return new Verdict(Optional.empty(), reason);
        }
    }

    /** What one document's top level shows. */
    private static final class Shape {
        final Set<String> keys = new LinkedHashSet<>();
        final StringBuilder transform = new StringBuilder();
        boolean awsResource;
        boolean policiesList;
        int documents;

        void key(String k) {
            if (keys.size() < MAX_KEYS || CANDIDATE_KEYS.contains(k)) {
                keys.add(k);
            }
        }

        Optional<InputKind> kind() {
            if (keys.contains("AWSTemplateFormatVersion") || transform.indexOf("AWS::Serverless") >= 0 || awsResource) {
                return Optional.of(InputKind.CLOUDFORMATION);
            }
            if (keys.contains("format_version") && (keys.contains("planned_values") || keys.contains("resource_changes")
                    || keys.contains("configuration") || keys.contains("prior_state"))) {
                return Optional.of(InputKind.TERRAFORM_PLAN);
            }
            if (keys.contains("service") && (keys.contains("provider") || keys.contains("functions"))) {
                return Optional.of(InputKind.SERVERLESS_FRAMEWORK);
            }
            if (keys.contains("RoleDetailList") || keys.contains("UserDetailList") || keys.contains("GroupDetailList")
                    || policiesList) {
                return Optional.of(InputKind.IAM_AUTHORIZATION_DETAILS);
            }
            if (keys.contains("Statement") || keys.contains("Policy")
                    || keys.contains("Effect") && (keys.contains("Action") || keys.contains("NotAction"))) {
                return Optional.of(InputKind.IAM_POLICY);
            }
            if (keys.contains("apiVersion") && keys.contains("kind")) {
                return Optional.of(InputKind.KUBERNETES);
            }
            return Optional.empty();
        }

        void clear() {
            keys.clear();
            transform.setLength(0);
            awsResource = false;
            policiesList = false;
        }
    }

    private static final Set<String> CANDIDATE_KEYS = Set.of("AWSTemplateFormatVersion", "Transform", "Resources",
            "format_version", "planned_values", "resource_changes", "configuration", "prior_state", "service",
            "provider", "functions", "RoleDetailList", "UserDetailList", "GroupDetailList", "Policies", "Statement",
            "Policy", "Effect", "Action", "NotAction", "apiVersion", "kind");

    /** Looks at decoded text; {@code name} only chooses JSON first for a {@code .json} file. */
    public static Verdict look(String name, String text) {
        if (text.isBlank()) {
            return Verdict.none("empty file");
        }
        boolean jsonName = name.toLowerCase(Locale.ROOT).endsWith(".json");
        if (jsonName || DocumentParser.looksLikeJson(text)) {
            Verdict v = json(text);
            if (v.candidate() || jsonName || !v.reason().startsWith("not valid JSON")) {
                return v;
            }
            Verdict y = yaml(text); // a YAML flow mapping ("{a: b}") looks like JSON
            return y.candidate() ? y : v;
        }
        return yaml(text);
    }

    // ---------------------------------------------------------------- JSON

    private static Verdict json(String text) {
        Shape shape = new Shape();
        try (JsonParser p = LENIENT_JSON.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                return Verdict.none(t == JsonToken.START_ARRAY ? "a JSON array, not an object of a known format"
                        : "a single JSON value, not an object of a known format");
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                shape.key(key);
                JsonToken v = p.nextToken();
                switch (key) {
                    case "Transform" -> jsonText(p, v, shape.transform);
                    case "Resources" -> {
                        if (v == JsonToken.START_OBJECT) {
                            shape.awsResource |= jsonResources(p);
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "Policies" -> {
                        shape.policiesList = v == JsonToken.START_ARRAY && jsonPolicyDetails(p);
                    }
                    default -> p.skipChildren();
                }
                if (shape.kind().isPresent() && early(shape)) {
                    return Verdict.of(shape.kind().get());
                }
            }
        } catch (IOException | RuntimeException e) {
            if (GO_TEMPLATE.matcher(text).find()) {
                return goTemplate(); // "{{- if … }}" on the first line looks like JSON
            }
            if (shape.kind().isPresent()) {
                return Verdict.of(shape.kind().get()); // broken, but it is one: the full parse says where
            }
            String depth = e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException
                    ? ": nesting deeper than " + DocumentParser.MAX_DEPTH + " levels" : "";
            return marked(text).orElseGet(() -> Verdict.none("not valid JSON" + where(e) + depth));
        }
        return shape.kind().map(Verdict::of).orElseGet(() -> Verdict.none(noMatch(shape)));
    }

    /** Formats decided by their keys alone need no further look. */
    private static boolean early(Shape s) {
        InputKind k = s.kind().orElseThrow();
        return k == InputKind.CLOUDFORMATION || k == InputKind.TERRAFORM_PLAN;
    }

    private static void jsonText(JsonParser p, JsonToken v, StringBuilder out) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            append(out, p.getText());
        } else if (v == JsonToken.START_ARRAY) {
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.VALUE_STRING) {
                    append(out, p.getText());
                } else {
                    p.skipChildren();
                }
            }
        } else {
            p.skipChildren();
        }
    }

    /** True when an entry of a Resources object has a {@code Type} starting with {@code AWS::}; consumes the object. */
    private static boolean jsonResources(JsonParser p) throws IOException {
        boolean aws = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            JsonToken v = p.nextToken();
            if (v != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                JsonToken tv = p.nextToken();
                if (k.equals("Type") && tv == JsonToken.VALUE_STRING && p.getText().startsWith("AWS::")) {
                    aws = true;
                } else {
                    p.skipChildren();
                }
            }
        }
        return aws;
    }

    /** True when the first element of a Policies array has a PolicyVersionList (authorization details); consumes it. */
    private static boolean jsonPolicyDetails(JsonParser p) throws IOException {
        boolean details = false;
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                details |= p.currentName().equals("PolicyVersionList");
                p.nextToken();
                p.skipChildren();
            }
            t = p.nextToken();
        }
        while (t != null && t != JsonToken.END_ARRAY) {
            p.skipChildren();
            t = p.nextToken();
        }
        return details;
    }

    // ---------------------------------------------------------------- YAML

    private static Verdict yaml(String text) {
        if (longLine(text)) {
            // SnakeYAML is quadratic on very long lines; such a file is a template only if it says so
            return marked(text).orElseGet(() -> Verdict.none("a line over " + DocumentParser.MAX_YAML_LINE_CHARS
                    + " characters; not read as YAML"));
        }
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(true);
        opts.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, DocumentParser.MAX_FILE_BYTES));
        opts.setNestingDepthLimit(DocumentParser.MAX_DEPTH);
        Shape shape = new Shape();
        Optional<InputKind> found = Optional.empty();
        String rootKind = null;
        try {
            Iterator<Event> events = new Yaml(opts).parse(new StringReader(text)).iterator();
            YamlCursor c = new YamlCursor(events);
            while (c.hasNext()) {
                Event e = c.next();
                if (!e.is(Event.ID.DocumentStart)) {
                    continue;
                }
                shape.clear();
                Event root = c.next();
                if (root instanceof ScalarEvent sc && sc.getValue().isEmpty() && sc.getTag() == null) {
                    continue; // an empty document between separators
                }
                shape.documents++;
                if (root instanceof MappingStartEvent) {
                    yamlTopLevel(c, shape);
                    found = shape.kind();
                    if (found.isPresent()) {
                        return Verdict.of(found.get());
                    }
                } else {
                    rootKind = root instanceof SequenceStartEvent ? "a YAML list" : "a YAML scalar (plain text)";
                    c.skip(root);
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            if (GO_TEMPLATE.matcher(text).find()) {
                return goTemplate();
            }
            if (shape.kind().isPresent()) {
                return Verdict.of(shape.kind().get());
            }
            Optional<Verdict> m = marked(text);
            if (m.isPresent()) {
                return m.get();
            }
            return Verdict.none("not valid YAML" + where(e) + (String.valueOf(e.getMessage()).startsWith("nesting deeper")
                    ? ": " + e.getMessage() : ""));
        }
        if (shape.documents == 0) {
            return Verdict.none("empty file (only comments or document separators)");
        }
        if (shape.keys.isEmpty() && rootKind != null) {
            return Verdict.none(rootKind + ", not a mapping of a known format");
        }
        return Verdict.none(noMatch(shape));
    }

    /** Reads the top-level mapping of one document (its start already consumed) into {@code shape}. */
    private static void yamlTopLevel(YamlCursor c, Shape shape) {
        while (true) {
            Event k = c.next();
            if (k.is(Event.ID.MappingEnd)) {
                return;
            }
            if (!(k instanceof ScalarEvent ks)) {
                c.skip(k);
                c.skip(c.next());
                continue;
            }
            String key = ks.getValue();
            shape.key(key);
            Event v = c.next();
            switch (key) {
                case "Transform" -> yamlText(c, v, shape.transform);
                case "Resources" -> {
                    if (v instanceof MappingStartEvent) {
                        shape.awsResource |= yamlResources(c);
                    } else {
                        c.skip(v);
                    }
                }
                case "Policies" -> {
                    shape.policiesList = false; // authorization details are JSON; YAML lists of policies are not
                    c.skip(v);
                }
                default -> c.skip(v);
            }
            if (shape.kind().isPresent() && early(shape)) {
                return; // the rest of the document need not be read
            }
        }
    }

    private static void yamlText(YamlCursor c, Event v, StringBuilder out) {
        if (v instanceof ScalarEvent s) {
            append(out, s.getValue());
        } else if (v instanceof SequenceStartEvent) {
            Event e;
            while (!(e = c.next()).is(Event.ID.SequenceEnd)) {
                if (e instanceof ScalarEvent s) {
                    append(out, s.getValue());
                } else {
                    c.skip(e);
                }
            }
        } else {
            c.skip(v);
        }
    }

    private static boolean yamlResources(YamlCursor c) {
        boolean aws = false;
        Event k;
        while (!(k = c.next()).is(Event.ID.MappingEnd)) {
            c.skip(k);
            Event v = c.next();
            if (!(v instanceof MappingStartEvent)) {
                c.skip(v);
                continue;
            }
            Event pk;
            while (!(pk = c.next()).is(Event.ID.MappingEnd)) {
                Event pv = c.next();
                if (pk instanceof ScalarEvent s && s.getValue().equals("Type") && pv instanceof ScalarEvent t
                        && t.getValue().startsWith("AWS::")) {
                    aws = true;
                } else {
                    c.skip(pk);
                    c.skip(pv);
                }
            }
        }
        return aws;
    }

    /** Events with skipping of whole values. */
    private static final class YamlCursor {
        private final Iterator<Event> events;
        private int depth;

        YamlCursor(Iterator<Event> events) {
            this.events = events;
        }

        boolean hasNext() {
            return events.hasNext();
        }

        /** The next event; nesting is bounded here (SnakeYAML's parser does not, and is slow on it). */
        Event next() {
            Event e = events.next();
            if (e instanceof MappingStartEvent || e instanceof SequenceStartEvent) {
                if (++depth > DocumentParser.MAX_DEPTH) {
                    throw new org.yaml.snakeyaml.error.YAMLException("nesting deeper than " + DocumentParser.MAX_DEPTH
                            + " levels");
                }
            } else if (e.is(Event.ID.MappingEnd) || e.is(Event.ID.SequenceEnd)) {
                depth--;
            }
            return e;
        }

        /** Skips the rest of the value that {@code start} began (nothing for a scalar or alias). */
        void skip(Event start) {
            if (!(start instanceof MappingStartEvent) && !(start instanceof SequenceStartEvent)) {
                return;
            }
            int level = 1;
            while (level > 0) {
                Event e = next();
                if (e instanceof MappingStartEvent || e instanceof SequenceStartEvent) {
                    level++;
                } else if (e.is(Event.ID.MappingEnd) || e.is(Event.ID.SequenceEnd)) {
                    level--;
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A Helm chart's template is no manifest until rendered: not a broken input. */
    private static Verdict goTemplate() {
        return Verdict.none("Go template syntax ({{ … }}) that is neither JSON nor YAML: a Helm chart template?"
                + " Render it first: helm template CHART | posture scan -");
    }

    /** The kind text no parser could read shows by its markers (see {@link #MARKERS}). */
    private static Optional<Verdict> marked(String text) {
        java.util.regex.Matcher m = MARKERS.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        if (m.group(1) != null) {
            return Optional.of(Verdict.of(InputKind.CLOUDFORMATION));
        }
        return Optional.of(Verdict.of(switch (m.group(2)) {
            case "Statement" -> InputKind.IAM_POLICY;
            case "Resources" -> InputKind.CLOUDFORMATION;
            case "service" -> InputKind.SERVERLESS_FRAMEWORK;
            case "apiVersion" -> InputKind.KUBERNETES;
            case "format_version" -> InputKind.TERRAFORM_PLAN;
            default -> InputKind.IAM_AUTHORIZATION_DETAILS;
        }));
    }

    private static void append(StringBuilder out, String s) {
        if (out.length() < 4096) {
            out.append(s, 0, Math.min(s.length(), 4096)).append(' ');
        }
    }

    private static boolean longLine(String text) {
        int start = 0;
        for (int i = 0, n = text.length(); i <= n; i++) {
            if (i == n || text.charAt(i) == '\n') {
                if (i - start > DocumentParser.MAX_YAML_LINE_CHARS) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** " (line L)" from a parser error, never its message: it may quote the input. */
    private static String where(Throwable e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                && j.getLocation().getLineNr() > 0) {
            return " (line " + j.getLocation().getLineNr() + ")";
        }
        if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getProblemMark() != null) {
            return " (line " + (y.getProblemMark().getLine() + 1) + ")";
        }
        return "";
    }

    private static String noMatch(Shape shape) {
        if (shape.keys.isEmpty()) {
            return "an empty mapping";
        }
        StringBuilder sb = new StringBuilder("top-level keys ");
        int n = 0;
        for (String k : shape.keys) {
            if (n == 5) {
                sb.append(", …");
                break;
            }
            sb.append(n++ > 0 ? ", " : "").append(k.length() > 40 ? k.substring(0, 37) + "..." : k);
        }
        return sb.append(" match no supported input").toString();
    }
}
