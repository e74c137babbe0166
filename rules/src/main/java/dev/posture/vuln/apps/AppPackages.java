package dev.posture.vuln.apps;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads application dependencies from the files that record them: Maven's {@code pom.properties} inside jars
 * (nested jars too: Spring Boot's {@code BOOT-INF/lib}, WARs), npm's {@code package-lock.json} (lockfile v1, v2, v3)
 * and {@code node_modules/…/package.json}, Python's {@code *.dist-info/METADATA} and {@code *.egg-info/PKG-INFO}.
 * Everything is streamed; archives nest at most {@link #MAX_DEPTH} deep and entries are bounded. A file that cannot
 * be read is warned about by path; the others go on.
 */
public final class AppPackages {
    /** Jars inside jars inside jars at most. */
    static final int MAX_DEPTH = 3;
    /** A nested archive or a metadata file larger than this is skipped (with a warning). */
    static final long MAX_ENTRY_BYTES = 256L * 1024 * 1024;
    static final long MAX_METADATA_BYTES = 8L * 1024 * 1024;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private AppPackages() {
    }

    /** Whether a file of this path is one {@link #read} understands. */
    public static boolean interesting(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".jar") || p.endsWith(".war") || p.endsWith(".ear")
                || p.endsWith("/package-lock.json") || p.equals("package-lock.json")
                || p.endsWith("/package.json") && p.contains("node_modules/")
                || p.endsWith(".dist-info/metadata") || p.endsWith(".egg-info/pkg-info");
    }

    /** Reads one file; {@code path} says what it is. */
    public static List<AppPackage> read(String path, InputStream in, Consumer<String> warn) {
        List<AppPackage> out = new ArrayList<>();
        String p = path.toLowerCase(Locale.ROOT);
        try {
            if (p.endsWith(".jar") || p.endsWith(".war") || p.endsWith(".ear")) {
                jar(path, in, 0, out, warn);
            } else if (p.endsWith("package-lock.json")) {
                packageLock(path, bounded(in), out);
            } else if (p.endsWith("package.json")) {
                packageJson(path, bounded(in), out);
            } else if (p.endsWith("metadata") || p.endsWith("pkg-info")) {
                pythonMetadata(path, bounded(in), out);
            }
        } catch (IOException | RuntimeException e) {
            warn.accept(path + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage()))
                    + "; its packages were not read");
        }
        return out;
    }

    private static void jar(String path, InputStream in, int depth, List<AppPackage> out, Consumer<String> warn)
            throws IOException {
        ZipInputStream z = new ZipInputStream(in);
        ZipEntry e;
        while ((e = z.getNextEntry()) != null) {
            String name = e.getName();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("meta-inf/maven/") && lower.endsWith("/pom.properties")) {
                Properties props = new Properties();
                props.load(new StringReader(new String(readBounded(z, MAX_METADATA_BYTES), StandardCharsets.UTF_8)));
                String g = props.getProperty("groupId");
                String a = props.getProperty("artifactId");
                String v = props.getProperty("version");
                if (g != null && a != null && v != null && !v.isBlank()) {
                    out.add(new AppPackage("Maven", g.strip() + ":" + a.strip(), v.strip(), path));
                }
            } else if (lower.endsWith(".jar") || lower.endsWith(".war")) {
                String inner = path + "!/" + name;
                if (depth + 1 >= MAX_DEPTH) {
                    warn.accept(inner + ": archives nested more than " + MAX_DEPTH + " deep are not read");
                    continue;
                }
                try {
                    jar(inner, new ByteArrayInputStream(readBounded(z, MAX_ENTRY_BYTES)), depth + 1, out, warn);
                } catch (IOException ex) {
                    warn.accept(inner + ": " + firstLine(String.valueOf(ex.getMessage())) + "; its packages were not read");
                }
            }
        }
    }

    /**
     * Lockfile v2/v3: {@code packages} keyed by install path ({@code node_modules/a/node_modules/@s/b}; the root
     * package "" is the project itself and skipped, links are skipped); v1: the nested {@code dependencies} tree.
     */
    static void packageLock(String path, byte[] bytes, List<AppPackage> out) throws IOException {
        JsonNode root = JSON.readTree(bytes);
        JsonNode packages = root.path("packages");
        if (packages.isObject() && packages.size() > 0) {
            for (Iterator<Map.Entry<String, JsonNode>> it = packages.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String key = f.getKey();
                JsonNode p = f.getValue();
                if (key.isEmpty() || p.path("link").asBoolean(false)) {
                    continue;
                }
                int at = key.lastIndexOf("node_modules/");
                String name = p.hasNonNull("name") ? p.get("name").asText()
                        : at >= 0 ? key.substring(at + "node_modules/".length()) : null;
                String version = p.path("version").asText(null);
                if (name != null && version != null && !version.isBlank()) {
                    out.add(new AppPackage("npm", name, version, path));
                }
            }
            return;
        }
        dependenciesV1(root.path("dependencies"), path, out, 0);
    }

    private static void dependenciesV1(JsonNode deps, String path, List<AppPackage> out, int depth) {
        if (!deps.isObject() || depth > 64) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String version = f.getValue().path("version").asText(null);
            if (version != null && !version.isBlank() && !version.startsWith("file:")) {
                out.add(new AppPackage("npm", f.getKey(), version, path));
            }
            dependenciesV1(f.getValue().path("dependencies"), path, out, depth + 1);
        }
    }

    static void packageJson(String path, byte[] bytes, List<AppPackage> out) throws IOException {
        JsonNode root = JSON.readTree(bytes);
        String name = root.path("name").asText(null);
        String version = root.path("version").asText(null);
        if (name != null && version != null && !name.isBlank() && !version.isBlank()) {
            out.add(new AppPackage("npm", name, version, path));
        }
    }

    /** Core metadata: the {@code Name:} and {@code Version:} headers before the first blank line. */
    static void pythonMetadata(String path, byte[] bytes, List<AppPackage> out) {
        String name = null;
        String version = null;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, "Name:", 0, 5)) {
                name = line.substring(5).strip();
            } else if (line.regionMatches(true, 0, "Version:", 0, 8)) {
                version = line.substring(8).strip();
            }
        }
        if (name != null && version != null && !name.isEmpty() && !version.isEmpty()) {
            out.add(new AppPackage("PyPI", normalisePython(name), version, path));
        }
    }

    /** PEP 503 normalisation, as OSV's PyPI names are. */
    static String normalisePython(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    private static byte[] bounded(InputStream in) throws IOException {
        return readBounded(in, MAX_METADATA_BYTES);
    }

    private static byte[] readBounded(InputStream in, long max) throws IOException {
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (b.length > max) {
            throw new IOException("larger than " + max + " bytes");
        }
        return b;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
