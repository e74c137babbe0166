package dev.posture.vuln.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's version order (PEP 440, as the {@code packaging} library sorts): epoch, release (trailing zeros
 * ignored), pre-release ({@code a < b < rc}; a release with only a {@code .dev} part sorts before its
 * pre-releases), post-release, dev-release (before what it develops), then the local label (numeric parts above
 * alphanumeric ones). Spellings are normalised as the PEP says ({@code alpha}→a, {@code c/pre/preview}→rc,
 * {@code rev/r}→post, separators optional).
 */
public final class Pep440Version implements VersionScheme {
    public static final Pep440Version INSTANCE = new Pep440Version();

    private static final Pattern GRAMMAR = Pattern.compile(
            "v?(?:(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)"
                    + "([-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\\d+)?)?"
                    + "((?:-(\\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\\d+)?))?"
                    + "([-_.]?(dev)[-_.]?(\\d+)?)?)"
                    + "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
            Pattern.CASE_INSENSITIVE);

    @Override
    public String name() {
        return "pep440";
    }

    /** pre/post/dev: null = absent. */
    record V(String text, BigInteger epoch, List<BigInteger> release, Integer preRank, BigInteger pre,
             BigInteger post, BigInteger dev, List<String> local) implements ParsedVersion {
        @Override
        public int compareTo(ParsedVersion o) {
            V b = (V) o;
            int c = epoch.compareTo(b.epoch);
            if (c != 0) {
                return Integer.signum(c);
            }
            c = compareRelease(release, b.release);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(preKey(), b.preKey());
            if (c == 0 && preRank != null) {
                c = pre.compareTo(b.pre);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
            // post: absent lowest
            c = post == null ? (b.post == null ? 0 : -1) : b.post == null ? 1 : post.compareTo(b.post);
            if (c != 0) {
                return Integer.signum(c);
            }
            // dev: absent highest
            c = dev == null ? (b.dev == null ? 0 : 1) : b.dev == null ? -1 : dev.compareTo(b.dev);
            if (c != 0) {
                return Integer.signum(c);
            }
            return compareLocal(local, b.local);
        }

        /** -1: dev-only release (before any pre-release); 0..2: a, b, rc; 3: no pre-release. */
        private int preKey() {
            if (preRank == null) {
                return post == null && dev != null ? -1 : 3;
            }
            return preRank;
        }
    }

    private static int compareRelease(List<BigInteger> a, List<BigInteger> b) {
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
            BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
            int c = x.compareTo(y);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return 0;
    }

    private static int compareLocal(List<String> a, List<String> b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String x = a.get(i);
            String y = b.get(i);
            boolean nx = x.chars().allMatch(Character::isDigit);
            boolean ny = y.chars().allMatch(Character::isDigit);
            int c = nx && ny ? new BigInteger(x).compareTo(new BigInteger(y)) : nx ? 1 : ny ? -1 : x.compareTo(y);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public ParsedVersion parse(String text) throws InvalidVersionException {
        Matcher m = Grammar.match(name(), GRAMMAR, text, "not a PEP 440 version");
        BigInteger epoch = m.group(1) == null ? BigInteger.ZERO : new BigInteger(m.group(1));
        List<BigInteger> release = new ArrayList<>();
        for (String p : m.group(2).split("\\.")) {
            release.add(new BigInteger(p));
        }
        Integer preRank = null;
        BigInteger pre = null;
        if (m.group(3) != null) {
            String l = m.group(4).toLowerCase(Locale.ROOT);
            preRank = l.equals("a") || l.equals("alpha") ? 0 : l.equals("b") || l.equals("beta") ? 1 : 2;
            pre = m.group(5) == null ? BigInteger.ZERO : new BigInteger(m.group(5));
        }
        BigInteger post = null;
        if (m.group(6) != null) {
            String n = m.group(7) != null ? m.group(7) : m.group(9);
            post = n == null ? BigInteger.ZERO : new BigInteger(n);
        }
        BigInteger dev = null;
        if (m.group(10) != null) {
            dev = m.group(12) == null ? BigInteger.ZERO : new BigInteger(m.group(12));
        }
        List<String> local = m.group(13) == null ? null
                : List.of(m.group(13).toLowerCase(Locale.ROOT).split("[-_.]"));
        return new V(text, epoch, List.copyOf(release), preRank, pre, post, dev, local);
    }
}
