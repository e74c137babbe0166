package dev.posture.vuln.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * {@code posture db update}: fetches OSV's per-ecosystem exports ({@code <source>/<Ecosystem>/all.zip}) into
 * {@code <dir>/<Ecosystem>/all.zip}. Each download goes to a temporary file beside the target, is checked as a
 * whole zip (every entry read, so CRCs are verified) and only then moved into place: an interrupted or corrupt
 * download never replaces a good database. {@code <dir>/posture-db.json} records the source, the time, and per
 * ecosystem the size, SHA-256 and record count.
 */
public final class OsvDownloader {
    /** OSV's public export bucket. */
    public static final String DEFAULT_SOURCE = "https://osv-vulnerabilities.storage.googleapis.com";
    /** The metadata file in the database directory. */
    public static final String METADATA = "posture-db.json";
    /** An export larger than this is refused (the largest, Debian's, is a few hundred MB). */
    static final long MAX_BYTES = 4L * 1024 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Called as bytes arrive; {@code total} is -1 when the server did not say. */
    @FunctionalInterface
    public interface Progress {
        void update(String ecosystem, long bytes, long total);
    }

    /** One ecosystem fetched. */
    public record Result(String ecosystem, long bytes, String sha256, int records, Path zip) {
    }

    private final HttpClient client;
    private final Duration timeout;

    public OsvDownloader(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** The default database directory: {@code $XDG_CACHE_HOME/posture/osv}, else {@code ~/.cache/posture/osv}. */
    public static Path defaultDir(java.util.Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("posture").resolve("osv");
    }

    /** {@code <source>/<Ecosystem>/all.zip} with the ecosystem's name percent-encoded as a path segment. */
    public static URI exportUri(String source, String ecosystem) {
        String base = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        StringBuilder seg = new StringBuilder();
        for (byte b : ecosystem.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~".indexOf(c) >= 0) {
                seg.append((char) c);
            } else {
                seg.append('%').append(String.format("%02X", c));
            }
        }
        return URI.create(base + "/" + seg + "/all.zip");
    }

    /**
     * Downloads one ecosystem into {@code dir}.
     *
     * @throws IOException naming the URL and what went wrong; the previous database (if any) is untouched
     */
    public Result download(String source, String ecosystem, Path dir, Progress progress) throws IOException {
        URI uri = exportUri(source, ecosystem);
        Path target = dir.resolve(ecosystem).resolve("all.zip");
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "all.zip.", ".part");
        try {
            HttpResponse<InputStream> r;
            try {
                r = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(uri + ": interrupted");
            } catch (IOException e) {
                throw new IOException(uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
            }
            long total = r.headers().firstValueAsLong("content-length").orElse(-1);
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            long bytes = 0;
            try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(tmp)) {
                if (r.statusCode() != 200) {
                    throw new IOException(uri + ": HTTP " + r.statusCode());
                }
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    bytes += n;
                    if (bytes > MAX_BYTES) {
                        throw new IOException(uri + ": larger than " + MAX_BYTES + " bytes");
                    }
                    sha.update(buf, 0, n);
                    out.write(buf, 0, n);
                    progress.update(ecosystem, bytes, total);
                }
            }
            if (total >= 0 && bytes != total) {
                throw new IOException(uri + ": truncated (" + bytes + " of " + total + " bytes)");
            }
            int records = verify(tmp, uri);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Result(ecosystem, bytes, HexFormat.of().formatHex(sha.digest()), records, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads every entry (the JDK checks each CRC); returns the number of JSON records. */
    static int verify(Path zip, URI from) throws IOException {
        int records = 0;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> en = z.entries();
            byte[] buf = new byte[64 * 1024];
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                try (InputStream in = z.getInputStream(e)) {
                    while (in.read(buf) > 0) {
                        // reading to the end verifies the entry's CRC
                    }
                }
                if (!e.isDirectory() && e.getName().endsWith(".json")) {
                    records++;
                }
            }
        } catch (ZipException e) {
            throw new IOException(from + ": not a valid zip (" + e.getMessage() + ")", e);
        }
        return records;
    }

    /** Records one update in {@code <dir>/posture-db.json}, keeping the other ecosystems' entries. */
    public static void writeMetadata(Path dir, String source, Result r, Instant when) throws IOException {
        Path file = dir.resolve(METADATA);
        ObjectNode root = Files.isRegularFile(file) && JSON.readTree(file.toFile()) instanceof ObjectNode o
                ? o : JSON.createObjectNode();
        root.put("format", 1);
        ObjectNode all = root.get("ecosystems") instanceof ObjectNode o ? o : root.putObject("ecosystems");
        ObjectNode eco = all.putObject(r.ecosystem());
        eco.put("source", source);
        eco.put("url", exportUri(source, r.ecosystem()).toString());
        eco.put("updatedAt", when.toString());
        eco.put("bytes", r.bytes());
        eco.put("sha256", r.sha256());
        eco.put("records", r.records());
        root.put("updatedAt", when.toString());
        Path tmp = Files.createTempFile(dir, METADATA, ".part");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
