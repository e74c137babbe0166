package dev.posture.iam.analysis;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds credential-like environment variable values. Only the kind, the variable name and a masked
 * prefix ever leave this class: {@link Match#masked()} shows a short, non-secret prefix followed by
 * {@code ****}.
 */
public final class SecretDetector {

    /** A detected secret; {@code masked} is safe to print. */
    public record Match(String kind, String masked) {
    }

    private record Detector(String kind, Pattern pattern, int prefix) {
    }

    private static final List<Detector> VALUE_DETECTORS = List.of(
            new Detector("AWS access key id", Pattern.compile("\\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\\b"), 4),
            new Detector("private key", Pattern.compile("-----BEGIN[ A-Z0-9]*PRIVATE KEY( BLOCK)?-----"), 10),
            new Detector("GitHub token", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b"), 4),
            new Detector("Slack token", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), 5),
            new Detector("Slack webhook", Pattern.compile("https://hooks\\.slack\\.com/(?:services|workflows)/[A-Za-z0-9/_-]{20,}"), 23),
            new Detector("Stripe key", Pattern.compile("\\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"), 8),
            new Detector("Google API key", Pattern.compile("\\bAIza[0-9A-Za-z_\\-]{35}\\b"), 4),
            new Detector("password in URL", Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^:/@\\s]+:[^@/\\s$*{<]{3,}@[^\\s]+"), 0),
            new Detector("JSON Web Token", Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"), 3));

    private static final Pattern AWS_SECRET_VALUE = Pattern.compile("^[A-Za-z0-9/+]{40}$");
    private static final Pattern AWS_SECRET_NAME = Pattern.compile("(?i)(aws.*secret|secret.*access.*key)");
    private static final Pattern CREDENTIAL_NAME = Pattern.compile(
            "(?i)(passw(or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|credential|auth[_-]?key"
                    + "|access[_-]?key|client[_-]?secret|signing[_-]?key|encryption[_-]?key|conn(ection)?[_-]?str(ing)?)");
    /** Short forms: DB_PASS, dbPass, PASSPHRASE, DB_CREDS (not BYPASS_CACHE, PASSTHROUGH, COMPASS_URL). */
    private static final Pattern SHORT_CREDENTIAL_NAME = Pattern.compile(
            "(?i:passphrase)|(?i:(^|[_.-])pass($|[_.-]))|[a-z]Pass(?![a-z])|(?i:(^|[_.-])creds?($|[_.-]))");
    /** Names that hold references or metadata about a secret rather than the secret. */
    private static final Pattern REFERENCE_NAME = Pattern.compile(
            "(?i).*(_|-|\\b)(arn|name|id|path|param|parameter|ref|url|uri|endpoint|file|table|bucket|region|ttl"
                    + "|timeout|length|expiry|expiration|expires|seconds|minutes|header|type|version|key_id|keyid"
                    + "|enabled|location|store|source)$");
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "(?i)^(changeme|change[_-]?me|changeit|placeholder|todo|tbd|none|null|nil|undefined|false|true|"
                    + "dummy|example|sample|test|xxx+|\\*+|\\.+|-+|redacted|secret|password|your[_-].*|<.*>|\\[.*]|"
                    + "\\$\\{.*}|\\$\\(.*\\)|\\{\\{.*}}|%.*%|.*\\{\\{resolve:.*}}.*|arn:.*)$");

    private SecretDetector() {
    }

    /** The secret in a literal environment value, if it looks like one. Null or empty values are never secrets. */
    public static Optional<Match> detect(String name, String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.isEmpty() || isPlaceholder(v)) {
            return Optional.empty();
        }
        for (Detector d : VALUE_DETECTORS) {
            var m = d.pattern().matcher(v);
            if (m.find()) {
                String g = m.group();
                String masked = d.kind().equals("password in URL") ? g.substring(0, g.indexOf("://") + 3) + "****"
                        : mask(g, d.prefix());
                return Optional.of(new Match(d.kind(), masked));
            }
        }
        String n = name == null ? "" : name;
        if (AWS_SECRET_NAME.matcher(n).find() && AWS_SECRET_VALUE.matcher(v).matches()) {
            return Optional.of(new Match("AWS secret access key", mask(v, 2)));
        }
        boolean credentialName = CREDENTIAL_NAME.matcher(n).find() || SHORT_CREDENTIAL_NAME.matcher(n).find();
        if (credentialName && !REFERENCE_NAME.matcher(n).matches()
                && v.length() >= 4 && !v.chars().allMatch(Character::isDigit) && !plainUrl(v)) {
            return Optional.of(new Match("credential-like value (by name)", mask(v, v.length() >= 12 ? 2 : 0)));
        }
        return Optional.empty();
    }

    /** A URL with no user info and no credential-like query parameter (TOKEN_ISSUER: https://auth.example.com/). */
    private static final Pattern PLAIN_URL = Pattern.compile("(?i)^[a-z][a-z0-9+.-]{1,20}://[^\\s@?#]+(\\?[^\\s]*)?(#\\S*)?$");
    private static final Pattern CREDENTIAL_QUERY = Pattern.compile(
            "(?i)[?&](password|passwd|pwd|secret|token|access_token|api[_-]?key|apikey|key|sig|signature|auth)=");

    static boolean plainUrl(String v) {
        return PLAIN_URL.matcher(v).matches() && !CREDENTIAL_QUERY.matcher(v).find();
    }

    /**
     * A credential recognisable by its shape alone (access key, private key, token, JWT, password in a
     * URL) inside the text of a non-literal value; the variable's name is not considered.
     */
    public static Optional<Match> detectEmbedded(String text) {
        if (text == null || text.isBlank() || text.contains("{{resolve:")) {
            return Optional.empty();
        }
        for (Detector d : VALUE_DETECTORS) {
            var m = d.pattern().matcher(text);
            if (m.find()) {
                String g = m.group();
                String masked = d.kind().equals("password in URL") ? g.substring(0, g.indexOf("://") + 3) + "****"
                        : mask(g, d.prefix());
                return Optional.of(new Match(d.kind(), masked));
            }
        }
        return Optional.empty();
    }

    static boolean isPlaceholder(String v) {
        return PLACEHOLDER.matcher(v).matches() || v.contains("{{resolve:");
    }

    /** A prefix of at most {@code keep} characters (never more than a quarter of the value) and "****". */
    static String mask(String secret, int keep) {
        int k = Math.min(keep, secret.length() / 4);
        return secret.substring(0, Math.max(0, k)) + "****";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
