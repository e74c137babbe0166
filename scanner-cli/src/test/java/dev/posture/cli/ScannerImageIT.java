package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scanner's own image, built by jib-maven-plugin at package time ({@code target/jib-image.tar}, on the local
 * test base {@code fixtures/images/posture-base.tar}: no registry is reachable here, and no container can be
 * started). Posture scans it with its own image analyzer, and the image's entry point — its classpath taken out of
 * the image's layers — runs the demo scan with the local JVM.
 */
class ScannerImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path IMAGE = Path.of("target/jib-image.tar");

    @Test
    void theScannerImageIsCleanAndNonRoot() throws IOException {
        assumeTrue(Files.isRegularFile(IMAGE), "the image is built at package time (not with -Djib.skip)");
        Cli r = Cli.run("scan", IMAGE.toString(), "-f", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("not verified");
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.at("/targets/0/status").asText()).isEqualTo("scanned");
        List<String> rules = new ArrayList<>();
        report.get("findings").forEach(f -> rules.add(f.get("ruleId").asText()));
        // a batch CLI has nothing to health-check; everything else must be clean
        assertThat(rules).containsOnly("img-no-healthcheck");
    }

    /**
     * Published as a release would be (to a registry: here a real {@code docker-registry} on loopback, pushed by
     * skopeo), the image scans through the registry source exactly as from its archive.
     */
    @Test
    void pushedToALoopbackRegistryItScansAsFromItsArchive(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isRegularFile(IMAGE), "the image is built at package time (not with -Djib.skip)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo is not installed");
        assumeTrue(Files.isExecutable(dev.posture.image.testing.LocalRegistry.BINARY), "docker-registry is not installed");
        try (var registry = dev.posture.image.testing.LocalRegistry.start()) {
            String ref = registry.address() + "/posture:it";
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/skopeo", "--insecure-policy", "copy",
                    "--dest-tls-verify=false", "docker-archive:" + IMAGE.toAbsolutePath(), "docker://" + ref)
                    .redirectErrorStream(true);
            pb.environment().put("TMPDIR", Files.createDirectories(tmp.resolve("skopeo")).toString());
            pb.environment().put("REGISTRY_AUTH_FILE", tmp.resolve("auth.json").toString());
            Process p = pb.start();
            String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(log).isZero();

            Cli fromRegistry = Cli.run("scan", "--image", ref, "-f", "json");
            assertThat(fromRegistry.exit()).as(fromRegistry.err()).isZero();
            JsonNode report = JSON.readTree(fromRegistry.out());
            assertThat(report.at("/targets/0/status").asText()).isEqualTo("scanned");
            assertThat(report.at("/targets/0/source").asText()).isEqualTo("registry");
            List<String> rules = new ArrayList<>();
            report.get("findings").forEach(f -> rules.add(f.get("ruleId").asText()));
            assertThat(rules).containsOnly("img-no-healthcheck");
        }
    }

    @Test
    void itsEntryPointRunsTheDemoScan(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isRegularFile(IMAGE), "the image is built at package time (not with -Djib.skip)");
        JsonNode manifest = null;
        JsonNode config = null;
        List<String> layers = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(IMAGE))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.getName().equals("manifest.json")) {
                    manifest = JSON.readTree(tar.readAllBytes());
                } else if (e.getName().equals("config.json")) {
                    config = JSON.readTree(tar.readAllBytes());
                } else if (e.getName().endsWith(".tar.gz")) {
                    Path layer = tmp.resolve(e.getName());
                    Files.copy(tar, layer);
                    layers.add(e.getName());
                }
            }
        }
        assertThat(manifest).isNotNull();
        assertThat(config.at("/config/User").asText()).isEqualTo("65532:65532");
        JsonNode entrypoint = config.at("/config/Entrypoint");
        assertThat(entrypoint.get(0).asText()).isEqualTo("java");

        Path root = tmp.resolve("rootfs");
        for (JsonNode l : manifest.get(0).get("Layers")) {
            extractApp(tmp.resolve(l.asText()), root);
        }
        // Jib's entry point: java <jvm flags> -cp @/app/jib-classpath-file <main class>
        String classpath = Files.readString(root.resolve("app/jib-classpath-file")).strip();
        String mainClass = Files.readString(root.resolve("app/jib-main-class-file")).strip();
        assertThat(mainClass).isEqualTo("dev.posture.cli.Main");
        // the launcher scripts call: the same classpath and main class as the entry point
        assertThat(Files.readString(root.resolve("usr/local/bin/posture")))
                .contains("-cp @/app/jib-classpath-file dev.posture.cli.Main");
        StringBuilder cp = new StringBuilder();
        for (String part : classpath.split(":")) {
            cp.append(cp.length() == 0 ? "" : ":").append(root).append(part);
        }
        Path demo = Path.of(System.getProperty("posture.root", "..")).resolve("fixtures/demo").toAbsolutePath();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", cp.toString(), mainClass, "scan", demo.toString(),
                "-f", "json").redirectError(tmp.resolve("err.txt").toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("err.txt"))).isZero();
        JsonNode report = JSON.readTree(out);
        assertThat(report.at("/summary/serverless/critical").asInt()).isPositive();
        assertThat(report.at("/summary/container/critical").asInt()).isPositive();
    }

    /** Extracts the layer's {@code app/} entries (Jib puts the application there) under {@code root}. */
    private static void extractApp(Path layer, Path root) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(layer));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (name.startsWith("/")) {
                    name = name.substring(1);
                }
                if (!(name.startsWith("app/") || name.equals("usr/local/bin/posture")) || name.contains("..")) {
                    continue;
                }
                Path target = root.resolve(name);
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                }
            }
        }
    }
}
