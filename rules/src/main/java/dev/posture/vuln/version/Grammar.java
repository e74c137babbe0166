package dev.posture.vuln.version;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the schemes share in reading a version string. */
final class Grammar {
    private Grammar() {
    }

    /** The whole (stripped) text against a scheme's grammar, or the rejection saying what was expected. */
    static Matcher match(String scheme, Pattern grammar, String text, String expected) throws InvalidVersionException {
        if (text == null) {
            throw new InvalidVersionException(scheme, "null", "empty");
        }
        Matcher m = grammar.matcher(text.strip());
        if (!m.matches()) {
            throw new InvalidVersionException(scheme, text, expected);
        }
        return m;
    }

    /** {@code [epoch:]rest} (dpkg, rpm): the epoch (0 when absent) and the rest. */
    record Epoch(long epoch, String rest) {
    }

    static Epoch epoch(String scheme, String text) throws InvalidVersionException {
        if (text == null || text.isBlank()) {
            throw new InvalidVersionException(scheme, String.valueOf(text), "empty");
        }
        String s = text.strip();
        int colon = s.indexOf(':');
        if (colon < 0) {
            return new Epoch(0, s);
        }
        String e = s.substring(0, colon);
        if (e.isEmpty() || !e.chars().allMatch(Character::isDigit) || e.length() > 9) {
            throw new InvalidVersionException(scheme, text, "epoch is not a number");
        }
        return new Epoch(Long.parseLong(e), s.substring(colon + 1));
    }
}
