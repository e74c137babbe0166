package dev.posture.iam.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The action catalog read from a catalog file (the bundled resource, or one written by
 * {@link ServiceReferenceImporter}). Immutable and thread-safe; wildcard expansions are memoised.
 *
 * <p>Get instances from {@link Catalogs#bundled()} or {@link Catalogs#defaultCatalog()}; the
 * bundled data is parsed once, on first use.
 */
public final class BundledActionCatalog implements ActionCatalog {

    /** Expansions cached at most; past this, results are computed but not kept (hostile inputs). */
    static final int MAX_CACHED_PATTERNS = 100_000;

    /** One service prefix: canonical names sorted case-insensitively, with a lower-case index. */
    private static final class Service {
        final String prefix;
        final String[] lower;          // lower-case action names
        final String[] full;           // canonical "prefix:Name"
        final Set<AccessLevel>[] levels;
        final Map<String, Integer> index;
        final Set<String> all;

        @SuppressWarnings("unchecked")
        Service(String prefix, List<CatalogData.Entry> entries) {
            this.prefix = prefix;
            int n = entries.size();
            lower = new String[n];
            full = new String[n];
            levels = new Set[n];
            index = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                CatalogData.Entry e = entries.get(i);
                lower[i] = e.name().toLowerCase(Locale.ROOT);
                full[i] = prefix + ":" + e.name();
                levels[i] = e.levels();
                index.put(lower[i], i);
            }
            all = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(full)));
        }
    }

    private final Map<String, Service> services;   // lower-case prefix → service, sorted iteration
    private final List<Service> ordered;
    private final String[] prefixes;
    private final Set<String> allActions;
    private final String provenance;
    private final int actionCount;
    private final ConcurrentHashMap<String, Set<String>> expansions = new ConcurrentHashMap<>();

    BundledActionCatalog(CatalogData data) {
        Map<String, Service> map = new HashMap<>(data.serviceCount() * 2);
        List<Service> list = new ArrayList<>(data.serviceCount());
        int count = 0;
        for (Map.Entry<String, Map<String, CatalogData.Entry>> s : data.services().entrySet()) {
            List<CatalogData.Entry> entries = new ArrayList<>(s.getValue().values());  // sorted by lower name
            Service svc = new Service(s.getKey(), entries);
            map.put(s.getKey(), svc);
            list.add(svc);
            count += entries.size();
        }
        services = map;
        ordered = List.copyOf(list);
        prefixes = list.stream().map(s -> s.prefix).toArray(String[]::new);
        LinkedHashSet<String> all = new LinkedHashSet<>(count * 2);
        for (Service s : ordered) {
            all.addAll(s.all);
        }
        allActions = Collections.unmodifiableSet(all);
        actionCount = count;
        String source = data.headers().getOrDefault(CatalogData.SOURCE, "unknown source");
        String generated = data.headers().get(CatalogData.GENERATED);
        provenance = "IAM action catalog: " + source + (generated == null ? "" : ", generated " + generated)
                + "; " + ordered.size() + " services, " + count + " actions";
    }

    /** Reads a catalog file in the format documented in docs/iam-catalog.md (gzip or plain). */
    public static BundledActionCatalog load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new BundledActionCatalog(CatalogData.read(in, file.toString()));
        }
    }

    /** Reads a catalog from a stream (gzip or plain); {@code what} names it in error messages. */
    public static BundledActionCatalog load(InputStream in, String what) throws IOException {
        return new BundledActionCatalog(CatalogData.read(in, what));
    }

    /** Number of service prefixes. */
    public int serviceCount() {
        return ordered.size();
    }

    /** Number of actions. */
    public int actionCount() {
        return actionCount;
    }

    /** All service prefixes, sorted. */
    public List<String> servicePrefixes() {
        return List.of(prefixes);
    }

    /** All actions of one service prefix (any case); empty when unknown. */
    public Set<String> actionsOf(String prefix) {
        Service s = services.get(prefix.toLowerCase(Locale.ROOT));
        return s == null ? Set.of() : s.all;
    }

    @Override
    public Set<String> expand(String pattern) {
        if (pattern == null) {
            return Set.of();
        }
        Set<String> hit = expansions.get(pattern);
        if (hit != null) {
            return hit;
        }
        Set<String> result = compute(pattern);
        if (expansions.size() < MAX_CACHED_PATTERNS) {
            Set<String> raced = expansions.putIfAbsent(pattern, result);
            if (raced != null) {
                return raced;
            }
        }
        return result;
    }

    private Set<String> compute(String pattern) {
        String p = pattern.toLowerCase(Locale.ROOT);
        int colon = p.indexOf(':');
        if (colon < 0) {
            // IAM accepts a bare wildcard ("*") only; anything else names no action.
            return !p.isEmpty() && p.chars().allMatch(c -> c == '*') ? allActions : Set.of();
        }
        String svc = p.substring(0, colon);
        String act = p.substring(colon + 1);
        if (!Wildcard.hasWildcard(svc)) {
            Service s = services.get(svc);
            return s == null ? Set.of() : expandIn(s, act);
        }
        Wildcard sw = Wildcard.compile(svc);
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (Service s : ordered) {
            if (sw.matches(s.prefix)) {
                out.addAll(expandIn(s, act));
            }
        }
        return out.isEmpty() ? Set.of() : Collections.unmodifiableSet(out);
    }

    private static Set<String> expandIn(Service s, String act) {
        if (!Wildcard.hasWildcard(act)) {
            Integer i = s.index.get(act);
            return i == null ? Set.of() : Set.of(s.full[i]);
        }
        Wildcard w = Wildcard.compile(act);
        if (act.equals("*")) {
            return s.all;
        }
        LinkedHashSet<String> out = null;
        for (int i = 0; i < s.lower.length; i++) {
            if (w.matches(s.lower[i])) {
                if (out == null) {
                    out = new LinkedHashSet<>();
                }
                out.add(s.full[i]);
            }
        }
        return out == null ? Set.of() : Collections.unmodifiableSet(out);
    }

    @Override
    public Set<String> allActions() {
        return allActions;
    }

    @Override
    public Optional<String> canonical(String action) {
        int i = find(action);
        if (i < 0) {
            return Optional.empty();
        }
        return Optional.of(serviceOf(action).full[i]);
    }

    private Service serviceOf(String action) {
        int colon = action.indexOf(':');
        return colon <= 0 ? null : services.get(action.substring(0, colon).toLowerCase(Locale.ROOT));
    }

    /** Index of the action in its service, or -1. */
    private int find(String action) {
        if (action == null) {
            return -1;
        }
        Service s = serviceOf(action);
        if (s == null) {
            return -1;
        }
        Integer i = s.index.get(action.substring(action.indexOf(':') + 1).toLowerCase(Locale.ROOT));
        return i == null ? -1 : i;
    }

    @Override
    public boolean serviceExists(String prefix) {
        return prefix != null && services.containsKey(prefix.toLowerCase(Locale.ROOT));
    }

    @Override
    public Set<AccessLevel> accessLevels(String action) {
        int i = find(action);
        return i < 0 ? Set.of() : serviceOf(action).levels[i];
    }

    /** Union of the access levels of every action a pattern expands to. */
    public Set<AccessLevel> accessLevelsOfPattern(String pattern) {
        EnumSet<AccessLevel> out = EnumSet.noneOf(AccessLevel.class);
        for (String a : expand(pattern)) {
            out.addAll(accessLevels(a));
        }
        return Collections.unmodifiableSet(out);
    }

    /** Largest edit distance accepted for a name of this length. */
    static int allowedDistance(int length) {
        return length <= 4 ? 1 : length <= 12 ? 2 : 3;
    }

    /**
     * The nearest existing action to a misspelt one: a near miss by edit distance within the same
     * service ({@code s3:GetObjekt} → {@code s3:GetObject}), or a misspelt service prefix
     * ({@code lamda:InvokeFunction} → {@code lambda:InvokeFunction}), possibly both. For a
     * wildcard pattern whose service prefix is misspelt, the pattern with the prefix corrected
     * (when it matches something). An existing action returns its canonical spelling. Empty when
     * nothing is close.
     */
    @Override
    public Optional<String> suggest(String unknownAction) {
        if (unknownAction == null) {
            return Optional.empty();
        }
        String a = unknownAction.trim();
        int colon = a.indexOf(':');
        if (colon <= 0 || colon == a.length() - 1) {
            return Optional.empty();
        }
        String svc = a.substring(0, colon).toLowerCase(Locale.ROOT);
        String rawAct = a.substring(colon + 1);
        String act = rawAct.toLowerCase(Locale.ROOT);
        if (Wildcard.hasWildcard(svc)) {
            return Optional.empty();
        }
        if (Wildcard.hasWildcard(act)) {
            if (services.containsKey(svc)) {
                return Optional.empty();
            }
            Service best = null;
            int bestD = Integer.MAX_VALUE;
            int max = allowedDistance(svc.length());
            for (Service s : ordered) {
                int d = EditDistance.distance(svc, s.prefix, max);
                if (d <= max && d < bestD && !expandIn(s, act).isEmpty()) {
                    best = s;
                    bestD = d;
                }
            }
            return best == null ? Optional.empty() : Optional.of(best.prefix + ":" + rawAct);
        }
        Service own = services.get(svc);
        if (own != null) {
            Integer exact = own.index.get(act);
            if (exact != null) {
                return Optional.of(own.full[exact]);
            }
            int i = nearest(own, act);
            return i < 0 ? Optional.empty() : Optional.of(own.full[i]);
        }
        // misspelt service prefix: combine prefix distance and action distance
        int maxSvc = allowedDistance(svc.length());
        String best = null;
        int bestTotal = Integer.MAX_VALUE;
        int bestSvcD = Integer.MAX_VALUE;
        for (Service s : ordered) {
            int sd = EditDistance.distance(svc, s.prefix, maxSvc);
            if (sd > maxSvc) {
                continue;
            }
            Integer exact = s.index.get(act);
            int total;
            String cand;
            if (exact != null) {
                total = sd;
                cand = s.full[exact];
            } else {
                int i = nearest(s, act);
                if (i < 0) {
                    continue;
                }
                total = sd + EditDistance.distance(act, s.lower[i], allowedDistance(act.length()));
                cand = s.full[i];
            }
            if (total < bestTotal || (total == bestTotal && sd < bestSvcD)) {
                best = cand;
                bestTotal = total;
                bestSvcD = sd;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The closest action name in a service within the allowed distance, or -1. */
    private static int nearest(Service s, String act) {
        int max = allowedDistance(act.length());
        int best = -1;
        int bestD = max + 1;
        int bestPrefix = -1;
        for (int i = 0; i < s.lower.length; i++) {
            String cand = s.lower[i];
            int d = EditDistance.distance(act, cand, Math.min(max, bestD));
            if (d > max) {
                continue;
            }
            int cp = commonPrefix(act, cand);
            if (d < bestD || (d == bestD && cp > bestPrefix)) {
                best = i;
                bestD = d;
                bestPrefix = cp;
            }
        }
        return best;
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    @Override
    public String provenance() {
        return provenance;
    }

    @Override
    public String toString() {
        return "BundledActionCatalog[" + provenance + "]";
    }
}
