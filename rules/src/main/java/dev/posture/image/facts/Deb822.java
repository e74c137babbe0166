package dev.posture.image.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits Debian control-file text (RFC-822-style stanzas, as dpkg writes {@code /var/lib/dpkg/status}) into
 * stanzas of fields. Field names are case-insensitive (kept lower-cased); a line starting with a space or tab
 * continues the previous field; an empty line ends a stanza. CRLF line ends are tolerated. Lines that are neither a
 * field nor a continuation are skipped: a damaged line must not take its stanza's other fields with it.
 */
final class Deb822 {
    private Deb822() {
    }

    /** The stanzas in file order; each maps lower-cased field names to their first-line value, trimmed. */
    static List<Map<String, String>> stanzas(String text) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        int pos = 0;
        int len = text.length();
        while (pos < len) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? len : nl;
            String line = text.substring(pos, end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end);
            pos = nl < 0 ? len : nl + 1;
            if (line.isEmpty()) {
                if (!current.isEmpty()) {
                    out.add(current);
                    current = new LinkedHashMap<>();
                }
                continue;
            }
            char c = line.charAt(0);
            if (c == ' ' || c == '\t' || c == '#') {
                continue; // continuation lines (Description, Conffiles) carry nothing we read; '#' is a comment
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            current.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }
}
