package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code posture db update} against a loopback HTTP server laid out as OSV's export bucket (hand-written records;
 * no test reaches the internet).
 */
class DbUpdateTest {
    static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> status = new ConcurrentHashMap<>();
    private String base;

    static byte[] zip(Map<String, String> entries) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    static String record(String id, String eco, String name) {
        return """
                {"id": "%s", "affected": [{"package": {"ecosystem": "%s", "name": "%s"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]}
                """.formatted(id, eco, name);
    }

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            String path = x.getRequestURI().getRawPath();
            byte[] body = files.get(path);
            int code = status.getOrDefault(path, body == null ? 404 : 200);
            byte[] out = body == null ? "not found".getBytes(StandardCharsets.UTF_8) : body;
            x.sendResponseHeaders(code, out.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/osv";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void downloadsVerifiesAndRecordsEachEcosystem(@TempDir Path dir) throws Exception {
        byte[] debian = zip(Map.of("DSA-1.json", record("DSA-1", "Debian:12", "openssl"),
                "DSA-2.json", record("DSA-2", "Debian:12", "zlib")));
        files.put("/osv/Debian/all.zip", debian);
        files.put("/osv/Rocky%20Linux/all.zip", zip(Map.of("RLSA-1.json", record("RLSA-1", "Rocky Linux:9", "bash"))));
        Cli r = Cli.run("db", "update", "--source", base, "--ecosystem", "Debian", "--ecosystem", "Rocky Linux",
                "--db-dir", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("Debian: 2 records", "Rocky Linux: 1 records", "2 of 2 ecosystem(s) updated");
        assertThat(Files.readAllBytes(dir.resolve("Debian/all.zip"))).isEqualTo(debian);
        JsonNode meta = JSON.readTree(dir.resolve("posture-db.json").toFile());
        assertThat(meta.at("/ecosystems/Debian/records").asInt()).isEqualTo(2);
        assertThat(meta.at("/ecosystems/Debian/sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(debian)));
        assertThat(meta.at("/ecosystems/Debian/source").asText()).isEqualTo(base);
        assertThat(meta.at("/ecosystems/Rocky Linux/url").asText()).endsWith("/osv/Rocky%20Linux/all.zip");
        try (var s = Files.list(dir.resolve("Debian"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("all.zip"); // no temp left
        }
    }

    @Test
    void aCorruptOrMissingExportNeverReplacesTheDatabaseAndTheOthersStillUpdate(@TempDir Path dir) throws Exception {
        byte[] good = zip(Map.of("A.json", record("A", "npm", "x")));
        files.put("/osv/npm/all.zip", good);
        files.put("/osv/PyPI/all.zip", zip(Map.of("P.json", record("P", "PyPI", "y"))));
        assertThat(Cli.run("db", "update", "-q", "--source", base, "--ecosystem", "npm", "--ecosystem", "PyPI",
                "--db-dir", dir.toString()).exit()).isZero();

        byte[] corrupt = good.clone();
        corrupt[40] ^= 0x55; // inside the first entry's data: its CRC no longer matches
        files.put("/osv/npm/all.zip", corrupt);
        status.put("/osv/PyPI/all.zip", 503);
        byte[] maven = zip(Map.of("M.json", record("M", "Maven", "g:a")));
        files.put("/osv/Maven/all.zip", maven);
        Cli r = Cli.run("db", "update", "--source", base, "--ecosystem", "npm", "--ecosystem", "PyPI",
                "--ecosystem", "Maven", "--ecosystem", "Nope", "--db-dir", dir.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(r.err()).contains("npm: not updated", "PyPI: not updated", "HTTP 503", "Nope: not updated",
                "HTTP 404", "1 of 4 ecosystem(s) updated");
        assertThat(Files.readAllBytes(dir.resolve("npm/all.zip"))).isEqualTo(good);
        assertThat(Files.readAllBytes(dir.resolve("Maven/all.zip"))).isEqualTo(maven);
        assertThat(Files.exists(dir.resolve("Nope/all.zip"))).isFalse();
        for (String eco : List.of("npm", "PyPI", "Maven")) {
            try (var s = Files.list(dir.resolve(eco))) {
                assertThat(s.map(p -> p.getFileName().toString()).toList()).as(eco).containsExactly("all.zip");
            }
        }
    }

    @Test
    void usageErrors(@TempDir Path dir) {
        assertThat(Cli.run("db", "update", "--source", "ftp://x/osv", "--db-dir", dir.toString()).exit())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("db", "update", "--source", base, "--ecosystem", "../etc", "--db-dir", dir.toString()).exit())
                .isEqualTo(ExitCodes.USAGE);
    }
}
