package dev.posture.vuln.version;

/**
 * Debian's version order (Debian Policy 5.6.12, dpkg's {@code verrevcmp}): {@code [epoch:]upstream[-revision]},
 * the epoch compared as a number, then upstream and revision as alternating runs of non-digits (character by
 * character: {@code ~} before the end of the string, the end before letters, letters before other characters) and
 * digits (as numbers).
 */
public final class DpkgVersion implements VersionScheme {
    public static final DpkgVersion INSTANCE = new DpkgVersion();

    @Override
    public String name() {
        return "dpkg";
    }

    record V(String text, long epoch, String upstream, String revision) implements ParsedVersion {
        @Override
        public int compareTo(ParsedVersion o) {
            V b = (V) o;
            int c = Long.compare(epoch, b.epoch);
            if (c != 0) {
                return c;
            }
            c = verrevcmp(upstream, b.upstream);
            return c != 0 ? c : verrevcmp(revision, b.revision);
        }
    }

    @Override
    public ParsedVersion parse(String text) throws InvalidVersionException {
        Grammar.Epoch ep = Grammar.epoch(name(), text);
        long epoch = ep.epoch();
        String s = ep.rest();
        int dash = s.lastIndexOf('-');
        String upstream = dash >= 0 ? s.substring(0, dash) : s;
        String revision = dash >= 0 ? s.substring(dash + 1) : "";
        if (upstream.isEmpty()) {
            throw new InvalidVersionException(name(), text, "empty upstream version");
        }
        if (dash >= 0 && revision.isEmpty()) {
            throw new InvalidVersionException(name(), text, "empty revision");
        }
        for (char ch : upstream.toCharArray()) {
            if (!(isAsciiAlnum(ch) || ".+-~:".indexOf(ch) >= 0)) {
                throw new InvalidVersionException(name(), text, "invalid character '" + ch + "' in upstream version");
            }
        }
        for (char ch : revision.toCharArray()) {
            if (!(isAsciiAlnum(ch) || ".+~".indexOf(ch) >= 0)) {
                throw new InvalidVersionException(name(), text, "invalid character '" + ch + "' in revision");
            }
        }
        return new V(text, epoch, upstream, revision);
    }

    private static boolean isAsciiAlnum(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int order(int c) {
        if (c == 0) {
            return 0;
        }
        if (digit((char) c)) {
            return 0;
        }
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    /** dpkg's verrevcmp, on Java strings (index past the end reads as NUL). */
    static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        int n = a.length();
        int m = b.length();
        while (i < n || j < m) {
            int firstDiff = 0;
            while (i < n && !digit(a.charAt(i)) || j < m && !digit(b.charAt(j))) {
                int ac = order(i < n ? a.charAt(i) : 0);
                int bc = order(j < m ? b.charAt(j) : 0);
                if (ac != bc) {
                    return ac - bc;
                }
                i++;
                j++;
            }
            while (i < n && a.charAt(i) == '0') {
                i++;
            }
            while (j < m && b.charAt(j) == '0') {
                j++;
            }
            while (i < n && digit(a.charAt(i)) && j < m && digit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < n && digit(a.charAt(i))) {
                return 1;
            }
            if (j < m && digit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff;
            }
        }
        return 0;
    }
}
