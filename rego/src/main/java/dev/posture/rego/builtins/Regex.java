package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.str;

import com.google.re2j.Matcher;
import com.google.re2j.GoRegexpLimits;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.posture.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Regex and glob builtins on RE2/J: Go's RE2 syntax and meaning ({@code $} at the end of the text only, {@code .}
 * not matching a newline, POSIX classes, {@code (?P<name>…)}), and matching in time linear in the input, so no
 * pattern can make an evaluation hang — as with OPA's Go regexp.
 */
final class Regex {
    private Regex() {
    }

    private static final ConcurrentHashMap<String, Pattern> CACHE = new ConcurrentHashMap<>();
    /** Patterns kept: at most this many, and none larger than {@link #CACHE_MAX_SIZE} instructions (Go's estimate). */
    private static final int CACHE_MAX_ENTRIES = 10_000;
    private static final long CACHE_MAX_SIZE = 20_000;
    /** Estimated bytes per instruction of a compiled RE2/J program, with its simplified tree and a matcher's queues. */
    private static final int BYTES_PER_INST = 64;

    /** A compiled pattern with Go's regexp limits; the cost of compiling it is not counted against a budget. */
    static Pattern compile(String re) {
        return compile(re, null);
    }

    /**
     * Compiles {@code re} as Go's regexp does: Go's syntax errors, and its limits (a repetition count, or a product of
     * nested counts, over 1000: {@code invalid repeat count}; a program over Go's size limit: {@code expression too
     * large}; nesting over 1000: {@code expression nests too deeply}), checked on the parse tree before RE2/J expands
     * the repetitions. Small patterns are cached across queries; compiling another is charged to {@code ctx}'s memory
     * budget (when not null).
     */
    static Pattern compile(String re, BuiltinContext ctx) {
        Pattern p = CACHE.get(re);
        if (p != null) {
            return p;
        }
        long size;
        try {
            size = GoRegexpLimits.check(re);
            if (ctx != null) {
                ctx.charge(size * BYTES_PER_INST);
            }
            p = Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw BuiltinError.err("error parsing regexp: " + e.getDescription() + ": `" + e.getPattern() + "`");
        }
        if (size <= CACHE_MAX_SIZE && CACHE.size() < CACHE_MAX_ENTRIES) {
            CACHE.put(re, p);
        }
        return p;
    }

    static Matcher matcher(Pattern p, String s) {
        return p.matcher(s);
    }

    /**
     * Next match as Go's FindAll sees it: an empty match starting where the previous match ended is skipped
     * (e.g. {@code x*} on {@code "axb"} at index 2).
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

    /** Go's FindAll with a limit (args: pattern, string, n; n < 0 means all), each match mapped by {@code each}. */
    private static Value findAll(Value[] a, BuiltinContext ctx, java.util.function.Function<Matcher, Value> each) {
        Pattern p = compile(str(a, 0), ctx);
        String s = str(a, 1);
        int n = Args.intArg(a, 2);
        List<Value> out = new ArrayList<>();
        Matcher m = matcher(p, s);
        int[] prev = {-1};
        while ((n < 0 || out.size() < n) && findNext(m, prev)) {
            // an empty pattern matches between every two characters: a few dozen bytes per match, counted
            ctx.charge(BuiltinContext.ELEMENT_BYTES + BuiltinContext.stringBytes(m.end() - m.start()) * (1 + m.groupCount()));
            out.add(each.apply(m));
        }
        return Value.arr(out);
    }

    /** Go's Regexp.ReplaceAllString: every match replaced by the template expanded as Regexp.Expand does. */
    static String replaceAll(Pattern p, String s, String template, BuiltinContext ctx) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        int[] prev = {-1};
        int last = 0;
        ctx.charge(BuiltinContext.stringBytes(s.length()));
        while (findNext(m, prev)) {
            // the output can be the number of matches times the template's expansion: counted as it grows (the
            // template's length before expanding it, what groups add after)
            ctx.charge(2L * (m.start() - last + template.length()));
            int before = out.length();
            out.append(s, last, m.start());
            expand(out, template, m);
            ctx.charge(2L * Math.max(0, out.length() - before - (m.start() - last) - template.length()));
            last = m.end();
        }
        return out.append(s, last, s.length()).toString();
    }

    /**
     * Go's template expansion: {@code $$} is a dollar, {@code $name} takes the longest run of letters, digits and
     * underscores ({@code $1x} is the group named "1x", not group 1 then "x"), {@code ${name}} is explicit; a
     * number names a group by index; an unknown group or a malformed reference expands to nothing.
     */
    private static void expand(StringBuilder out, String t, Matcher m) {
        int i = 0;
        while (i < t.length()) {
            char ch = t.charAt(i);
            if (ch != '$' || i + 1 >= t.length()) {
                out.append(ch);
                i++;
                continue;
            }
            char nx = t.charAt(i + 1);
            if (nx == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int next;
            if (nx == '{') {
                int close = t.indexOf('}', i + 2);
                name = close < 0 ? null : t.substring(i + 2, close);
                next = close < 0 ? -1 : close + 1;
                if (name != null && (name.isEmpty() || !name.chars().allMatch(Regex::nameChar))) {
                    name = null;
                }
            } else {
                int j = i + 1;
                while (j < t.length() && nameChar(t.charAt(j))) {
                    j++;
                }
                name = j == i + 1 ? null : t.substring(i + 1, j);
                next = j;
            }
            if (name == null) {
                out.append('$'); // malformed: the dollar stays, as in Go
                i++;
                continue;
            }
            String g = group(m, name);
            if (g != null) {
                out.append(g);
            }
            i = next;
        }
    }

    private static boolean nameChar(int c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private static String group(Matcher m, String name) {
        if (name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                int n = Integer.parseInt(name);
                return n <= m.groupCount() ? m.group(n) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            return m.group(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static void register(Registry r) {
        Builtin match = (a, c) -> Value.bool(matcher(compile(str(a, 0), c), str(a, 1)).find());
        r.add("regex.match", 2, match);
        r.add("re_match", 2, match);
        r.add("regex.is_valid", 1, (a, c) -> {
            if (!(a[0] instanceof Value.Str s)) {
                return Value.bool(false);
            }
            try {
                compile(s.value, c);
                return Value.bool(true);
            } catch (BuiltinError e) {
                return Value.bool(false);
            }
        });
        r.add("regex.split", 2, (a, c) -> {
            String re = str(a, 0);
            Pattern p = compile(re, c);
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
                    c.charge(BuiltinContext.ELEMENT_BYTES + BuiltinContext.stringBytes(end - beg));
                    out.add(Value.str(s.substring(beg, end)));
                }
                beg = m.end();
            }
            if (end != s.length()) {
                out.add(Value.str(s.substring(beg)));
            }
            return Value.arr(out);
        });
        r.add("regex.find_n", 3, (a, c) -> findAll(a, c, m -> Value.str(m.group())));
        r.add("regex.find_all_string_submatch_n", 3, (a, c) -> findAll(a, c, m -> {
            List<Value> g = new ArrayList<>();
            for (int i = 0; i <= m.groupCount(); i++) {
                String x = m.group(i);
                g.add(Value.str(x == null ? "" : x));
            }
            return Value.arr(g);
        }));
        r.add("regex.replace", 3, (a, c) -> Value.str(replaceAll(compile(str(a, 1), c), str(a, 0), str(a, 2), c)));
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
                p = Pattern.compile(Glob.toRegex(pat, delims), Pattern.DOTALL);
                if (CACHE.size() < 10_000) {
                    CACHE.put(key, p);
                }
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
}
