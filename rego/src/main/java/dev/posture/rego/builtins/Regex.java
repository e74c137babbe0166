package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.str;

import dev.posture.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Regex (RE2 syntax translated to java.util.regex) and glob builtins. */
final class Regex {
    private Regex() {
    }

    private static final ConcurrentHashMap<String, Pattern> CACHE = new ConcurrentHashMap<>();

    static Pattern compile(String re) {
        Pattern p = CACHE.get(re);
        if (p != null) {
            return p;
        }
        try {
            p = Pattern.compile(Re2Syntax.toJava(re), Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw BuiltinError.err("error parsing regexp: " + e.getDescription() + ": `" + re + "`");
        }
        if (CACHE.size() < 10_000) {
            CACHE.put(re, p);
        }
        return p;
    }

    /**
     * Input wrapper that bounds the work of java.util.regex (a backtracking engine, unlike RE2) so that a
     * pathological pattern cannot hang evaluation: matching fails with a builtin error after a budget of char reads.
     */
    static final class Guarded implements CharSequence {
        private final String s;
        private final long[] budget;

        Guarded(String s) {
            this(s, new long[] {5_000_000L + 200L * s.length()});
        }

        private Guarded(String s, long[] budget) {
            this.s = s;
            this.budget = budget;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw BuiltinError.err("regular expression evaluation exceeded its budget (pathological pattern?)");
            }
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Guarded(s.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return s;
        }
    }

    static Matcher matcher(Pattern p, String s) {
        return p.matcher(new Guarded(s));
    }

    /**
     * Next match as Go's FindAll sees it: an empty match starting where the previous match ended is skipped
     * (java.util.regex reports it, e.g. {@code x*} on {@code "axb"} at index 2).
     */
    static boolean findNext(Matcher m, int[] prevEnd) {
        while (m.find()) {
            boolean skip = m.start() == m.end() && m.start() == prevEnd[0];
            prevEnd[0] = m.end();
            if (!skip) {
                return true;
            }
        }
        return false;
    }

    /**
     * Go's Regexp.Expand: {@code $$} is a dollar, {@code $name} / {@code ${name}} (name: letters, digits, _) is the
     * group with that number or name, empty when there is none; a {@code $} not followed by a name stays as is.
     */
    static void expand(String template, Matcher m, StringBuilder out) {
        int n = template.length();
        int i = 0;
        while (i < n) {
            char ch = template.charAt(i);
            if (ch != '$' || i + 1 >= n) {
                out.append(ch);
                i++;
                continue;
            }
            if (template.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            boolean brace = template.charAt(i + 1) == '{';
            int start = i + (brace ? 2 : 1);
            int j = start;
            while (j < n && (Character.isLetterOrDigit(template.charAt(j)) && template.charAt(j) < 128 || template.charAt(j) == '_')) {
                j++;
            }
            if (j == start || brace && (j >= n || template.charAt(j) != '}')) {
                out.append('$');
                i++;
                continue;
            }
            out.append(group(m, template.substring(start, j)));
            i = brace ? j + 1 : j;
        }
    }

    private static String group(Matcher m, String name) {
        String g = null;
        if (name.chars().allMatch(Character::isDigit)) {
            try {
                int k = Integer.parseInt(name);
                g = k <= m.groupCount() ? m.group(k) : null;
            } catch (NumberFormatException e) {
                g = null;
            }
        } else {
            try {
                g = m.group(Re2Syntax.groupName(name));
            } catch (IllegalArgumentException e) {
                g = null;
            }
        }
        return g == null ? "" : g;
    }

    static void register(Registry r) {
        Builtin match = (a, c) -> Value.bool(matcher(compile(str(a, 0)), str(a, 1)).find());
        r.add("regex.match", 2, match);
        r.add("re_match", 2, match);
        r.add("regex.is_valid", 1, (a, c) -> {
            if (!(a[0] instanceof Value.Str s)) {
                return Value.bool(false);
            }
            try {
                compile(s.value);
                return Value.bool(true);
            } catch (BuiltinError e) {
                return Value.bool(false);
            }
        });
        r.add("regex.split", 2, (a, c) -> {
            String re = str(a, 0);
            Pattern p = compile(re);
            String s = str(a, 1);
            List<Value> out = new ArrayList<>();
            if (!re.isEmpty() && s.isEmpty()) {
                return Value.arr(List.of(Value.str("")));
            }
            // Go's Regexp.Split
            Matcher m = matcher(p, s);
            int[] prev = {-1};
            int beg = 0;
            int end = 0;
            while (findNext(m, prev)) {
                end = m.start();
                if (m.end() != 0) {
                    out.add(Value.str(s.substring(beg, end)));
                }
                beg = m.end();
            }
            if (end != s.length()) {
                out.add(Value.str(s.substring(beg)));
            }
            return Value.arr(out);
        });
        r.add("regex.find_n", 3, (a, c) -> {
            Pattern p = compile(str(a, 0));
            String s = str(a, 1);
            int n = Args.intArg(a, 2);
            List<Value> out = new ArrayList<>();
            Matcher m = matcher(p, s);
            int[] prev = {-1};
            while ((n < 0 || out.size() < n) && findNext(m, prev)) {
                out.add(Value.str(m.group()));
            }
            return Value.arr(out);
        });
        r.add("regex.find_all_string_submatch_n", 3, (a, c) -> {
            Pattern p = compile(str(a, 0));
            String s = str(a, 1);
            int n = Args.intArg(a, 2);
            List<Value> out = new ArrayList<>();
            Matcher m = matcher(p, s);
            int[] prev = {-1};
            while ((n < 0 || out.size() < n) && findNext(m, prev)) {
                List<Value> g = new ArrayList<>();
                for (int i = 0; i <= m.groupCount(); i++) {
                    String x = m.group(i);
                    g.add(Value.str(x == null ? "" : x));
                }
                out.add(Value.arr(g));
            }
            return Value.arr(out);
        });
        r.add("regex.replace", 3, (a, c) -> {
            String s = str(a, 0);
            Pattern p = compile(str(a, 1));
            String repl = str(a, 2);
            // Go's ReplaceAllString: FindAll matches, each replaced by the template expanded with Regexp.Expand
            Matcher m = matcher(p, s);
            int[] prev = {-1};
            StringBuilder out = new StringBuilder();
            int last = 0;
            while (findNext(m, prev)) {
                out.append(s, last, m.start());
                expand(repl, m, out);
                last = m.end();
            }
            out.append(s, last, s.length());
            return Value.str(out.toString());
        });
        r.add("glob.match", 3, (a, c) -> {
            String pat = str(a, 0);
            List<String> delims = new ArrayList<>();
            if (a[1] instanceof Value.Null) {
                // no delimiters
            } else {
                for (Value v : Args.arr(a, 1).items()) {
                    if (!(v instanceof Value.Str s)) {
                        throw BuiltinError.type("operand 2 must be array of strings");
                    }
                    delims.add(s.value);
                }
                if (delims.isEmpty()) {
                    delims.add(".");
                }
            }
            String key = "glob:" + pat + "\u0000" + delims;
            Pattern p = CACHE.get(key);
            if (p == null) {
                p = Pattern.compile(globToRegex(pat, delims), Pattern.DOTALL);
                CACHE.put(key, p);
            }
            return Value.bool(matcher(p, str(a, 2)).matches());
        });
        r.add("glob.quote_meta", 1, (a, c) -> {
            String s = str(a, 0);
            StringBuilder sb = new StringBuilder();
            for (char ch : s.toCharArray()) {
                if ("*?\\[]{}".indexOf(ch) >= 0) {
                    sb.append('\\');
                }
                sb.append(ch);
            }
            return Value.str(sb.toString());
        });
    }

    static String globToRegex(String g, List<String> delims) {
        StringBuilder d = new StringBuilder();
        for (String x : delims) {
            d.append(Pattern.quote(x).length() > 0 ? escClass(x) : "");
        }
        String notDelim = delims.isEmpty() ? "." : "[^" + d + "]";
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < g.length(); i++) {
            char ch = g.charAt(i);
            switch (ch) {
                case '\\' -> {
                    if (i + 1 < g.length()) {
                        sb.append(Pattern.quote(String.valueOf(g.charAt(++i))));
                    } else {
                        sb.append("\\\\");
                    }
                }
                case '*' -> {
                    if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
                        sb.append(".*");
                        i++;
                    } else {
                        sb.append(notDelim).append('*');
                    }
                }
                case '?' -> sb.append(notDelim);
                case '[' -> {
                    int j = g.indexOf(']', i + 1);
                    if (j < 0) {
                        sb.append("\\[");
                        break;
                    }
                    String cls = g.substring(i + 1, j);
                    boolean neg = cls.startsWith("!");
                    if (neg) {
                        cls = cls.substring(1);
                    }
                    StringBuilder c = new StringBuilder("[");
                    if (neg) {
                        c.append('^').append(d);
                    }
                    for (char x : cls.toCharArray()) {
                        if (x == '-') {
                            c.append('-');
                        } else {
                            c.append(escClass(String.valueOf(x)));
                        }
                    }
                    sb.append(c).append(']');
                    i = j;
                }
                case '{' -> {
                    sb.append("(?:");
                    depth++;
                }
                case '}' -> {
                    if (depth > 0) {
                        sb.append(')');
                        depth--;
                    } else {
                        sb.append("\\}");
                    }
                }
                case ',' -> sb.append(depth > 0 ? "|" : ",");
                default -> sb.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return sb.toString();
    }

    private static String escClass(String x) {
        StringBuilder sb = new StringBuilder();
        for (char ch : x.toCharArray()) {
            if ("\\]^-[".indexOf(ch) >= 0) {
                sb.append('\\');
            }
            sb.append(ch);
        }
        return sb.toString();
    }
}
