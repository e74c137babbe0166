package dev.posture.vuln.version;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alpine's version order (apk-tools, after Gentoo's): {@code 1.2.3[letter][_suffix[N]]…[-rN]}. Numbers: the first
 * compared as an integer, later ones as integers unless either starts with {@code 0} (then as decimal fractions:
 * trailing zeros dropped, compared as strings); more numbers is newer; a letter is newer than none; suffixes
 * {@code _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p}, each with an optional number; then
 * the {@code -r} revision (absent = 0).
 */
public final class ApkVersion implements VersionScheme {
    public static final ApkVersion INSTANCE = new ApkVersion();

    private static final Pattern GRAMMAR = Pattern.compile(
            "(\\d+(?:\\.\\d+)*)([a-z])?((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\\d*)*)(?:~[0-9a-f]+)?(?:-r(\\d+))?");
    private static final Pattern SUFFIX = Pattern.compile("_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\\d*)");
    private static final List<String> ORDER = List.of("alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p");

    @Override
    public String name() {
        return "apk";
    }

    record Suffix(int rank, long number) {
    }

    record V(String text, List<String> numbers, char letter, List<Suffix> suffixes, long revision)
            implements ParsedVersion {
        @Override
        public int compareTo(ParsedVersion o) {
            V b = (V) o;
            int n = Math.min(numbers.size(), b.numbers.size());
            for (int i = 0; i < n; i++) {
                int c = compareNumber(numbers.get(i), b.numbers.get(i), i == 0);
                if (c != 0) {
                    return c;
                }
            }
            if (numbers.size() != b.numbers.size()) {
                return numbers.size() > b.numbers.size() ? 1 : -1;
            }
            if (letter != b.letter) {
                return Character.compare(letter, b.letter); // none (0) < a < … < z
            }
            int k = Math.max(suffixes.size(), b.suffixes.size());
            for (int i = 0; i < k; i++) {
                Suffix x = i < suffixes.size() ? suffixes.get(i) : new Suffix(ORDER.indexOf(""), 0);
                Suffix y = i < b.suffixes.size() ? b.suffixes.get(i) : new Suffix(ORDER.indexOf(""), 0);
                if (x.rank != y.rank) {
                    return Integer.compare(x.rank, y.rank);
                }
                if (x.number != y.number) {
                    return Long.compare(x.number, y.number);
                }
            }
            return Long.compare(revision, b.revision);
        }
    }

    static int compareNumber(String a, String b, boolean first) {
        if (!first && (a.startsWith("0") || b.startsWith("0"))) {
            String x = a.replaceFirst("0+$", "");
            String y = b.replaceFirst("0+$", "");
            return Integer.signum(x.compareTo(y));
        }
        String x = a.replaceFirst("^0+(?=.)", "");
        String y = b.replaceFirst("^0+(?=.)", "");
        if (x.length() != y.length()) {
            return x.length() > y.length() ? 1 : -1;
        }
        return Integer.signum(x.compareTo(y));
    }

    @Override
    public ParsedVersion parse(String text) throws InvalidVersionException {
        Matcher m = Grammar.match(name(), GRAMMAR, text, "not of the form 1.2.3[a][_suffixN][-rN]");
        List<String> numbers = List.of(m.group(1).split("\\."));
        char letter = m.group(2) == null ? 0 : m.group(2).charAt(0);
        List<Suffix> suffixes = new ArrayList<>();
        Matcher s = SUFFIX.matcher(m.group(3));
        while (s.find()) {
            String num = s.group(2);
            if (num.length() > 18) {
                throw new InvalidVersionException(name(), text, "suffix number too long");
            }
            suffixes.add(new Suffix(ORDER.indexOf(s.group(1)), num.isEmpty() ? 0 : Long.parseLong(num)));
        }
        String rev = m.group(4);
        if (rev != null && rev.length() > 18) {
            throw new InvalidVersionException(name(), text, "revision too long");
        }
        return new V(text, numbers, letter, List.copyOf(suffixes), rev == null ? 0 : Long.parseLong(rev));
    }
}
