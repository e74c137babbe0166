package dev.posture.model;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials recognisable by their shape (access keys, tokens, private keys, JWTs, passwords
 * in URLs) inside free text that quotes input: error messages, warnings, evidence. The secret
 * detector uses the same shapes; this is the one place that decides what a masked secret looks like.
 */
public final class Redaction {

    /**
     * A credential shape; {@code prefix} is how many leading characters may be shown; {@code anchors} are
     * literal texts of which every match contains at least one, so text holding none of them is not searched.
     */
    public record Shape(String kind, Pattern pattern, int prefix, List<String> anchors) {
        public Shape {
            anchors = List.copyOf(anchors);
        }

        /** False when {@code text} cannot hold a match (it contains none of the anchors). */
        boolean mayMatch(String text) {
            for (String a : anchors) {
                if (text.contains(a)) {
                    return true;
                }
            }
            return false;
        }
    }

    public static final List<Shape> SHAPES = List.of(
            new Shape("AWS access key id", Pattern.compile("\\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\\b"), 4,
                    List.of("AKIA", "ASIA", "ABIA", "ACCA", "A3T")),
            new Shape("private key", Pattern.compile("-----BEGIN[ A-Z0-9]*PRIVATE KEY( BLOCK)?-----"), 10,
                    List.of("PRIVATE KEY")),
            new Shape("GitHub token", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b"), 4,
                    List.of("gh")),
            new Shape("Slack token", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), 5, List.of("xox")),
            new Shape("Slack webhook", Pattern.compile("https://hooks\\.slack\\.com/(?:services|workflows)/[A-Za-z0-9/_-]{20,}"), 23,
                    List.of("hooks.slack.com")),
            new Shape("Stripe key", Pattern.compile("\\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"), 8,
                    List.of("_live_", "_test_")),
            new Shape("Google API key", Pattern.compile("\\bAIza[0-9A-Za-z_\\-]{35}\\b"), 4, List.of("AIza")),
            new Shape("password in URL", Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^:/@\\s]+:[^@/\\s$*{<]{3,}@[^\\s]+"), 0,
                    List.of("://")),
            new Shape("JSON Web Token", Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"), 3,
                    List.of("eyJ")));

    private Redaction() {
    }

    /** {@code text} with every credential-shaped part replaced by its masked form; null stays null. */
    public static String redact(String text) {
        if (text == null || text.length() < 8 || !mayHoldSecret(text)) {
            return text;
        }
        String out = text;
        for (Shape s : SHAPES) {
            if (!s.mayMatch(out)) {
                continue;
            }
            Matcher m = s.pattern().matcher(out);
            if (m.find()) {
                StringBuilder sb = new StringBuilder();
                do {
                    m.appendReplacement(sb, Matcher.quoteReplacement(masked(s, m.group())));
                } while (m.find());
                m.appendTail(sb);
                out = sb.toString();
            }
        }
        return out;
    }

    /**
     * Cheap pre-check: every shape has a run of 16 or more token characters, a URL scheme or a PEM
     * header, so most messages skip the patterns.
     */
    private static boolean mayHoldSecret(String text) {
        int run = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    || c == '/' || c == '+') {
                if (++run >= 16) {
                    return true;
                }
            } else {
                if (c == ':' && text.startsWith("//", i + 1)) {
                    return true;
                }
                run = 0;
            }
        }
        return false;
    }

    /** The masked form of a match of {@code shape}. */
    public static String masked(Shape shape, String match) {
        return shape.kind().equals("password in URL") ? match.substring(0, match.indexOf("://") + 3) + "****"
                : mask(match, shape.prefix());
    }

    /** A prefix of at most {@code keep} characters (never more than a quarter of the value) and "****". */
    public static String mask(String secret, int keep) {
        int k = Math.min(keep, secret.length() / 4);
        return secret.substring(0, Math.max(0, k)) + "****";
    }
}
