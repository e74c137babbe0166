package dev.posture.iam.catalog;

/**
 * A compiled IAM wildcard pattern ({@code *} any run of characters, {@code ?} one character)
 * over lower-case text. The common shapes ({@code Get*}, {@code *Object}, {@code *Object*},
 * literals) compile to plain string tests; anything else uses a linear-time greedy matcher.
 */
abstract class Wildcard {

    /** Does the (already lower-cased) text match? */
    abstract boolean matches(String text);

    static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
    }

    /** Compiles a lower-case pattern. */
    static Wildcard compile(String p) {
        if (!hasWildcard(p)) {
            return new Wildcard() {
                @Override
                boolean matches(String t) {
                    return t.equals(p);
                }
            };
        }
        // collapse runs of '*'
        StringBuilder sb = new StringBuilder(p.length());
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '*') {
                continue;
            }
            sb.append(c);
        }
        String q = sb.toString();
        if (q.equals("*")) {
            return new Wildcard() {
                @Override
                boolean matches(String t) {
                    return true;
                }
            };
        }
        if (q.indexOf('?') < 0) {
            int stars = 0;
            for (int i = 0; i < q.length(); i++) {
                if (q.charAt(i) == '*') {
                    stars++;
                }
            }
            boolean lead = q.charAt(0) == '*';
            boolean trail = q.charAt(q.length() - 1) == '*';
            if (stars == 1 && trail) {
                String prefix = q.substring(0, q.length() - 1);
                return new Wildcard() {
                    @Override
                    boolean matches(String t) {
                        return t.startsWith(prefix);
                    }
                };
            }
            if (stars == 1 && lead) {
                String suffix = q.substring(1);
                return new Wildcard() {
                    @Override
                    boolean matches(String t) {
                        return t.endsWith(suffix);
                    }
                };
            }
            if (stars == 2 && lead && trail) {
                String mid = q.substring(1, q.length() - 1);
                return new Wildcard() {
                    @Override
                    boolean matches(String t) {
                        return t.contains(mid);
                    }
                };
            }
        }
        return new Wildcard() {
            @Override
            boolean matches(String t) {
                return glob(q, t);
            }
        };
    }

    /** Greedy glob match with single backtrack point: O(|p|·|t|) worst case, linear in practice. */
    static boolean glob(String p, String t) {
        int pi = 0;
        int ti = 0;
        int star = -1;
        int mark = 0;
        int pl = p.length();
        int tl = t.length();
        while (ti < tl) {
            if (pi < pl) {
                char c = p.charAt(pi);
                if (c == '*') {
                    star = pi++;
                    mark = ti;
                    continue;
                }
                if (c == '?' || c == t.charAt(ti)) {
                    pi++;
                    ti++;
                    continue;
                }
            }
            if (star < 0) {
                return false;
            }
            pi = star + 1;
            ti = ++mark;
        }
        while (pi < pl && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == pl;
    }
}
