package dev.posture.report;

/**
 * Text from inputs (file names, messages, ignore-file entries) must not drive the terminal or a
 * CI log: the one helper that escapes control characters before such text is printed. The table
 * report uses it for every name and message, the CLI for its stderr lines and the progress bar.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /**
     * {@code s} with every control character shown as {@code \\uXXXX}: C0 (including ESC, BEL, CR
     * and newline), DEL, C1 (U+0080–U+009F, e.g. the one-character CSI U+009B) and the Unicode line
     * and paragraph separators. Null stays null; text without such characters is returned as is.
     */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                b.append(String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** The characters {@link #escape} replaces. */
    public static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
