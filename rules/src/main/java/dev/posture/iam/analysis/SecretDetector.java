package dev.posture.iam.analysis;

import dev.posture.model.Redaction;

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
        for (Redaction.Shape d : Redaction.SHAPES) {
            var m = d.pattern().matcher(v);
            if (m.find()) {
                return Optional.of(new Match(d.kind(), Redaction.masked(d, m.group())));
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
        for (Redaction.Shape d : Redaction.SHAPES) {
            var m = d.pattern().matcher(text);
            if (m.find()) {
                return Optional.of(new Match(d.kind(), Redaction.masked(d, m.group())));
            }
        }
        return Optional.empty();
    }

    static boolean isPlaceholder(String v) {
        return PLACEHOLDER.matcher(v).matches() || v.contains("{{resolve:");
    }

    /** A prefix of at most {@code keep} characters (never more than a quarter of the value) and "****". */
    static String mask(String secret, int keep) {
        return Redaction.mask(secret, keep);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
