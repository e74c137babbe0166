package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code result.new(msg, cause)} and {@code isManaged(cause)}: helpers that Trivy registers on top of OPA and that its
 * checks call without an import. {@code result.new} builds the result object from the message and the cause's source
 * metadata (its {@code __defsec_metadata}, or the cause itself as Dockerfile instructions carry it), with Trivy's
 * defaults for missing fields; a cause's {@code parent} becomes a nested result without a message.
 * {@code isManaged} is that metadata's {@code managed} flag. Not OPA builtins: hosts register them with
 * {@code PolicySet.Builder#trivyHelpers} (the policy test and eval commands do), and an import named {@code result}
 * still takes precedence.
 */
public final class TrivyResult {
    public static final String NAME = "result.new";
    public static final String IS_MANAGED = "isManaged";

    /** Cause field and the result field it sets (Trivy accepts both spellings of the line numbers). */
    private static final String[][] FIELDS = {
        {"startline", "startline"}, {"StartLine", "startline"}, {"endline", "endline"}, {"EndLine", "endline"},
        {"filepath", "filepath"}, {"sourceprefix", "sourceprefix"}, {"Path", "filepath"}, {"explicit", "explicit"},
        {"managed", "managed"}, {"fskey", "fskey"}, {"resource", "resource"},
    };

    private TrivyResult() {
    }

    public static Value call(Value[] args, BuiltinContext ctx) {
        return create(args[0], args[1]);
    }

    public static Value isManaged(Value[] args, BuiltinContext ctx) {
        return ((Value.Obj) create(Value.str(""), args[0])).get("managed");
    }

    private static Value create(Value msg, Value cause) {
        Map<Value, Value> m = new LinkedHashMap<>();
        m.put(Value.str("startline"), Value.num(0));
        m.put(Value.str("endline"), Value.num(0));
        m.put(Value.str("sourceprefix"), Value.str(""));
        m.put(Value.str("filepath"), Value.str(""));
        m.put(Value.str("explicit"), Value.bool(false));
        m.put(Value.str("managed"), Value.bool(true));
        m.put(Value.str("fskey"), Value.str(""));
        m.put(Value.str("resource"), Value.str(""));
        m.put(Value.str("parent"), Value.NULL);
        if (msg != null) {
            m.put(Value.str("msg"), msg);
        }
        Value meta = cause instanceof Value.Obj o && o.get("__defsec_metadata") != null ? o.get("__defsec_metadata") : cause;
        if (meta instanceof Value.Obj o) {
            for (String[] f : FIELDS) {
                Value v = o.get(f[0]);
                if (v != null) {
                    m.put(Value.str(f[1]), v);
                }
            }
            Value parent = o.get("parent");
            if (parent != null) {
                m.put(Value.str("parent"), create(null, parent));
            }
        }
        return Value.obj(m);
    }
}
