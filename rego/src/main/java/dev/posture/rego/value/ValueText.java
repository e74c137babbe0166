package dev.posture.rego.value;

import java.util.List;

/** Rego/JSON text rendering of values (as OPA prints them). */
public final class ValueText {
    private ValueText() {
    }

    /** Rego term text: sets as {@code {1, 2}} / {@code set()}, objects {@code {"a": 1}}. */
    public static void write(Value v, StringBuilder sb) {
        if (v instanceof Value.Null) {
            sb.append("null");
        } else if (v instanceof Value.Bool b) {
            sb.append(b.value);
        } else if (v instanceof Value.Num n) {
            sb.append(n.text());
        } else if (v instanceof Value.Str s) {
            quote(s.value, sb);
        } else if (v instanceof Value.Arr a) {
            sb.append('[');
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(a.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof Value.SetV s) {
            if (s.size() == 0) {
                sb.append("set()");
                return;
            }
            sb.append('{');
            List<Value> items = s.sorted();
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(items.get(i), sb);
            }
            sb.append('}');
        } else if (v instanceof Value.Obj o) {
            sb.append('{');
            List<Value> keys = o.sortedKeys();
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(keys.get(i), sb);
                sb.append(": ");
                write(o.get(keys.get(i)), sb);
            }
            sb.append('}');
        }
    }

    /** Compact JSON text (sets as sorted arrays, non-string keys as their JSON text). */
    public static String json(Value v) {
        StringBuilder sb = new StringBuilder();
        writeJson(v, sb);
        return sb.toString();
    }

    public static void writeJson(Value v, StringBuilder sb) {
        if (v instanceof Value.Arr a) {
            sb.append('[');
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                writeJson(a.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof Value.SetV s) {
            sb.append('[');
            List<Value> items = s.sorted();
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                writeJson(items.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof Value.Obj o) {
            sb.append('{');
            List<Value> keys = o.sortedKeys();
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Value k = keys.get(i);
                quote(k instanceof Value.Str ks ? ks.value : json(k), sb);
                sb.append(':');
                writeJson(o.get(k), sb);
            }
            sb.append('}');
        } else {
            write(v, sb);
        }
    }

    public static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else if (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        // Go's json.Marshal escapes these for safe embedding in HTML and JavaScript
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
