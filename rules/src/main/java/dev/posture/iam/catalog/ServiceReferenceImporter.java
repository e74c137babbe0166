package dev.posture.iam.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Imports AWS's programmatic Service Authorization Reference ("service reference information",
 * published as JSON under {@code https://servicereference.us-east-1.amazonaws.com/}) into a
 * catalog file in posture's format.
 *
 * <p>Accepted inputs: one per-service file ({@code {"Name":"s3","Actions":[…],…}}), a JSON array
 * of such service objects, or a directory (searched recursively) of {@code .json} /
 * {@code .json.gz} files. The index file ({@code [{"service":"s3","url":"…"}]}) lists URLs only;
 * it is skipped (download the per-service files first).
 *
 * <p>Each action's access levels come from {@code Annotations.Properties}: {@code IsPermissionManagement}
 * → Permissions management, {@code IsTaggingOnly} → Tagging, {@code IsWrite} → Write,
 * {@code IsList} → List, none of them → Read (several may hold, as in "Permissions management, Write").
 *
 * <p>By default the imported services replace the same prefixes of the bundled catalog and every
 * other bundled service is kept, so importing one service file never makes the rest unknown.
 */
public final class ServiceReferenceImporter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceReferenceImporter() {
    }

    /** Imports {@code in}, merged over the bundled catalog, into {@code out} (see the class comment). */
    public static ImportSummary importFrom(Path in, Path out) throws IOException {
        return importFrom(in, out, true);
    }

    /** The default output: {@code ~/.posture/iam-catalog.tsv.gz}. */
    public static Path defaultOutput() {
        return Catalogs.userCatalogPath();
    }

    /**
     * Imports {@code in} into {@code out}.
     *
     * @param mergeWithBundled keep bundled services the input does not mention (true), or write
     *                         only what the input holds (false)
     * @throws IllegalArgumentException when the input holds no service reference data
     */
    public static ImportSummary importFrom(Path in, Path out, boolean mergeWithBundled) throws IOException {
        if (!Files.exists(in)) {
            throw new java.nio.file.NoSuchFileException(in.toString());
        }
        CatalogData imported = new CatalogData();
        List<String> skipped = new ArrayList<>();
        TreeSet<String> versions = new TreeSet<>();
        if (Files.isDirectory(in)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(in)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(p -> {
                            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                            return n.endsWith(".json") || n.endsWith(".json.gz");
                        })
                        .sorted().toList();
            }
            for (Path f : files) {
                readFile(f, imported, skipped, versions);
            }
        } else {
            readFile(in, imported, skipped, versions);
        }
        if (imported.serviceCount() == 0) {
            throw new IllegalArgumentException("no AWS service reference data found in " + in
                    + (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")"));
        }

        CatalogData result;
        if (mergeWithBundled) {
            result = new CatalogData();
            CatalogData bundled = bundledData();
            result.services().putAll(bundled.services());
            for (Map.Entry<String, Map<String, CatalogData.Entry>> s : imported.services().entrySet()) {
                result.replaceService(s.getKey(), s.getValue());
            }
            String bundledSource = bundled.headers().getOrDefault(CatalogData.SOURCE, "bundled catalog");
            result.headers().put(CatalogData.SOURCE, "AWS service reference (" + imported.serviceCount()
                    + " services imported from " + in.toAbsolutePath().normalize() + ") over " + bundledSource);
        } else {
            result = imported;
            result.headers().put(CatalogData.SOURCE, "AWS service reference (imported from "
                    + in.toAbsolutePath().normalize() + ")");
        }
        result.headers().put(CatalogData.GENERATED, LocalDate.now(ZoneOffset.UTC).toString());
        if (!versions.isEmpty()) {
            result.headers().put("serviceReferenceVersions", String.join(",", versions));
        }
        write(result, out);
        return new ImportSummary(imported.serviceCount(), imported.actionCount(), result.serviceCount(),
                result.actionCount(), out, skipped);
    }

    private static CatalogData bundledData() throws IOException {
        try (InputStream s = Catalogs.class.getResourceAsStream(Catalogs.RESOURCE)) {
            if (s == null) {
                throw new IOException("bundled IAM action catalog " + Catalogs.RESOURCE + " is missing");
            }
            return CatalogData.read(s, Catalogs.RESOURCE);
        }
    }

    private static void write(CatalogData data, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = Files.createTempFile(parent, ".iam-catalog", ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp)) {
                data.write(os, "written by posture iam catalog import");
            }
            try {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void readFile(Path f, CatalogData into, List<String> skipped, TreeSet<String> versions)
            throws IOException {
        JsonNode root;
        try (InputStream raw = Files.newInputStream(f);
             InputStream s = f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                     ? new GZIPInputStream(raw) : raw) {
            root = JSON.readTree(s);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            skipped.add(f + ": not valid JSON (" + e.getOriginalMessage() + ")");
            return;
        }
        if (root == null) {
            skipped.add(f + ": empty");
            return;
        }
        if (root.isArray()) {
            int i = 0;
            for (JsonNode el : root) {
                readService(el, f + "[" + i + "]", into, skipped, versions);
                i++;
            }
        } else {
            readService(root, f.toString(), into, skipped, versions);
        }
    }

    private static void readService(JsonNode svc, String where, CatalogData into, List<String> skipped,
                                    TreeSet<String> versions) {
        if (svc == null || !svc.isObject()) {
            skipped.add(where + ": not a service object");
            return;
        }
        if (svc.has("service") && svc.has("url") && !svc.has("Actions")) {
            skipped.add(where + ": an index entry (service " + svc.get("service").asText()
                    + ", url only); download the per-service file to import it");
            return;
        }
        JsonNode name = svc.get("Name");
        JsonNode actions = svc.get("Actions");
        if (name == null || !name.isTextual() || name.asText().isBlank() || actions == null || !actions.isArray()) {
            skipped.add(where + ": not a service reference file (needs \"Name\" and \"Actions\")");
            return;
        }
        String prefix = name.asText().trim().toLowerCase(Locale.ROOT);
        if (prefix.indexOf(':') >= 0 || prefix.indexOf('\t') >= 0 || prefix.indexOf(' ') >= 0) {
            skipped.add(where + ": invalid service prefix '" + prefix + "'");
            return;
        }
        JsonNode version = svc.get("Version");
        if (version != null && version.isTextual()) {
            versions.add(prefix + "@" + version.asText());
        }
        Map<String, CatalogData.Entry> fresh = new TreeMap<>();
        CatalogData one = new CatalogData();
        int bad = 0;
        for (JsonNode a : actions) {
            JsonNode an = a == null ? null : a.get("Name");
            if (an == null || !an.isTextual() || an.asText().isBlank() || an.asText().matches(".*[\\s:*?].*")) {
                bad++;
                continue;
            }
            one.add(prefix, an.asText().trim(), levels(a.path("Annotations").path("Properties")));
        }
        if (bad > 0) {
            skipped.add(where + ": " + bad + " action(s) without a valid Name");
        }
        Map<String, CatalogData.Entry> got = one.services().get(prefix);
        if (got != null) {
            fresh.putAll(got);
        }
        // a prefix split over several files (or listed twice) is merged
        Map<String, CatalogData.Entry> existing = into.services().get(prefix);
        if (existing != null) {
            for (CatalogData.Entry e : fresh.values()) {
                into.add(prefix, e.name(), e.levels());
            }
        } else {
            into.replaceService(prefix, fresh);
        }
    }

    /** Access levels from the {@code Annotations.Properties} flags. */
    static EnumSet<AccessLevel> levels(JsonNode props) {
        EnumSet<AccessLevel> l = EnumSet.noneOf(AccessLevel.class);
        if (props.path("IsPermissionManagement").asBoolean(false)) {
            l.add(AccessLevel.PERMISSIONS_MANAGEMENT);
        }
        if (props.path("IsTaggingOnly").asBoolean(false)) {
            l.add(AccessLevel.TAGGING);
        }
        if (props.path("IsWrite").asBoolean(false)) {
            l.add(AccessLevel.WRITE);
        }
        if (props.path("IsList").asBoolean(false)) {
            l.add(AccessLevel.LIST);
        }
        if (l.isEmpty()) {
            l.add(AccessLevel.READ);
        }
        return l;
    }
}
