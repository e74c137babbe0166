package dev.posture.vuln.osv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * OSV records loaded once and indexed by (ecosystem base, package name). The directory has OSV's export layout,
 * {@code DIR/<Ecosystem>/all.zip} (one JSON record per entry), and {@code *.json} records beside or instead of
 * the zip are read too. Withdrawn records are dropped. Records that cannot be used (corrupt zip entries, invalid
 * JSON, unknown range types) are warned about by name and counted, never dropped silently.
 */
public final class OsvDatabase {
    /** A record larger than this is refused (the largest OSV records are a few hundred KB). */
    static final long MAX_RECORD_BYTES = 16L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One affected package of one record. */
    public record Entry(OsvRecord record, OsvRecord.Affected affected) {
    }

    /** What a load read: per ecosystem base, records used, withdrawn, and refused. */
    public record Stats(Map<String, Integer> records, int withdrawn, int skipped) {
    }

    private final Map<String, Map<String, List<Entry>>> index;
    private final Stats stats;

    private OsvDatabase(Map<String, Map<String, List<Entry>>> index, Stats stats) {
        this.index = index;
        this.stats = stats;
    }

    public Stats stats() {
        return stats;
    }

    /** The ecosystem bases the database holds ("Debian", "npm"). */
    public Set<String> ecosystems() {
        return index.keySet();
    }

    /** Every affected entry for a package in an ecosystem base (any release), in load order. */
    public List<Entry> entries(String ecosystemBase, String name) {
        Map<String, List<Entry>> byName = index.get(ecosystemBase);
        if (byName == null) {
            return List.of();
        }
        return byName.getOrDefault(Ecosystems.key(ecosystemBase, name), List.of());
    }

    /**
     * Loads the ecosystem folders of {@code dir} named in {@code bases} (all present ones when null).
     *
     * @throws IOException when {@code dir} is not a readable directory
     */
    public static OsvDatabase load(Path dir, Collection<String> bases, Consumer<String> warn) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a directory (expected <dir>/<Ecosystem>/all.zip, as 'posture db update' writes)");
        }
        Map<String, Map<String, List<Entry>>> index = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        int[] withdrawn = {0};
        int[] skipped = {0};
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path eco : ds) {
                String base = eco.getFileName().toString();
                if (bases != null && !bases.contains(base)) {
                    continue;
                }
                Map<String, List<Entry>> byName = index.computeIfAbsent(base, k -> new HashMap<>());
                Consumer<OsvRecord> add = r -> {
                    if (r.withdrawn() != null) {
                        withdrawn[0]++;
                        return;
                    }
                    counts.merge(base, 1, Integer::sum);
                    for (OsvRecord.Affected a : r.affected()) {
                        if (Ecosystems.base(a.ecosystem()).equals(base)) {
                            byName.computeIfAbsent(Ecosystems.key(base, a.name()), k -> new ArrayList<>(1))
                                    .add(new Entry(r, a));
                        }
                    }
                };
                Path zip = eco.resolve("all.zip");
                if (Files.isRegularFile(zip)) {
                    readZip(zip, add, warn, skipped);
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(eco, "*.json")) {
                    for (Path f : files) {
                        readRecord(f.toString(), Files.newInputStream(f), add, warn, skipped);
                    }
                }
            }
        }
        if (skipped[0] > 0) {
            warn.accept(dir + ": " + skipped[0] + " OSV record(s) skipped (see the warnings above)");
        }
        return new OsvDatabase(index, new Stats(counts, withdrawn[0], skipped[0]));
    }

    /**
     * Entries are parsed on all cores (a {@link ZipFile} serves concurrent readers) and added in zip order, so
     * the index does not depend on the thread schedule.
     */
    private static void readZip(Path zip, Consumer<OsvRecord> add, Consumer<String> warn, int[] skipped) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<ZipEntry> entries = new ArrayList<>();
            Enumeration<? extends ZipEntry> en = z.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (!e.isDirectory() && e.getName().endsWith(".json")) {
                    entries.add(e);
                }
            }
            List<Object> parsed = entries.parallelStream().map(e -> {
                String where = zip + "!" + e.getName();
                if (e.getSize() > MAX_RECORD_BYTES) {
                    return (Object) (where + ": larger than " + MAX_RECORD_BYTES + " bytes, skipped");
                }
                try (InputStream in = z.getInputStream(e)) {
                    return parseRecord(where, in);
                } catch (IOException ex) {
                    return (Object) (where + ": " + ex.getMessage());
                }
            }).toList();
            for (Object o : parsed) {
                if (o instanceof OsvRecord r) {
                    add.accept(r);
                } else {
                    warn.accept((String) o);
                    skipped[0]++;
                }
            }
        } catch (ZipException e) {
            warn.accept(zip + ": not a valid zip (" + e.getMessage() + "); its records were not read");
            skipped[0]++;
        } catch (IOException | java.io.UncheckedIOException e) {
            warn.accept(zip + ": " + e.getMessage() + "; its remaining records were not read");
            skipped[0]++;
        }
    }

    /** The record, or the warning (a String) saying why it cannot be used. */
    private static Object parseRecord(String where, InputStream raw) {
        try (InputStream in = new BoundedInput(raw, MAX_RECORD_BYTES)) {
            JsonNode n = JSON.readTree(in);
            try {
                return OsvParser.parse(n, where);
            } catch (OsvParser.InvalidRecordException e) {
                return e.getMessage();
            }
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            int nl = m.indexOf('\n');
            return where + ": not valid JSON (" + (nl < 0 ? m : m.substring(0, nl)) + ")";
        }
    }

    private static void readRecord(String where, InputStream raw, Consumer<OsvRecord> add, Consumer<String> warn,
                                   int[] skipped) {
        Object o = parseRecord(where, raw);
        if (o instanceof OsvRecord r) {
            add.accept(r);
        } else {
            warn.accept((String) o);
            skipped[0]++;
        }
    }

    /** Fails a read past {@code max} bytes (a zip entry may lie about its size). */
    private static final class BoundedInput extends java.io.FilterInputStream {
        private long left;

        BoundedInput(InputStream in, long max) {
            super(in);
            this.left = max;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                throw new IOException("record larger than " + MAX_RECORD_BYTES + " bytes");
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                throw new IOException("record larger than " + MAX_RECORD_BYTES + " bytes");
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
