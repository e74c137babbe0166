package dev.posture.image.facts;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The freedesktop.org {@code os-release} file: {@code KEY=value} assignments in a subset of shell syntax (double and
 * single quotes, backslash escapes, {@code #} comments, blank lines).
 */
public final class OsReleaseFile {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
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
     * does not close on its line: values are one line each (real os-release files never continue one), which also
     * keeps the parse linear in the file's size.
     */
    static Map<String, String> assignments(String text) {
        Map<String, String> out = new HashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq <= 0 || !isName(line.substring(0, eq))) {
                continue;
            }
            String value = value(line.substring(eq + 1).stripLeading());
            if (value != null) {
                out.put(line.substring(0, eq), value);
            }
        }
        return out;
    }

    /** A value in shell syntax: quotes removed, escapes applied; null when a quote does not close. */
    private static String value(String s) {
        StringBuilder b = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    b.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < s.length() && "\"\\`$".indexOf(s.charAt(i + 1)) >= 0) {
                    b.append(s.charAt(++i)); // inside double quotes only these four are escapes
                } else {
                    b.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '\\' && i + 1 < s.length()) {
                b.append(s.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return quote != 0 ? null : b.toString();
    }

    private static boolean isName(String k) {
        return NAME.matcher(k).matches();
    }
}
