package dev.posture.image.facts;

import java.util.HashMap;
import java.util.Map;

/**
 * The freedesktop.org {@code os-release} file: {@code KEY=value} assignments in a subset of shell syntax (double and
 * single quotes, backslash escapes, {@code #} comments, blank lines).
 */
public final class OsReleaseFile {
    private OsReleaseFile() {
    }

    /**
     * @param path the file read ("/etc/os-release" or "/usr/lib/os-release"), recorded in the result
     */
    public static OsRelease parse(String text, String path) {
        Map<String, String> v = assignments(text);
        return new OsRelease(v.get("ID"), v.get("ID_LIKE"), v.get("VERSION_ID"), v.get("VERSION_CODENAME"),
                v.get("PRETTY_NAME"), path);
    }

    /**
     * Every well-formed assignment; a key written twice keeps its last value, as a shell sourcing the file would.
     * A line that is no assignment (no '=', a key that is not a shell name) is skipped, and so is a value whose quote
     * never closes.
     */
    static Map<String, String> assignments(String text) {
        Map<String, String> out = new HashMap<>();
        int pos = 0;
        int len = text.length();
        while (pos < len) {
            int eol = lineEnd(text, pos);
            String head = text.substring(pos, eol).stripLeading();
            int eq = head.indexOf('=');
            if (head.isEmpty() || head.startsWith("#") || eq <= 0 || !isName(head.substring(0, eq))) {
                pos = eol + 1;
                continue;
            }
            int start = pos + (text.substring(pos, eol).length() - head.length()) + eq + 1;
            Value value = value(text, start);
            if (value.text != null) {
                out.put(head.substring(0, eq), value.text);
            }
            pos = value.end + 1;
        }
        return out;
    }

    private record Value(String text, int end) {
    }

    /** Reads a value from {@code start} to the end of its (possibly quoted, multi-line) text. */
    private static Value value(String s, int start) {
        StringBuilder b = new StringBuilder();
        int kept = 0; // length up to the last quoted or escaped character: whitespace before it is never trimmed
        char quote = 0;
        int i = start;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    b.append(c);
                }
                kept = b.length();
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < s.length() && "\"\\`$\n".indexOf(s.charAt(i + 1)) >= 0) {
                    char next = s.charAt(++i);
                    if (next != '\n') { // backslash-newline joins lines
                        b.append(next);
                    }
                } else {
                    b.append(c);
                }
                kept = b.length();
            } else if (c == '\n') {
                break;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '\\' && i + 1 < s.length()) {
                char next = s.charAt(++i);
                if (next != '\n') {
                    b.append(next);
                }
                kept = b.length();
            } else if (!(b.isEmpty() && (c == ' ' || c == '\t'))) {
                b.append(c);
            }
        }
        if (quote != 0) {
            return new Value(null, lineEnd(s, start)); // unterminated: skip only its first line
        }
        // unquoted whitespace (and the CR of a CRLF file) at the end is not part of the value
        int end = b.length();
        while (end > kept && Character.isWhitespace(b.charAt(end - 1))) {
            end--;
        }
        return new Value(b.substring(0, end), i);
    }

    private static int lineEnd(String s, int from) {
        int nl = s.indexOf('\n', from);
        return nl < 0 ? s.length() : nl;
    }

    private static boolean isName(String k) {
        return k.matches("[A-Za-z_][A-Za-z0-9_]*");
    }
}
