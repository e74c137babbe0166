package dev.posture.rego.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * json.verify_schema and json.match_schema. Validation runs on networknt's validator; errors are reported in the
 * shape and wording of gojsonschema, which OPA uses: {error, type, field, desc} with "(root)" for the top level.
 */
final class JsonSchema {
    private JsonSchema() {
    }

    static final Set<String> TYPES = Set.of("array", "boolean", "integer", "number", "null", "object", "string");
    private static final Map<String, com.networknt.schema.JsonSchema> CACHE = new ConcurrentHashMap<>();

    static void register(Registry r) {
        r.add("json.verify_schema", 1, (a, c) -> {
            try {
                compile(schemaNode(a[0], 0));
                return Value.arr(Value.bool(true), Value.NULL);
            } catch (BuiltinError e) {
                if (e.type) {
                    throw e;
                }
                return Value.arr(Value.bool(false), Value.str("jsonschema: " + e.getMessage()));
            }
        });
        r.add("json.match_schema", 2, (a, c) -> {
            JsonNode doc = document(a[0]);
            com.networknt.schema.JsonSchema s = compile(schemaNode(a[1], 1));
            List<Value> errors = new ArrayList<>();
            for (ValidationMessage m : s.validate(doc)) {
                errors.add(error(m));
            }
            return Value.arr(Value.bool(errors.isEmpty()), Value.arr(errors));
        });
    }

    static JsonNode schemaNode(Value v, int i) {
        if (v instanceof Value.Str s) {
            try {
                JsonNode n = Encoding.JSON.readTree(s.value);
                if (n == null || n.isMissingNode()) {
                    throw BuiltinError.err("invalid JSON string");
                }
                return n;
            } catch (java.io.IOException e) {
                throw BuiltinError.err("invalid JSON string");
            }
        }
        if (v instanceof Value.Obj || v instanceof Value.Bool) {
            return Json.toJson(v);
        }
        throw Args.typeErr(i, "one of {object, string}", v);
    }

    static JsonNode document(Value v) {
        if (v instanceof Value.Str s) {
            try {
                JsonNode n = Encoding.JSON.readTree(s.value);
                if (n == null || n.isMissingNode()) {
                    throw BuiltinError.err("invalid JSON string");
                }
                return n;
            } catch (java.io.IOException e) {
                throw BuiltinError.err("invalid JSON string");
            }
        }
        return Json.toJson(v);
    }

    static com.networknt.schema.JsonSchema compile(JsonNode schema) {
        String key = schema.toString();
        com.networknt.schema.JsonSchema s = CACHE.get(key);
        if (s != null) {
            return s;
        }
        checkTypes(schema, "");
        SpecVersion.VersionFlag v = SpecVersion.VersionFlag.V7;
        if (schema.isObject() && schema.path("$schema").isTextual()) {
            String id = schema.path("$schema").asText();
            if (id.contains("draft-04")) {
                v = SpecVersion.VersionFlag.V4;
            } else if (id.contains("draft-06")) {
                v = SpecVersion.VersionFlag.V6;
            }
        }
        try {
            s = JsonSchemaFactory.getInstance(v, b -> b.schemaLoaders(l -> l.add(JsonSchema::noRemote))).getSchema(schema);
            s.initializeValidators();
        } catch (RuntimeException e) {
            throw BuiltinError.err(String.valueOf(e.getMessage()));
        }
        if (CACHE.size() < 1000) {
            CACHE.put(key, s);
        }
        return s;
    }

    /** Keeps evaluation hermetic: meta-schemas come from the validator's class path, other references are refused. */
    private static com.networknt.schema.resource.InputStreamSource noRemote(com.networknt.schema.AbsoluteIri iri) {
        String s = iri.toString();
        if (s.startsWith("classpath:") || s.startsWith("resource:")) {
            return null;
        }
        return () -> {
            throw new java.io.IOException("remote schema references are not supported: " + s);
        };
    }

    /** gojsonschema refuses unknown primitive types when loading a schema; networknt would ignore them. */
    private static void checkTypes(JsonNode n, String parentKey) {
        if (n.isObject()) {
            if (n.path("$ref").isTextual() && !n.get("$ref").asText().startsWith("#")) {
                throw BuiltinError.err("remote schema references are not supported: " + n.get("$ref").asText());
            }
            boolean container = Set.of("properties", "patternProperties", "definitions", "$defs", "dependencies").contains(parentKey);
            if (!container && n.has("type")) {
                JsonNode t = n.get("type");
                List<JsonNode> ts = new ArrayList<>();
                if (t.isArray()) {
                    t.forEach(ts::add);
                } else {
                    ts.add(t);
                }
                for (JsonNode x : ts) {
                    if (x.isTextual() && !TYPES.contains(x.asText())) {
                        throw BuiltinError.err("has a primitive type that is NOT VALID -- given: /" + x.asText()
                                + "/ Expected valid values are:[array boolean integer number null object string]");
                    }
                }
            }
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                checkTypes(e.getValue(), container ? "" : e.getKey());
            }
        } else if (n.isArray()) {
            n.forEach(x -> checkTypes(x, ""));
        }
    }

    /** gojsonschema's context path: "(root)", then dot-separated property names and indices. */
    static String field(JsonNodePath p) {
        StringBuilder sb = new StringBuilder("(root)");
        for (int i = 0; i < p.getNameCount(); i++) {
            Object el = p.getElement(i);
            sb.append('.').append(el);
        }
        String s = sb.toString();
        return s.equals("(root)") ? s : s.substring("(root).".length());
    }

    static String goType(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "null";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isNumber()) {
            return n.isIntegralNumber() || n.decimalValue().stripTrailingZeros().scale() <= 0 ? "integer" : "number";
        }
        if (n.isTextual()) {
            return "string";
        }
        return n.isArray() ? "array" : "object";
    }

    private static String text(JsonNode n) {
        if (n == null) {
            return "";
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(x -> parts.add(x.isTextual() ? x.asText() : x.toString()));
            return String.join(", ", parts);
        }
        return n.isTextual() ? n.asText() : n.toString();
    }

    static Value error(ValidationMessage m) {
        String field = field(m.getInstanceLocation());
        JsonNode schema = m.getSchemaNode();
        // depending on the keyword, networknt reports either the keyword's value or the enclosing schema
        JsonNode kw = schema != null && schema.isObject() && schema.has(m.getType()) ? schema.get(m.getType()) : schema;
        if (schema == null || !schema.isObject()) {
            schema = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        String type;
        String desc;
        switch (m.getType()) {
            case "type" -> {
                type = "invalid_type";
                desc = "Invalid type. Expected: " + text(kw) + ", given: " + goType(m.getInstanceNode());
            }
            case "required" -> {
                type = "required";
                desc = m.getProperty() + " is required";
            }
            case "additionalProperties" -> {
                type = "additional_property_not_allowed";
                desc = "Additional property " + m.getProperty() + " is not allowed";
            }
            case "enum" -> {
                type = "enum";
                List<String> vals = new ArrayList<>();
                if (kw != null) {
                    kw.forEach(x -> vals.add(x.toString()));
                }
                desc = field + " must be one of the following: " + String.join(", ", vals);
            }
            case "const" -> {
                type = "const";
                desc = field + " does not match: " + (kw == null ? "" : kw.toString());
            }
            case "minItems" -> {
                type = "array_min_items";
                desc = "Array must have at least " + text(kw) + " items";
            }
            case "maxItems" -> {
                type = "array_max_items";
                desc = "Array must have at most " + text(kw) + " items";
            }
            case "uniqueItems" -> {
                type = "unique";
                desc = "array items must be unique";
            }
            case "minLength" -> {
                type = "string_gte";
                desc = "String length must be greater than or equal to " + text(kw);
            }
            case "maxLength" -> {
                type = "string_lte";
                desc = "String length must be less than or equal to " + text(kw);
            }
            case "pattern" -> {
                type = "pattern";
                desc = "Does not match pattern '" + text(kw) + "'";
            }
            case "format" -> {
                type = "format";
                desc = "Does not match format '" + text(kw) + "'";
            }
            case "minimum" -> {
                boolean excl = schema.path("exclusiveMinimum").asBoolean(false);
                type = excl ? "number_gt" : "number_gte";
                desc = (excl ? "Must be greater than " : "Must be greater than or equal to ") + text(kw);
            }
            case "maximum" -> {
                boolean excl = schema.path("exclusiveMaximum").asBoolean(false);
                type = excl ? "number_lt" : "number_lte";
                desc = (excl ? "Must be less than " : "Must be less than or equal to ") + text(kw);
            }
            case "exclusiveMinimum" -> {
                type = "number_gt";
                desc = "Must be greater than " + text(kw);
            }
            case "exclusiveMaximum" -> {
                type = "number_lt";
                desc = "Must be less than " + text(kw);
            }
            case "multipleOf" -> {
                type = "multiple_of";
                desc = "Must be a multiple of " + text(kw);
            }
            case "anyOf" -> {
                type = "number_any_of";
                desc = "Must validate at least one schema (anyOf)";
            }
            case "oneOf" -> {
                type = "number_one_of";
                desc = "Must validate one and only one schema (oneOf)";
            }
            case "allOf" -> {
                type = "number_all_of";
                desc = "Must validate all the schemas (allOf)";
            }
            case "not" -> {
                type = "number_not";
                desc = "Must not validate the schema (not)";
            }
            case "minProperties" -> {
                type = "array_min_properties";
                desc = "Must have at least " + text(kw) + " properties";
            }
            case "maxProperties" -> {
                type = "array_max_properties";
                desc = "Must have at most " + text(kw) + " properties";
            }
            case "additionalItems" -> {
                type = "array_no_additional_items";
                desc = "No additional items allowed on array";
            }
            case "contains" -> {
                type = "contains";
                desc = "At least one of the items must match";
            }
            case "then" -> {
                type = "condition_then";
                desc = "Must validate \"then\" as \"if\" was valid";
            }
            case "else" -> {
                type = "condition_else";
                desc = "Must validate \"else\" as \"if\" was not valid";
            }
            case "false" -> {
                type = "false";
                desc = "False always fails validation";
            }
            default -> {
                type = m.getType();
                String msg = m.getMessage();
                int colon = msg.indexOf(": ");
                desc = colon >= 0 ? msg.substring(colon + 2) : msg;
            }
        }
        Map<Value, Value> o = new LinkedHashMap<>();
        o.put(Value.str("error"), Value.str(field + ": " + desc));
        o.put(Value.str("type"), Value.str(type));
        o.put(Value.str("field"), Value.str(field));
        o.put(Value.str("desc"), Value.str(desc));
        return Value.obj(o);
    }
}
