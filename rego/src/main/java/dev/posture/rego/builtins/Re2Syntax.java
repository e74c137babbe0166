package dev.posture.rego.builtins;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Rewrites an RE2 (Go regexp) pattern into java.util.regex syntax with the same meaning, for the constructs where the
 * two differ. The result is compiled with {@code UNIX_LINES}, so {@code .} and multi-line anchors only treat
 * {@code \n} as a line end, as in Go.
 * <ul>
 * <li>{@code $} outside multi-line mode matches only at the end of the text in Go (Java also matches before a final
 * newline): it becomes {@code \z}.</li>
 * <li>{@code \s} is {@code [\t\n\f\r ]} in Go (Java adds vertical tab).</li>
 * <li>POSIX classes {@code [[:alpha:]]} become {@code \p{Alpha}}; inside a class a {@code [} that does not open a
 * POSIX class and {@code &&} are literal in Go.</li>
 * <li>{@code (?P<name>} named groups become {@code (?<name>}, the name encoded by {@link #groupName}.</li>
 * </ul>
 */
final class Re2Syntax {
    private Re2Syntax() {
    }

    private static final Map<String, String> POSIX = Map.ofEntries(Map.entry("alnum", "\\p{Alnum}"),
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"), Map.entry("blank", "\\p{Blank}"),
            Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"), Map.entry("graph", "\\p{Graph}"),
            Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"), Map.entry("punct", "\\p{Punct}"),
            Map.entry("space", "\\p{Space}"), Map.entry("upper", "\\p{Upper}"), Map.entry("word", "\\w"),
            Map.entry("xdigit", "\\p{XDigit}"));

    private static final String GO_SPACE = "\\t\\n\\f\\r ";

    static String toJava(String re) {
        StringBuilder out = new StringBuilder(re.length() + 8);
        // multi-line flag per open group; the top of the stack is the current scope
        Deque<Boolean> multi = new ArrayDeque<>();
        multi.push(false);
        int n = re.length();
        int i = 0;
        while (i < n) {
            char c = re.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= n) {
                        out.append(c);
                        i++;
                        break;
                    }
                    char e = re.charAt(i + 1);
                    if (e == 'Q') {
                        int end = re.indexOf("\\E", i + 2);
                        int stop = end < 0 ? n : end + 2;
                        out.append(re, i, stop);
                        i = stop;
                        break;
                    }
                    if (e == 's') {
                        out.append('[').append(GO_SPACE).append(']');
                    } else if (e == 'S') {
                        out.append("[^").append(GO_SPACE).append(']');
                    } else {
                        out.append(c).append(e);
                    }
                    i += 2;
                }
                case '[' -> i = charClass(re, i, out);
                case '(' -> {
                    boolean scope = multi.peek();
                    if (re.startsWith("(?P<", i) || re.startsWith("(?<", i) && !re.startsWith("(?<=", i) && !re.startsWith("(?<!", i)) {
                        int nameStart = i + (re.charAt(i + 2) == 'P' ? 4 : 3);
                        int nameEnd = re.indexOf('>', nameStart);
                        if (nameEnd < 0) {
                            out.append(re, i, n);
                            i = n;
                            break;
                        }
                        out.append("(?<").append(groupName(re.substring(nameStart, nameEnd))).append('>');
                        i = nameEnd + 1;
                    } else if (re.startsWith("(?", i) && i + 2 < n && re.charAt(i + 2) != '<' && re.charAt(i + 2) != ':'
                            && re.charAt(i + 2) != '=' && re.charAt(i + 2) != '!') {
                        // flag group: (?flags) changes the current scope, (?flags:...) opens a new one
                        int j = i + 2;
                        boolean on = true;
                        Boolean m = null;
                        while (j < n && re.charAt(j) != ')' && re.charAt(j) != ':') {
                            char f = re.charAt(j);
                            if (f == '-') {
                                on = false;
                            } else if (f == 'm') {
                                m = on;
                            }
                            j++;
                        }
                        boolean next = m == null ? scope : m;
                        if (j < n && re.charAt(j) == ')') {
                            multi.pop();
                            multi.push(next);
                            out.append(re, i, j + 1);
                            i = j + 1;
                            break;
                        }
                        out.append(re, i, Math.min(j + 1, n));
                        i = j + 1;
                        multi.push(next);
                        break;
                    } else {
                        out.append(c);
                        i++;
                    }
                    multi.push(scope);
                }
                case ')' -> {
                    if (multi.size() > 1) {
                        multi.pop();
                    }
                    out.append(c);
                    i++;
                }
                case '$' -> {
                    out.append(multi.peek() ? "$" : "\\z");
                    i++;
                }
                default -> {
                    out.append(c);
                    i++;
                }
            }
        }
        return out.toString();
    }

    /**
     * Java group names are a letter then letters and digits; RE2 names may hold underscores and start with a digit.
     * Names are encoded so both forms map one to one ({@code _} becomes {@code Z9}, a leading {@code G} is added).
     */
    static String groupName(String re2Name) {
        return "G" + re2Name.replace("Z", "ZZ").replace("_", "Z9");
    }

    /** Copies the character class starting at {@code re[start] == '['}; returns the index after it. */
    private static int charClass(String re, int start, StringBuilder out) {
        int n = re.length();
        int i = start + 1;
        out.append('[');
        if (i < n && re.charAt(i) == '^') {
            out.append('^');
            i++;
        }
        if (i < n && re.charAt(i) == ']') {
            // a leading ] is literal
            out.append("\\]");
            i++;
        }
        while (i < n) {
            char c = re.charAt(i);
            if (c == ']') {
                out.append(']');
                return i + 1;
            }
            if (c == '\\' && i + 1 < n) {
                char e = re.charAt(i + 1);
                out.append(e == 's' ? GO_SPACE : re.substring(i, i + 2));
                i += 2;
            } else if (c == '[' && re.startsWith("[:", i)) {
                int end = re.indexOf(":]", i + 2);
                String name = end < 0 ? null : re.substring(i + 2, end);
                boolean neg = name != null && name.startsWith("^");
                String cls = name == null ? null : POSIX.get(neg ? name.substring(1) : name);
                if (cls == null) {
                    out.append("\\[");
                    i++;
                } else {
                    out.append(neg ? negate(cls) : cls);
                    i = end + 2;
                }
            } else if (c == '[' || c == '&') {
                out.append('\\').append(c);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return n;
    }

    private static String negate(String cls) {
        return cls.equals("\\w") ? "\\W" : "\\P" + cls.substring(2);
    }
}
