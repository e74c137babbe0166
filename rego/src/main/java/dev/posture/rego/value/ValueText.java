package dev.posture.rego.value;

import java.util.List;

/** Rego/JSON text rendering of values (as OPA prints them). */
public final class ValueText {
    private ValueText() {
    }

    /**
     * About how many characters the text of {@code v} has (JSON or Rego term text, escapes not counted), computed
     * without building it and in time linear in the number of distinct value objects: a value that holds one
     * sub-value many times (built by rules as {@code b := [a, a]}, {@code c := [b, b]}, ...) is counted as often as it
     * would be printed, so the estimate can be astronomically larger than the value's memory (it saturates at
     * Long.MAX_VALUE / 4). Builtins that print or serialize a value charge this before doing so.
     */
    public static long expandedLength(Value v) {
        if (v instanceof Value.Str str) {
            return str.value.length() + 2L;
        }
        if (!(v instanceof Value.Arr || v instanceof Value.SetV || v instanceof Value.Obj)) {
            return v instanceof Value.Num n && !n.isLong() ? n.big().precision() + 8L : 20;
        }
        java.util.IdentityHashMap<Value, Long> memo = new java.util.IdentityHashMap<>();
        java.util.ArrayDeque<Value> stack = new java.util.ArrayDeque<>();
        stack.push(v);
        while (!stack.isEmpty()) {
            Value x = stack.peek();
            if (memo.containsKey(x)) {
                stack.pop();
                continue;
            }
            long len;
            if (x instanceof Value.Str str) {
                len = str.value.length() + 2L;
            } else if (x instanceof Value.Num n) {
                len = n.isLong() ? 20 : n.big().precision() + 8L;
            } else if (x instanceof Value.Arr || x instanceof Value.SetV || x instanceof Value.Obj) {
                java.util.List<Value> children = new java.util.ArrayList<>();
                if (x instanceof Value.Arr a) {
                    children.addAll(a.items());
                } else if (x instanceof Value.SetV set) {
                    children.addAll(set.items());
                } else {
                    ((Value.Obj) x).visit((k, val) -> {
                        children.add(k);
                        children.add(val);
                        return false;
                    });
                }
                boolean ready = true;
                for (Value c : children) {
                    if (!memo.containsKey(c)) {
                        stack.push(c);
                        ready = false;
                    }
                }
                if (!ready) {
                    continue;
                }
                len = 2;
                for (Value c : children) {
                    len = satAdd(len, memo.get(c) + 2);
                }
            } else {
                len = 5; // null, true, false
            }
            stack.pop();
            memo.put(x, len);
        }
        return memo.get(v);
    }

    private static long satAdd(long a, long b) {
        long r = a + b;
        return r < 0 || r > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : r;
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
            goQuote(s.value, sb);
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
        } else if (v instanceof Value.Str str) {
            quote(str.value, sb);
        } else {
            write(v, sb);
        }
    }

    /**
     * Go's strconv.Quote, which OPA uses for string terms in Rego text (sprintf of composites, %q, print):
     * printable characters stay as they are (no HTML escaping), others become \n, \xNN, \\uNNNN or \\UNNNNNNNN.
     */
    public static void goQuote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x0B -> sb.append("\\v");
                default -> {
                    if (isGoPrint(cp)) {
                        sb.appendCodePoint(cp);
                    } else if (cp < 0x80) {
                        sb.append(String.format("\\x%02x", cp));
                    } else if (cp < 0x10000) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.append(String.format("\\U%08x", cp));
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isGoPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
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
