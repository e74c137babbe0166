package dev.posture.iam.analysis;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource and principal helpers: what counts as an unconstrained resource, wildcard matching,
 * account ids in principals.
 *
 * <p>A resource is <em>unconstrained</em> when it names every resource of a kind rather than
 * particular ones: {@code *}; an ARN whose resource part is only wildcards, optionally after a
 * resource-type token ({@code arn:aws:s3:::*}, {@code arn:aws:s3:::*}{@code /*},
 * {@code arn:aws:iam::*:role/*}, {@code arn:aws:lambda:*:*:function:*},
 * {@code arn:aws:*:*:*:*}); whatever the partition, region and account are (also
 * {@code ${AWS::Partition}}-style pseudo parameters). Other symbolic values ({@code ${Bucket.Arn}},
 * {@code ${Import:X}}) name particular resources and are specific.
 */
final class Resources {
    private Resources() {
    }

    private static final Pattern PSEUDO = Pattern.compile("\\$\\{AWS::[A-Za-z]+}");
    private static final Pattern SYMBOL = Pattern.compile("\\$\\{[^}]*}");
    /** Services whose ARN resource part has no resource-type token (the name comes first). */
    private static final Set<String> UNTYPED = Set.of("s3", "sqs", "sns", "execute-api", "s3-object-lambda");
    private static final Pattern ACCOUNT = Pattern.compile("^\\d{12}$");
    private static final Pattern ACCOUNT_ARN = Pattern.compile("^arn:[^:]+:(?:iam|sts)::(\\d{12}):.*$");

    static boolean anyUnconstrained(List<String> resources) {
        if (resources.isEmpty()) {
            return true; // identity statements without Resource are treated as "*"
        }
        for (String r : resources) {
            if (isUnconstrained(r)) {
                return true;
            }
        }
        return false;
    }

    static boolean isUnconstrained(String resource) {
        if (resource == null) {
            return false;
        }
        String r = resource.trim();
        if (r.isEmpty()) {
            return false;
        }
        if (onlyWildcards(r)) {
            return true;
        }
        // pseudo parameters are fixed segments; any other ${...} is a particular resource
        r = PSEUDO.matcher(r).replaceAll("pseudo");
        if (r.contains("${")) {
            r = SYMBOL.matcher(r).replaceAll("symbol");
        }
        if (!r.regionMatches(true, 0, "arn:", 0, 4)) {
            return false;
        }
        String[] parts = r.split(":", 6);
        if (parts.length < 6) {
            // "arn:*", "arn:aws:*": the last present part is a wildcard reaching to the end
            return onlyWildcards(parts[parts.length - 1]);
        }
        String service = parts[2].toLowerCase(Locale.ROOT);
        String res = parts[5];
        if (onlyWildcards(res)) {
            return true;
        }
        if (onlyWildcards(service)) {
            return false;
        }
        if (!UNTYPED.contains(service)) {
            int sep = firstSeparator(res);
            if (sep > 0) {
                String type = res.substring(0, sep);
                if (type.indexOf('*') < 0 && type.indexOf('?') < 0) {
                    return onlyWildcards(res.substring(sep + 1));
                }
            }
        }
        return false;
    }

    private static int firstSeparator(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    /** Non-empty, made of '*' (at least one) and separators '/', ':' only. */
    static boolean onlyWildcards(String s) {
        boolean star = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*') {
                star = true;
            } else if (c != '/' && c != ':') {
                return false;
            }
        }
        return star;
    }

    /** IAM-style wildcard match ({@code *} any run, {@code ?} one character). */
    static boolean wildcardMatch(String pattern, String value, boolean ignoreCase) {
        String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        int pi = 0, vi = 0, starP = -1, starV = 0;
        while (vi < v.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == v.charAt(vi))) {
                pi++;
                vi++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                starP = pi++;
                starV = vi;
            } else if (starP >= 0) {
                pi = starP + 1;
                vi = ++starV;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    /** The 12-digit account of an AWS principal value ("123456789012", "arn:aws:iam::123456789012:root"), or null. */
    static String literalAccount(String principal) {
        if (principal == null) {
            return null;
        }
        if (ACCOUNT.matcher(principal).matches()) {
            return principal;
        }
        Matcher m = ACCOUNT_ARN.matcher(principal);
        return m.matches() ? m.group(1) : null;
    }

    /** The account of a function ARN (arn:aws:lambda:region:ACCOUNT:function:name), or null. */
    static String accountOfArn(String arn) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        return parts.length >= 5 && ACCOUNT.matcher(parts[4]).matches() ? parts[4] : null;
    }
}
