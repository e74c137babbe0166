package dev.posture.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.image.facts.DpkgQuery;
import dev.posture.image.facts.DpkgStatus;
import dev.posture.image.facts.OsRelease;
import dev.posture.image.facts.OsReleaseFile;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The BOM of a real Debian root file system against dpkg-query: one library component per installed package, with
 * dpkg's exact name and version, a valid CycloneDX 1.6 document. Runs on the host's root whenever it is a Debian
 * system, and on a {@code debootstrap --variant=minbase} root given with {@code -Dposture.debootstrap.dir=DIR}.
 */
class SbomOfDebianRootTest {

    @Test
    void hostRoot() throws Exception {
        check(Path.of("/"));
    }

    @Test
    void debootstrapRoot() throws Exception {
        String dir = System.getProperty("posture.debootstrap.dir");
        assumeTrue(dir != null && !dir.isBlank(), "-Dposture.debootstrap.dir=DIR not given");
        check(Path.of(dir));
    }

    private static void check(Path root) throws Exception {
        Path status = root.resolve("var/lib/dpkg/status");
        Path osRelease = root.resolve("etc/os-release");
        assumeTrue(Files.isRegularFile(status) && Files.isRegularFile(osRelease), "no dpkg database under " + root);
        OsRelease os = OsReleaseFile.parse(Files.readString(osRelease), "/etc/os-release");
        assumeTrue("debian".equals(os.id()), root + " is not Debian");
        List<String> installed = DpkgQuery.installed(root.resolve("var/lib/dpkg"));
        assumeTrue(installed != null, "dpkg-query not available");

        String json = CycloneDxSbom.toJson(CycloneDxSbom.build(TestImages.image(root.toString(), null, null, os,
                DpkgStatus.parse(Files.readString(status, StandardCharsets.UTF_8), "/var/lib/dpkg/status")),
                "test", java.time.Instant.now(), java.util.UUID.randomUUID()));
        assertThat(new JsonParser().validate(json.getBytes(StandardCharsets.UTF_8), Version.VERSION_16)).isEmpty();

        List<String> expected = new ArrayList<>();
        for (String row : installed) {
            String[] f = row.split("\t");
            expected.add(f[0] + " " + f[1] + " " + f[2]);
        }
        List<String> listed = new ArrayList<>();
        int epochs = 0;
        for (JsonNode c : new ObjectMapper().readTree(json).get("components")) {
            if (!c.get("type").asText().equals("library")) {
                continue;
            }
            String version = c.get("version").asText();
            String purl = c.get("purl").asText();
            String arch = purl.replaceAll(".*[?&]arch=([^&]*).*", "$1");
            listed.add(c.get("name").asText() + " " + version + " " + arch);
            assertThat(purl).startsWith("pkg:deb/debian/" + c.get("name").asText().replace("+", "%2B") + "@")
                    .contains("distro=debian-" + os.versionId());
            if (version.matches("\\d+:.*")) {
                epochs++;
                assertThat(purl).endsWith("&epoch=" + version.substring(0, version.indexOf(':')));
            } else {
                assertThat(purl).doesNotContain("epoch=");
            }
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
        System.out.printf("%s: %d library components (%d with an epoch), identical to dpkg-query; valid CycloneDX 1.6%n",
                root, listed.size(), epochs);
    }
}
