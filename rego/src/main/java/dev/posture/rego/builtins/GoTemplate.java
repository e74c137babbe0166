package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * strings.render_template: a subset of Go's text/template. Supported: text, {{pipeline}} with fields (.a.b), '.',
 * variables ($, $x, $x := …, $i, $v := range …), string/number/bool/nil literals, parenthesised pipelines, '|'
 * chaining, trim markers ({{- -}}), comments, if / else if / else, range (over arrays and objects, with else), with,
 * and the functions and, or, not, len, index, eq, ne, lt, le, gt, ge, print, println, printf (%v %s %d %q %f).
 * As in OPA, a missing key renders as "<undefined>". Numbers behave as Go's json.Number (a string kind).
 */
final class GoTemplate {
    private GoTemplate() {
    }

    /** Marker for a key absent from an object. */
    static final Object MISSING = new Object();

    /** A JSON number as Go's json.Number: printed as written, compared as a string. */
    record Num(String text) {
    }

    static Value render(String tpl, Value.Obj vars) {
        List<Node> nodes = new Parser(tpl).parseList(Set.END_OF_INPUT);
        StringBuilder out = new StringBuilder();
        Map<String, Object> scope = new HashMap<>();
        Object dot = toGo(vars);
        scope.put("$", dot);
        exec(nodes, dot, scope, out);
        return Value.str(out.toString());
    }

    static Object toGo(Value v) {
        if (v instanceof Value.Str s) {
            return s.value;
        }
        if (v instanceof Value.Num n) {
            return new Num(n.text());
        }
        if (v instanceof Value.Bool b) {
            return b.value;
        }
        if (v instanceof Value.Arr a) {
            List<Object> l = new ArrayList<>();
            a.items().forEach(x -> l.add(toGo(x)));
            return l;
        }
        if (v instanceof Value.SetV s) {
            List<Object> l = new ArrayList<>();
            s.sorted().forEach(x -> l.add(toGo(x)));
            return l;
        }
        if (v instanceof Value.Obj o) {
            Map<String, Object> m = new java.util.TreeMap<>();
            for (Value k : o.sortedKeys()) {
                m.put(k instanceof Value.Str s ? s.value : dev.posture.rego.value.ValueText.json(k), toGo(o.get(k)));
            }
            return m;
        }
        return null;
    }

    // ---- syntax -------------------------------------------------------------------------------------------------

    interface Node {
    }

    record Text(String text) implements Node {
    }

    record Action(List<String> decl, boolean assign, Pipe pipe) implements Node {
    }

    record If(Pipe cond, List<Node> then, List<Node> otherwise) implements Node {
    }

    record With(Pipe cond, List<Node> then, List<Node> otherwise) implements Node {
    }

    record Range(List<String> vars, Pipe over, List<Node> body, List<Node> otherwise) implements Node {
    }

    /** Commands joined by '|'; each command is a list of operands (the first may be a function name). */
    record Pipe(List<List<Operand>> cmds) {
    }

    interface Operand {
    }

    record Field(String var, List<String> path) implements Operand {
    }

    record Lit(Object value) implements Operand {
    }

    record Fn(String name) implements Operand {
    }

    record Sub(Pipe pipe) implements Operand {
    }

    /** Whether a list ends at end of input or at {{end}} / {{else}}. */
    enum Set {
        END_OF_INPUT, BLOCK
    }

    static BuiltinError err(String m) {
        return BuiltinError.err("template: " + m);
    }

    static final class Parser {
        private final String src;
        private int pos;
        private String terminator;

        Parser(String src) {
            this.src = src;
        }

        /** Parses until end of input, or until {{end}} / {{else…}} (recorded in terminator). */
        List<Node> parseList(Set mode) {
            List<Node> out = new ArrayList<>();
            while (true) {
                String action = nextChunk(out);
                if (action == null) {
                    if (mode == Set.BLOCK) {
                        throw err("unexpected EOF");
                    }
                    return out;
                }
                String a = action.strip();
                if (a.startsWith("/*")) {
                    continue;
                }
                String word = a.split("\\s+", 2)[0];
                String rest = a.substring(word.length()).strip();
                switch (word) {
                    case "end" -> {
                        if (mode != Set.BLOCK) {
                            throw err("unexpected {{end}}");
                        }
                        terminator = "end";
                        return out;
                    }
                    case "else" -> {
                        if (mode != Set.BLOCK) {
                            throw err("unexpected {{else}}");
                        }
                        terminator = "else " + rest;
                        return out;
                    }
                    case "if", "with" -> out.add(conditional(word, rest));
                    case "range" -> out.add(range(rest));
                    default -> out.add(action(a));
                }
            }
        }

        private Node conditional(String kind, String cond) {
            Pipe p = new Lexer(cond).pipe();
            List<Node> then = parseList(Set.BLOCK);
            List<Node> otherwise = List.of();
            if (terminator.startsWith("else")) {
                String rest = terminator.substring(4).strip();
                if (rest.startsWith("if ") || rest.startsWith("with ")) {
                    String w = rest.split("\\s+", 2)[0];
                    // "else if" nests a conditional that shares this one's {{end}}
                    otherwise = List.of(conditional(w, rest.substring(w.length()).strip()));
                } else {
                    otherwise = parseList(Set.BLOCK);
                    if (!terminator.equals("end")) {
                        throw err("expected end; found {{else}}");
                    }
                }
            }
            return kind.equals("if") ? new If(p, then, otherwise) : new With(p, then, otherwise);
        }

        private Node range(String spec) {
            List<String> vars = new ArrayList<>();
            String s = spec;
            int decl = s.indexOf(":=");
            if (decl >= 0 && s.substring(0, decl).strip().startsWith("$")) {
                for (String v : s.substring(0, decl).split(",")) {
                    vars.add(v.strip());
                }
                s = s.substring(decl + 2);
            }
            Pipe p = new Lexer(s.strip()).pipe();
            List<Node> body = parseList(Set.BLOCK);
            List<Node> otherwise = List.of();
            if (terminator.startsWith("else")) {
                otherwise = parseList(Set.BLOCK);
            }
            return new Range(vars, p, body, otherwise);
        }

        private Node action(String a) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\$\\w*)\\s*(:=|=)\\s*(.*)$", java.util.regex.Pattern.DOTALL).matcher(a);
            if (m.matches()) {
                return new Action(List.of(m.group(1)), true, new Lexer(m.group(3)).pipe());
            }
            return new Action(List.of(), false, new Lexer(a).pipe());
        }

        /** Appends text up to the next action to out and returns the action's inside, or null at end of input. */
        private String nextChunk(List<Node> out) {
            int open = src.indexOf("{{", pos);
            if (open < 0) {
                if (pos < src.length()) {
                    out.add(new Text(src.substring(pos)));
                }
                pos = src.length();
                return null;
            }
            String text = src.substring(pos, open);
            int start = open + 2;
            if (src.startsWith("- ", start) || src.startsWith("-\t", start) || src.startsWith("-\n", start)) {
                text = text.stripTrailing();
                start += 1;
            }
            if (!text.isEmpty()) {
                out.add(new Text(text));
            }
            int close = findClose(start);
            int end = close;
            pos = close + 2;
            if (close > start && src.charAt(close - 1) == '-' && close - 2 >= start && Character.isWhitespace(src.charAt(close - 2))) {
                end = close - 1;
                while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
                    pos++;
                }
            }
            return src.substring(start, end);
        }

        private int findClose(int from) {
            boolean inStr = false;
            char q = 0;
            for (int i = from; i < src.length() - 1; i++) {
                char c = src.charAt(i);
                if (inStr) {
                    if (c == '\\' && q == '"') {
                        i++;
                    } else if (c == q) {
                        inStr = false;
                    }
                } else if (c == '"' || c == '`' || c == '\'') {
                    inStr = true;
                    q = c;
                } else if (c == '}' && src.charAt(i + 1) == '}') {
                    return i;
                }
            }
            throw err("unclosed action");
        }
    }

    /** Tokenises and parses the inside of an action into a pipeline. */
    static final class Lexer {
        private final String s;
        private int i;

        Lexer(String s) {
            this.s = s;
        }

        Pipe pipe() {
            Pipe p = pipeUntil((char) 0);
            if (i < s.length()) {
                throw err("unexpected \"" + s.charAt(i) + "\" in command");
            }
            return p;
        }

        private Pipe pipeUntil(char close) {
            List<List<Operand>> cmds = new ArrayList<>();
            List<Operand> cur = new ArrayList<>();
            while (true) {
                skipSpace();
                if (i >= s.length() || close != 0 && s.charAt(i) == close) {
                    break;
                }
                char c = s.charAt(i);
                if (c == '|') {
                    i++;
                    if (cur.isEmpty()) {
                        throw err("missing command");
                    }
                    cmds.add(cur);
                    cur = new ArrayList<>();
                    continue;
                }
                cur.add(operand());
            }
            if (cur.isEmpty()) {
                throw err("missing value for command");
            }
            cmds.add(cur);
            return new Pipe(cmds);
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Operand operand() {
            char c = s.charAt(i);
            if (c == '(') {
                i++;
                Pipe p = pipeUntil(')');
                if (i >= s.length()) {
                    throw err("unclosed left paren");
                }
                i++;
                return new Sub(p);
            }
            if (c == '"') {
                int j = i + 1;
                StringBuilder sb = new StringBuilder();
                while (j < s.length() && s.charAt(j) != '"') {
                    char x = s.charAt(j);
                    if (x == '\\' && j + 1 < s.length()) {
                        char e = s.charAt(++j);
                        sb.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> e;
                        });
                    } else {
                        sb.append(x);
                    }
                    j++;
                }
                i = j + 1;
                return new Lit(sb.toString());
            }
            if (c == '`') {
                int j = s.indexOf('`', i + 1);
                if (j < 0) {
                    throw err("unterminated raw quoted string");
                }
                String v = s.substring(i + 1, j);
                i = j + 1;
                return new Lit(v);
            }
            int j = i;
            while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "|()".indexOf(s.charAt(j)) < 0) {
                j++;
            }
            String w = s.substring(i, j);
            i = j;
            if (w.startsWith(".") || w.startsWith("$")) {
                String var = null;
                String path = w;
                if (w.startsWith("$")) {
                    int dot = w.indexOf('.');
                    var = dot < 0 ? w : w.substring(0, dot);
                    path = dot < 0 ? "" : w.substring(dot);
                }
                List<String> parts = new ArrayList<>();
                for (String p : path.split("\\.")) {
                    if (!p.isEmpty()) {
                        parts.add(p);
                    }
                }
                return new Field(var, parts);
            }
            switch (w) {
                case "true", "false" -> {
                    return new Lit(Boolean.valueOf(w));
                }
                case "nil" -> {
                    return new Lit(null);
                }
                default -> {
                }
            }
            if (w.matches("[-+]?[0-9][0-9_]*(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
                return new Lit(new BigDecimal(w.replace("_", "")));
            }
            if (w.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return new Fn(w);
            }
            throw err("unexpected \"" + w + "\" in command");
        }
    }

    // ---- execution ----------------------------------------------------------------------------------------------

    static void exec(List<Node> nodes, Object dot, Map<String, Object> scope, StringBuilder out) {
        for (Node n : nodes) {
            if (n instanceof Text t) {
                out.append(t.text());
            } else if (n instanceof Action a) {
                Object v = eval(a.pipe(), dot, scope);
                if (a.assign()) {
                    scope.put(a.decl().get(0), v);
                } else {
                    out.append(print(v));
                }
            } else if (n instanceof If f) {
                exec(truth(eval(f.cond(), dot, scope)) ? f.then() : f.otherwise(), dot, new HashMap<>(scope), out);
            } else if (n instanceof With w) {
                Object v = eval(w.cond(), dot, scope);
                if (truth(v)) {
                    exec(w.then(), v, new HashMap<>(scope), out);
                } else {
                    exec(w.otherwise(), dot, new HashMap<>(scope), out);
                }
            } else if (n instanceof Range r) {
                range(r, dot, scope, out);
            }
        }
    }

    private static void range(Range r, Object dot, Map<String, Object> scope, StringBuilder out) {
        Object over = eval(r.over(), dot, scope);
        List<Object[]> items = new ArrayList<>();
        if (over instanceof List<?> l) {
            for (int k = 0; k < l.size(); k++) {
                items.add(new Object[] {new Num(Integer.toString(k)), l.get(k)});
            }
        } else if (over instanceof Map<?, ?> m) {
            m.forEach((k, v) -> items.add(new Object[] {k, v}));
        } else if (over != null && over != MISSING) {
            throw err("range can't iterate over " + print(over));
        }
        if (items.isEmpty()) {
            exec(r.otherwise(), dot, new HashMap<>(scope), out);
            return;
        }
        for (Object[] kv : items) {
            Map<String, Object> s = new HashMap<>(scope);
            if (r.vars().size() == 1) {
                s.put(r.vars().get(0), kv[1]);
            } else if (r.vars().size() == 2) {
                // range indices are Go ints: 0 is false in a condition
                s.put(r.vars().get(0), kv[0] instanceof Num n ? (Object) Long.valueOf(n.text()) : kv[0]);
                s.put(r.vars().get(1), kv[1]);
            }
            exec(r.body(), kv[1], s, out);
        }
    }

    static Object eval(Pipe p, Object dot, Map<String, Object> scope) {
        Object prev = null;
        boolean first = true;
        for (List<Operand> cmd : p.cmds()) {
            List<Object> extra = first ? List.of() : java.util.Collections.singletonList(prev);
            prev = command(cmd, extra, dot, scope);
            first = false;
        }
        return prev;
    }

    private static Object command(List<Operand> cmd, List<Object> piped, Object dot, Map<String, Object> scope) {
        Operand head = cmd.get(0);
        if (head instanceof Fn f) {
            List<Object> args = new ArrayList<>();
            for (Operand o : cmd.subList(1, cmd.size())) {
                args.add(operand(o, dot, scope));
            }
            args.addAll(piped);
            return call(f.name(), args);
        }
        if (cmd.size() > 1 || !piped.isEmpty()) {
            throw err("can't give argument to non-function " + describe(head));
        }
        return operand(head, dot, scope);
    }

    private static String describe(Operand o) {
        return o instanceof Field f ? (f.var() == null ? "" : f.var()) + "." + String.join(".", f.path()) : "operand";
    }

    private static Object operand(Operand o, Object dot, Map<String, Object> scope) {
        if (o instanceof Lit l) {
            return l.value();
        }
        if (o instanceof Sub s) {
            return eval(s.pipe(), dot, scope);
        }
        if (o instanceof Fn f) {
            return call(f.name(), List.of());
        }
        Field f = (Field) o;
        Object cur = dot;
        if (f.var() != null) {
            if (!scope.containsKey(f.var())) {
                throw err("undefined variable: " + f.var());
            }
            cur = scope.get(f.var());
        }
        for (String k : f.path()) {
            if (cur instanceof Map<?, ?> m) {
                cur = m.containsKey(k) ? m.get(k) : MISSING;
            } else if (cur == MISSING) {
                return MISSING;
            } else {
                throw err("can't evaluate field " + k + " in type " + goTypeName(cur));
            }
        }
        return cur;
    }

    static String goTypeName(Object v) {
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Num) {
            return "json.Number";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof List) {
            return "[]interface {}";
        }
        return v == null ? "interface {}" : "map[string]interface {}";
    }

    static boolean truth(Object v) {
        if (v == null || v == MISSING) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Num n) {
            return !n.text().isEmpty();
        }
        if (v instanceof BigDecimal d) {
            return d.signum() != 0;
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        return !((Map<?, ?>) v).isEmpty();
    }

    static String print(Object v) {
        if (v == MISSING) {
            return "<undefined>";
        }
        if (v == null) {
            return "<no value>";
        }
        if (v instanceof Num n) {
            return n.text();
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(inner(x)));
            return "[" + String.join(" ", parts) + "]";
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, x) -> parts.add(k + ":" + inner(x)));
            return "map[" + String.join(" ", parts) + "]";
        }
        return String.valueOf(v);
    }

    private static String inner(Object v) {
        return v == null ? "<nil>" : print(v);
    }

    /** Comparison kinds as Go's template package sees them: json.Number and strings are both strings. */
    private static Object basic(Object v) {
        if (v instanceof Num n) {
            return n.text();
        }
        return v;
    }

    private static int compare(Object a, Object b, String fn) {
        Object x = basic(a);
        Object y = basic(b);
        if (x instanceof String s && y instanceof String t) {
            return s.compareTo(t);
        }
        if (x instanceof BigDecimal || x instanceof Long) {
            if (y instanceof BigDecimal || y instanceof Long) {
                return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
            }
        }
        if (x instanceof Boolean p && y instanceof Boolean q && (fn.equals("eq") || fn.equals("ne"))) {
            return p.equals(q) ? 0 : 1;
        }
        throw err("error calling " + fn + ": incompatible types for comparison");
    }

    static Object call(String fn, List<Object> args) {
        switch (fn) {
            case "and" -> {
                Object last = null;
                for (Object a : args) {
                    last = a;
                    if (!truth(a)) {
                        return a;
                    }
                }
                return last;
            }
            case "or" -> {
                Object last = null;
                for (Object a : args) {
                    last = a;
                    if (truth(a)) {
                        return a;
                    }
                }
                return last;
            }
            case "not" -> {
                need(fn, args, 1);
                return !truth(args.get(0));
            }
            case "len" -> {
                need(fn, args, 1);
                Object a = args.get(0);
                if (a instanceof String s) {
                    return (long) s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                }
                if (a instanceof List<?> l) {
                    return (long) l.size();
                }
                if (a instanceof Map<?, ?> m) {
                    return (long) m.size();
                }
                throw err("error calling len: len of type " + goTypeName(a));
            }
            case "index" -> {
                Object cur = args.get(0);
                for (Object k : args.subList(1, args.size())) {
                    if (cur instanceof List<?> l) {
                        int idx = new BigDecimal(basic(k).toString()).intValueExact();
                        if (idx < 0 || idx >= l.size()) {
                            throw err("error calling index: index out of range: " + idx);
                        }
                        cur = l.get(idx);
                    } else if (cur instanceof Map<?, ?> m) {
                        cur = m.containsKey(String.valueOf(basic(k))) ? m.get(String.valueOf(basic(k))) : MISSING;
                    } else {
                        throw err("error calling index: can't index item of type " + goTypeName(cur));
                    }
                }
                return cur;
            }
            case "eq" -> {
                if (args.size() < 2) {
                    throw err("error calling eq: missing argument for comparison");
                }
                for (Object b : args.subList(1, args.size())) {
                    if (compare(args.get(0), b, fn) == 0) {
                        return true;
                    }
                }
                return false;
            }
            case "ne" -> {
                need(fn, args, 2);
                return compare(args.get(0), args.get(1), fn) != 0;
            }
            case "lt" -> {
                need(fn, args, 2);
                return compare(args.get(0), args.get(1), fn) < 0;
            }
            case "le" -> {
                need(fn, args, 2);
                return compare(args.get(0), args.get(1), fn) <= 0;
            }
            case "gt" -> {
                need(fn, args, 2);
                return compare(args.get(0), args.get(1), fn) > 0;
            }
            case "ge" -> {
                need(fn, args, 2);
                return compare(args.get(0), args.get(1), fn) >= 0;
            }
            case "print", "println" -> {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < args.size(); k++) {
                    boolean str = args.get(k) instanceof String;
                    boolean prevStr = k > 0 && args.get(k - 1) instanceof String;
                    if (k > 0 && (fn.equals("println") || !str && !prevStr)) {
                        sb.append(' ');
                    }
                    sb.append(inner(args.get(k)));
                }
                return fn.equals("println") ? sb.append('\n').toString() : sb.toString();
            }
            case "printf" -> {
                if (args.isEmpty() || !(args.get(0) instanceof String f)) {
                    throw err("error calling printf: format must be a string");
                }
                return printf(f, args.subList(1, args.size()));
            }
            default -> throw err("function \"" + fn + "\" not defined");
        }
    }

    private static void need(String fn, List<Object> args, int n) {
        if (args.size() != n) {
            throw err("wrong number of args for " + fn + ": want " + n + " got " + args.size());
        }
    }

    private static String printf(String f, List<Object> args) {
        StringBuilder sb = new StringBuilder();
        int ai = 0;
        for (int k = 0; k < f.length(); k++) {
            char c = f.charAt(k);
            if (c != '%' || k + 1 >= f.length()) {
                sb.append(c);
                continue;
            }
            char verb = f.charAt(++k);
            if (verb == '%') {
                sb.append('%');
                continue;
            }
            if (ai >= args.size()) {
                sb.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Object a = args.get(ai++);
            switch (verb) {
                case 'q' -> sb.append(dev.posture.rego.value.ValueText.json(Value.str(print(a))));
                case 'd' -> sb.append(a instanceof Long || a instanceof BigDecimal ? print(a) : "%!d(" + goTypeName(a) + "=" + print(a) + ")");
                default -> sb.append(inner(a));
            }
        }
        return sb.toString();
    }
}
