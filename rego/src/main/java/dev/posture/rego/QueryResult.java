package dev.posture.rego;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import java.util.List;
import java.util.Map;

/** Result set of a query: one row per solution, as OPA returns them. Empty means undefined. */
public record QueryResult(List<Row> rows) {

    /** An expression value with its source text and location. */
    public record ExprValue(Value value, String text, int row, int col) {
    }

    /** One solution: values of the query's expressions and the bindings of its variables. */
    public record Row(List<ExprValue> expressions, Map<String, Value> bindings) {
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** OPA's {@code opa eval --format json} shape: {@code {"result":[...]}} or {@code {}} when undefined. */
    public JsonNode toJson() {
        try {
            return toJsonUnchecked();
        } catch (StackOverflowError e) {
            throw new RegoError("eval_cancel_error", null, "result too deeply nested to convert to JSON");
        }
    }

    private JsonNode toJsonUnchecked() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        if (rows.isEmpty()) {
            return root;
        }
        ArrayNode res = root.putArray("result");
        for (Row r : rows) {
            ObjectNode ro = res.addObject();
            ArrayNode exprs = ro.putArray("expressions");
            for (ExprValue e : r.expressions()) {
                ObjectNode eo = exprs.addObject();
                eo.set("value", Json.toJson(e.value()));
                eo.put("text", e.text());
                ObjectNode loc = eo.putObject("location");
                loc.put("row", e.row());
                loc.put("col", e.col());
            }
            if (!r.bindings().isEmpty()) {
                ObjectNode b = ro.putObject("bindings");
                r.bindings().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(en -> b.set(en.getKey(), Json.toJson(en.getValue())));
            }
        }
        return root;
    }
}
