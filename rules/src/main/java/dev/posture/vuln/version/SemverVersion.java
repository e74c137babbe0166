package dev.posture.vuln.version;

import java.math.BigInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic Versioning 2.0.0 precedence (npm, and OSV's {@code SEMVER} ranges): major.minor.patch as numbers, a
 * pre-release lower than its release and compared identifier by identifier (numeric ones as numbers and lower
 * than alphanumeric ones, a longer list higher when the rest is equal), build metadata ignored. A leading
 * {@code v} or {@code =} is accepted, as npm's parser does.
 */
public final class SemverVersion implements VersionScheme {
    public static final SemverVersion INSTANCE = new SemverVersion();

    private static final Pattern GRAMMAR = Pattern.compile(
            "[v=]?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
                    + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

    @Override
    public String name() {
        return "semver";
    }

    record V(String text, BigInteger major, BigInteger minor, BigInteger patch, List<String> pre)
            implements ParsedVersion {
        @Override
        public int compareTo(ParsedVersion o) {
            V b = (V) o;
            int c = major.compareTo(b.major);
            if (c == 0) {
                c = minor.compareTo(b.minor);
            }
            if (c == 0) {
                c = patch.compareTo(b.patch);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
            if (pre.isEmpty() || b.pre.isEmpty()) {
                return pre.isEmpty() == b.pre.isEmpty() ? 0 : pre.isEmpty() ? 1 : -1;
            }
            for (int i = 0; i < Math.min(pre.size(), b.pre.size()); i++) {
                String x = pre.get(i);
                String y = b.pre.get(i);
                boolean nx = x.chars().allMatch(Character::isDigit);
                boolean ny = y.chars().allMatch(Character::isDigit);
                int d;
                if (nx && ny) {
                    d = new BigInteger(x).compareTo(new BigInteger(y));
                } else if (nx || ny) {
                    d = nx ? -1 : 1;
                } else {
                    d = x.compareTo(y);
                }
                if (d != 0) {
                    return Integer.signum(d);
                }
            }
            return Integer.compare(pre.size(), b.pre.size());
        }
    }

    @Override
    public ParsedVersion parse(String text) throws InvalidVersionException {
        Matcher m = Grammar.match(name(), GRAMMAR, text, "not MAJOR.MINOR.PATCH[-pre][+build]");
        List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return new V(text, new BigInteger(m.group(1)), new BigInteger(m.group(2)), new BigInteger(m.group(3)), pre);
    }
}
