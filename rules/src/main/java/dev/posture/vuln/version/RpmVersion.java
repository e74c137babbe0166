package dev.posture.vuln.version;

/**
 * RPM's version order: {@code [epoch:]version[-release]}, the epoch as a number (absent = 0), then version and
 * release with {@code rpmvercmp} (rpm's {@code lib/rpmvercmp.c}): runs of digits (as numbers) or letters (as
 * strings), separators ignored, a numeric run newer than an alphabetic one, {@code ~} sorting before anything
 * (pre-releases) and {@code ^} after the end but before anything else (post-release snapshots).
 */
public final class RpmVersion implements VersionScheme {
    public static final RpmVersion INSTANCE = new RpmVersion();

    @Override
    public String name() {
        return "rpm";
    }

    record V(String text, long epoch, String version, String release) implements ParsedVersion {
        @Override
        public int compareTo(ParsedVersion o) {
            V b = (V) o;
            int c = Long.compare(epoch, b.epoch);
            if (c != 0) {
                return c;
            }
            c = rpmvercmp(version, b.version);
            if (c != 0) {
                return c;
            }
            // a range bound without a release matches every release of that version
            if (release == null || b.release == null) {
                return 0;
            }
            return rpmvercmp(release, b.release);
        }
    }

    @Override
    public ParsedVersion parse(String text) throws InvalidVersionException {
        Grammar.Epoch ep = Grammar.epoch(name(), text);
        long epoch = ep.epoch();
        String s = ep.rest();
        int dash = s.lastIndexOf('-');
        String version = dash >= 0 ? s.substring(0, dash) : s;
        String release = dash >= 0 ? s.substring(dash + 1) : null;
        if (version.isEmpty() || release != null && release.isEmpty()) {
            throw new InvalidVersionException(name(), text, "empty version or release");
        }
        for (char ch : s.toCharArray()) {
            if (Character.isWhitespace(ch) || ch < 0x20) {
                throw new InvalidVersionException(name(), text, "whitespace or control character");
            }
        }
        return new V(text, epoch, version, release);
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean alpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** rpm's rpmvercmp. */
    static int rpmvercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int i = 0;
        int j = 0;
        int n = a.length();
        int m = b.length();
        while (i < n || j < m) {
            while (i < n && !digit(a.charAt(i)) && !alpha(a.charAt(i)) && a.charAt(i) != '~' && a.charAt(i) != '^') {
                i++;
            }
            while (j < m && !digit(b.charAt(j)) && !alpha(b.charAt(j)) && b.charAt(j) != '~' && b.charAt(j) != '^') {
                j++;
            }
            char ca = i < n ? a.charAt(i) : 0;
            char cb = j < m ? b.charAt(j) : 0;
            if (ca == '~' || cb == '~') {
                if (ca != '~') {
                    return 1;
                }
                if (cb != '~') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (ca == '^' || cb == '^') {
                if (i >= n) {
                    return -1;
                }
                if (j >= m) {
                    return 1;
                }
                if (ca != '^') {
                    return 1;
                }
                if (cb != '^') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (!(i < n && j < m)) {
                break;
            }
            int si = i;
            int sj = j;
            boolean num = digit(a.charAt(i));
            if (num) {
                while (i < n && digit(a.charAt(i))) {
                    i++;
                }
                while (j < m && digit(b.charAt(j))) {
                    j++;
                }
            } else {
                while (i < n && alpha(a.charAt(i))) {
                    i++;
                }
                while (j < m && alpha(b.charAt(j))) {
                    j++;
                }
            }
            if (sj == j) {
                return num ? 1 : -1; // segments of different types: numeric is newer
            }
            String x = a.substring(si, i);
            String y = b.substring(sj, j);
            if (num) {
                x = x.replaceFirst("^0+", "");
                y = y.replaceFirst("^0+", "");
                if (x.length() != y.length()) {
                    return x.length() > y.length() ? 1 : -1;
                }
            }
            int c = x.compareTo(y);
            if (c != 0) {
                return c < 0 ? -1 : 1;
            }
        }
        if (i >= n && j >= m) {
            return 0;
        }
        return i < n ? 1 : -1;
    }
}
