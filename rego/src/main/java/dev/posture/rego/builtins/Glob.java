package dev.posture.rego.builtins;

import java.util.List;

/**
 * The pattern language of {@code glob.match}, as OPA's glob library (gobwas/glob) reads it, translated to an RE2
 * expression matched against the whole string in DOTALL mode:
 *
 * <ul>
 *   <li>{@code *} any run of characters that are not separators, {@code **} any run of characters, {@code ?} one
 *       character that is not a separator (with no separators, any character);</li>
 *   <li>{@code [abc]} / {@code [!abc]} one character of (not of) the list, where {@code -} is an ordinary character;
 *       {@code [a-z]} / {@code [!a-z]} one character in (not in) the range: a class is either one range or a list.
 *       Negated classes may match a separator;</li>
 *   <li>{@code {a,b}} alternatives (nestable; a comma is a separator only inside braces);</li>
 *   <li>{@code \c} the character {@code c}; a trailing backslash is dropped; everything else is literal.</li>
 * </ul>
 *
 * <p>Malformed patterns raise the library's errors, which OPA returns as the builtin's error: {@code unexpected end
 * of input} (unclosed brace or class, a stray {@code }}), {@code expected close range character}, {@code could not
 * parse range} ({@code []}), {@code hi character 'a' should be greater than lo 'z'}, {@code could not read rune}
 * (U+FFFD, which Go's decoder cannot tell from invalid UTF-8, or a lone surrogate).
 */
final class Glob {
    private static final int EOF = -1;

    private final String p;
    private final String notSep;
    private final String single;
    private int pos;
    private int terms;
    private final StringBuilder out = new StringBuilder();

    private Glob(String pattern, List<String> separators) {
        this.p = pattern;
        if (separators.isEmpty()) {
            notSep = ".*";
            single = ".";
        } else {
            StringBuilder cls = new StringBuilder("[^");
            for (String s : separators) {
                s.codePoints().forEach(c -> classChar(cls, c));
            }
            cls.append(']');
            notSep = cls + "*";
            single = cls.toString();
        }
    }

    /** The RE2 expression equivalent to {@code pattern} with the given separator runes; a {@link BuiltinError} when malformed. */
    static String toRegex(String pattern, List<String> separators) {
        Glob g = new Glob(pattern, separators);
        g.parse();
        return g.out.toString();
    }

    private void parse() {
        while (true) {
            int r = read();
            if (r == EOF) {
                if (terms > 0) {
                    throw error("unexpected end of input");
                }
                return;
            }
            switch (r) {
                case '{' -> {
                    terms++;
                    out.append("(?:");
                }
                case ',' -> {
                    if (terms > 0) {
                        out.append('|');
                    } else {
                        unread(r);
                        text(false);
                    }
                }
                case '}' -> {
                    if (terms == 0) {
                        throw error("unexpected end of input");
                    }
                    terms--;
                    out.append(')');
                }
                case '[' -> range();
                case '?' -> out.append(single);
                case '*' -> {
                    if (pos < p.length() && p.charAt(pos) == '*') {
                        pos++;
                        out.append("(?s:.*)");
                    } else {
                        out.append(notSep);
                    }
                }
                default -> {
                    unread(r);
                    text(false);
                }
            }
        }
    }

    /** A class: {@code [} already read. The lexer reads it whole before the parser checks it, so its errors come first. */
    private void range() {
        boolean not = false;
        boolean seenNot = false;
        boolean wantHi = false;
        boolean wantClose = false;
        int lo = 0;
        int hi = 0;
        String chars = "";
        while (true) {
            int r = read();
            if (r == EOF) {
                throw error("unexpected end of input");
            }
            if (wantClose) {
                if (r != ']') {
                    throw error("expected close range character");
                }
                break;
            }
            if (wantHi) {
                hi = r;
                wantClose = true;
                continue;
            }
            if (!seenNot && r == '!') {
                not = true;
                seenNot = true;
                continue;
            }
            if (peek() == '-') {
                pos++;
                lo = r;
                wantHi = true;
                continue;
            }
            unread(r);
            chars = text(true);
            wantClose = true;
        }
        if (wantHi && hi < lo) {
            throw error("hi character '" + new String(Character.toChars(hi)) + "' should be greater than lo '"
                    + new String(Character.toChars(lo)) + "'");
        }
        boolean isRange = lo != 0 && hi != 0;
        boolean isChars = !chars.isEmpty();
        if (isRange == isChars) {
            throw error("could not parse range");
        }
        StringBuilder cls = new StringBuilder("[");
        if (not) {
            cls.append('^');
        }
        if (isRange) {
            classChar(cls, lo);
            cls.append('-');
            classChar(cls, hi);
        } else {
            chars.codePoints().forEach(c -> classChar(cls, c));
        }
        out.append(cls).append(']');
    }

    /**
     * A run of literal characters up to a breaker ({@code ]} in a class; else {@code ? * [ { }}, and {@code ,}
     * inside braces), with backslash escapes; appended as literals unless in a class. Returns the characters.
     */
    private String text(boolean inRange) {
        StringBuilder data = new StringBuilder();
        boolean escaped = false;
        while (true) {
            int r = read();
            if (r == EOF) {
                break;
            }
            if (!escaped) {
                if (r == '\\') {
                    escaped = true;
                    continue;
                }
                if (inRange ? r == ']' : r == '?' || r == '*' || r == '[' || r == '{' || r == '}' || r == ',' && terms > 0) {
                    unread(r);
                    break;
                }
            }
            escaped = false;
            data.appendCodePoint(r);
        }
        if (!inRange) {
            data.codePoints().forEach(this::literal);
        }
        return data.toString();
    }

    private void literal(int c) {
        if (c < 0x80 && !Character.isLetterOrDigit(c)) {
            out.append('\\');
        }
        out.appendCodePoint(c);
    }

    private static void classChar(StringBuilder sb, int c) {
        if (c < 0x80 && !Character.isLetterOrDigit(c)) {
            sb.append('\\');
        }
        sb.appendCodePoint(c);
    }

    private int read() {
        int r = peek();
        if (r != EOF) {
            pos += Character.charCount(r);
        }
        return r;
    }

    private void unread(int r) {
        pos -= Character.charCount(r);
    }

    /** The next rune without consuming it; U+FFFD and lone surrogates are Go's invalid-rune error. */
    private int peek() {
        if (pos >= p.length()) {
            return EOF;
        }
        int r = p.codePointAt(pos);
        if (r == 0xFFFD || Character.isSurrogate((char) r) && Character.charCount(r) == 1) {
            throw error("could not read rune");
        }
        return r;
    }

    private static BuiltinError error(String msg) {
        return BuiltinError.err(msg);
    }
}
