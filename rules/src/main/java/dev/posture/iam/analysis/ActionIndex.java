package dev.posture.iam.analysis;

import dev.posture.iam.catalog.AccessLevel;
import dev.posture.iam.catalog.ActionCatalog;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The catalog as a dense index: every canonical action has a position, so action sets are
 * {@link BitSet}s and set algebra (union, Deny subtraction, boundary intersection) costs a few hundred
 * word operations regardless of how many actions a wildcard covers. Pattern expansions are memoised
 * per (lower-cased) pattern, so {@code *} or {@code s3:*} is expanded once per catalog, not per policy.
 * Wildcards are matched here, over the catalog's names ({@code *} any run, {@code ?} one character,
 * case-insensitive, as IAM does), inside the service's block of names when the prefix is literal.
 * Thread-safe. Returned sets are shared: callers must never mutate them.
 */
final class ActionIndex {
    /** Above this size an expansion is kept as a BitSet, below as a list of positions. */
    private static final int SMALL = 48;
    private static final int MAX_CACHE = 200_000;

    final ActionCatalog catalog;
    private final String[] actions;
    private final Map<String, Integer> positions;
    private final Map<String, Integer> exact;
    private final String[] lower;
    /** service prefix (lower case) → {first position, end position (exclusive)}; names sort by service first. */
    private final Map<String, int[]> serviceRanges = new HashMap<>();
    private final BitSet all;
    private final EnumMap<AccessLevel, BitSet> byLevel = new EnumMap<>(AccessLevel.class);
    private final ConcurrentHashMap<String, Expansion> cache = new ConcurrentHashMap<>();

    /** One expansion: positions (small) or bits (large). */
    static final class Expansion {
        final int[] positions;
        final BitSet bits;
        private volatile BitSet asBits;

        Expansion(int[] positions, BitSet bits) {
            this.positions = positions;
            this.bits = bits;
        }

        /** True when any action of this expansion is in {@code set}; allocation-free. */
        boolean intersects(BitSet set) {
            if (bits != null) {
                return bits.intersects(set);
            }
            for (int p : positions) {
                if (set.get(p)) {
                    return true;
                }
            }
            return false;
        }

        boolean isEmpty() {
            return bits == null ? positions.length == 0 : bits.isEmpty();
        }

        void orInto(BitSet target) {
            if (bits != null) {
                target.or(bits);
            } else {
                for (int p : positions) {
                    target.set(p);
                }
            }
        }

        /** As a bit set (memoised). Shared; do not mutate. */
        BitSet toBits() {
            if (bits != null) {
                return bits;
            }
            BitSet b = asBits;
            if (b == null) {
                b = new BitSet();
                orInto(b);
                asBits = b;
            }
            return b;
        }
    }

    ActionIndex(ActionCatalog catalog) {
        this.catalog = catalog;
        List<String> sorted = new ArrayList<>(catalog.allActions());
        sorted.sort(String.CASE_INSENSITIVE_ORDER);
        actions = sorted.toArray(new String[0]);
        positions = new HashMap<>(actions.length * 2);
        exact = new HashMap<>(actions.length * 2);
        all = new BitSet(actions.length);
        all.set(0, actions.length);
        for (AccessLevel l : AccessLevel.values()) {
            byLevel.put(l, new BitSet(actions.length));
        }
        lower = new String[actions.length];
        for (int i = 0; i < actions.length; i++) {
            lower[i] = actions[i].toLowerCase(Locale.ROOT);
            String svc = lower[i].substring(0, Math.max(0, lower[i].indexOf(':')));
            int[] range = serviceRanges.get(svc);
            if (range == null) {
                serviceRanges.put(svc, new int[] {i, i + 1});
            } else {
                range[1] = i + 1;
            }
            positions.put(actions[i].toLowerCase(Locale.ROOT), i);
            exact.put(actions[i], i);
            for (AccessLevel l : catalog.accessLevels(actions[i])) {
                byLevel.get(l).set(i);
            }
        }
    }

    int size() {
        return actions.length;
    }

    String name(int position) {
        return actions[position];
    }

    /** Every action. Shared; do not mutate. */
    BitSet all() {
        return all;
    }

    /** Actions with the given access level. Shared; do not mutate. */
    BitSet level(AccessLevel level) {
        return byLevel.get(level);
    }

    /** Position of an action (any case), or -1. */
    int position(String action) {
        Integer p = exact.get(action);
        if (p == null) {
            p = positions.get(action.toLowerCase(Locale.ROOT));
        }
        return p == null ? -1 : p;
    }

    /** The expansion of one IAM action pattern ({@code *}, {@code ?}), memoised. */
    Expansion expand(String pattern) {
        // keyed by the pattern as written first (its hash is cached in the String), then lower-cased
        Expansion e = cache.get(pattern);
        if (e != null) {
            return e;
        }
        String key = pattern.toLowerCase(Locale.ROOT);
        e = cache.get(key);
        if (e == null) {
            e = compute(key);
        }
        if (cache.size() < MAX_CACHE) {
            cache.putIfAbsent(key, e);
            cache.putIfAbsent(pattern, e);
        }
        return e;
    }

    private Expansion compute(String key) {
        if (key.equals("*")) {
            return new Expansion(null, all);
        }
        if (key.indexOf('*') < 0 && key.indexOf('?') < 0) {
            Integer p = positions.get(key);
            return new Expansion(p == null ? new int[0] : new int[] {p}, null);
        }
        int colon = key.indexOf(':');
        if (colon < 0) {
            return new Expansion(new int[0], null);
        }
        // match within the service's block of names when the prefix is literal, else over all names
        int from = 0;
        int to = lower.length;
        String svc = key.substring(0, colon);
        if (svc.indexOf('*') < 0 && svc.indexOf('?') < 0) {
            int[] range = serviceRanges.get(svc);
            if (range == null) {
                return new Expansion(new int[0], null);
            }
            from = range[0];
            to = range[1];
        }
        int[] ps = new int[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (Resources.wildcardMatch(key, lower[i], false)) {
                ps[n++] = i;
            }
        }
        if (n > SMALL) {
            BitSet b = new BitSet(actions.length);
            for (int i = 0; i < n; i++) {
                b.set(ps[i]);
            }
            return new Expansion(null, b);
        }
        return new Expansion(n == ps.length ? ps : java.util.Arrays.copyOf(ps, n), null);
    }

    /** The union of several patterns, as a new (mutable) set. */
    BitSet union(Collection<String> patterns) {
        BitSet b = new BitSet(actions.length);
        for (String p : patterns) {
            expand(p).orInto(b);
        }
        return b;
    }

    /** A fixed list of action names (unknown ones are ignored) as a new set. */
    BitSet ofNames(Collection<String> names) {
        BitSet b = new BitSet(actions.length);
        for (String n : names) {
            int p = position(n);
            if (p >= 0) {
                b.set(p);
            }
        }
        return b;
    }

    /** Canonical names of the set, sorted, at most {@code limit}. */
    List<String> names(BitSet set, int limit) {
        List<String> out = new ArrayList<>();
        for (int i = set.nextSetBit(0); i >= 0 && out.size() < limit; i = set.nextSetBit(i + 1)) {
            out.add(actions[i]);
        }
        return out;
    }

    Optional<String> canonical(String action) {
        int p = position(action);
        return p < 0 ? Optional.empty() : Optional.of(actions[p]);
    }
}
