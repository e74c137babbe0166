package dev.posture.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.image.facts.ImageFacts;
import dev.posture.image.facts.OsPackage;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static dev.posture.sbom.TestImages.ALPINE;
import static org.assertj.core.api.Assertions.assertThat;

class CycloneDxSbomTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
    static final UUID SERIAL = UUID.fromString("3e671687-395b-41f5-a30f-a58921a69b79");

    static String json(ImageFacts f) {
        return CycloneDxSbom.toJson(CycloneDxSbom.build(f, "0.1.0-test", NOW, SERIAL));
    }

    /** The library's own validator, against the CycloneDX 1.6 JSON schema; the file is what the CLI writes. */
    static List<String> validate(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        for (ParseException e : new JsonParser().validate(file.toFile(), Version.VERSION_16)) {
            out.add(e.getMessage());
        }
        return out;
    }

    @Test
    void debianBomIsValidCycloneDx16(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bom.json");
        Files.writeString(file, json(TestImages.debian()), StandardCharsets.UTF_8);
        assertThat(validate(file)).isEmpty();

        JsonNode bom = JSON.readTree(file.toFile());
        assertThat(bom.get("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.get("specVersion").asText()).isEqualTo("1.6");
        assertThat(bom.get("serialNumber").asText()).isEqualTo("urn:uuid:" + SERIAL);
        assertThat(bom.at("/metadata/timestamp").asText()).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(bom.at("/metadata/tools/components/0/name").asText()).isEqualTo("posture");
        assertThat(bom.at("/metadata/tools/components/0/version").asText()).isEqualTo("0.1.0-test");
        JsonNode image = bom.at("/metadata/component");
        assertThat(image.get("type").asText()).isEqualTo("container");
        assertThat(image.get("name").asText()).isEqualTo("localhost:5000/shop/storefront:1.0");
        assertThat(image.get("version").asText()).isEqualTo(TestImages.CONFIG);
        assertThat(image.get("purl").asText()).startsWith("pkg:oci/storefront@sha256%3A7d6f5e4d");
    }

    @Test
    void oneLibraryPerPackageWithExactNameVersionAndPurl() throws Exception {
        JsonNode bom = JSON.readTree(json(TestImages.debian()));
        JsonNode components = bom.get("components");
        JsonNode os = components.get(0);
        assertThat(os.get("type").asText()).isEqualTo("operating-system");
        assertThat(os.get("name").asText()).isEqualTo("debian");
        assertThat(os.get("version").asText()).isEqualTo("12");
        assertThat(os.get("description").asText()).isEqualTo("Debian GNU/Linux 12 (bookworm)");

        List<String> rows = new ArrayList<>();
        Set<String> refs = new HashSet<>();
        for (int i = 1; i < components.size(); i++) {
            JsonNode c = components.get(i);
            assertThat(c.get("type").asText()).isEqualTo("library");
            assertThat(refs.add(c.get("bom-ref").asText())).as("unique bom-ref").isTrue();
            rows.add(c.get("name").asText() + " " + c.get("version").asText() + " " + c.get("purl").asText());
        }
        // the duplicate tzdata (status and status.d) is one component
        assertThat(rows).containsExactly(
                "base-files 12.4+deb12u5 pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12",
                // the version keeps the epoch; the purl carries it as a qualifier
                "login 1:4.13+dfsg1-1+b1 pkg:deb/debian/login@4.13%2Bdfsg1-1%2Bb1?arch=amd64&distro=debian-12&epoch=1",
                "libc6 2.36-9+deb12u7 pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12",
                "libc6 2.36-9+deb12u7 pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=i386&distro=debian-12",
                "libssl3 3.0.11-1~deb12u2 pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
                "libstdc++6 12.2.0-14 pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&distro=debian-12",
                "tzdata 2024a-0+deb12u1 pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12",
                "perl-base 5.36.0-7+deb12u1 pkg:deb/debian/perl-base@5.36.0-7%2Bdeb12u1?arch=amd64&distro=debian-12");

        JsonNode login = components.get(2);
        assertThat(property(login, CycloneDxSbom.SOURCE)).isEqualTo("shadow 1:4.13+dfsg1-1");
        assertThat(property(login, CycloneDxSbom.PACKAGE_MANAGER)).isEqualTo("dpkg");
        assertThat(property(login, CycloneDxSbom.DATABASE)).isEqualTo("/var/lib/dpkg/status");

        // image → os → packages
        JsonNode deps = bom.get("dependencies");
        assertThat(deps.get(0).get("ref").asText()).isEqualTo(bom.at("/metadata/component/bom-ref").asText());
        assertThat(deps.get(0).at("/dependsOn/0").asText()).isEqualTo("os:debian@12");
        assertThat(deps.get(1).get("ref").asText()).isEqualTo("os:debian@12");
        assertThat(deps.get(1).get("dependsOn")).hasSize(8);
    }

    @Test
    void alpineImageFromALegacyArchive(@TempDir Path dir) throws Exception {
        List<OsPackage> pkgs = List.of(
                new OsPackage("apk", "musl", "1.2.5-r0", "x86_64", "musl", "1.2.5-r0", "/lib/apk/db/installed"),
                new OsPackage("apk", "ssl_client", "1.36.1-r29", "x86_64", "busybox", "1.36.1-r29",
                        "/lib/apk/db/installed"));
        ImageFacts f = TestImages.image("alpine.tar", null, null, ALPINE, pkgs);
        Path file = dir.resolve("bom.json");
        Files.writeString(file, json(f));
        assertThat(validate(file)).isEmpty();
        JsonNode bom = JSON.readTree(file.toFile());
        // no reference, no manifest digest: named as given, no purl, still a unique ref
        assertThat(bom.at("/metadata/component/name").asText()).isEqualTo("alpine.tar");
        assertThat(bom.at("/metadata/component/purl").isMissingNode()).isTrue();
        assertThat(bom.at("/metadata/component/bom-ref").asText()).isEqualTo("image:" + TestImages.CONFIG);
        assertThat(bom.at("/components/1/purl").asText())
                .isEqualTo("pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.1");
        assertThat(property(bom.at("/components/2"), CycloneDxSbom.SOURCE)).isEqualTo("busybox 1.36.1-r29");
    }

    @Test
    void noOsReleaseAndNoPackagesIsStillValid(@TempDir Path dir) throws Exception {
        ImageFacts scratch = TestImages.image("scratch.tar", null, null, null, List.of());
        Path file = dir.resolve("bom.json");
        Files.writeString(file, json(scratch));
        assertThat(validate(file)).isEmpty();
        JsonNode bom = JSON.readTree(file.toFile());
        assertThat(bom.path("components").size()).isZero();

        // packages without an os-release, and one of a manager without a purl type
        ImageFacts bare = TestImages.image("bare.tar", null, null, null, List.of(
                TestImages.deb("bash", "5.2.15-2+b2", "amd64", "bash", "5.2.15-2+b2"),
                new OsPackage("pacman", "glibc", "2.39-1", "x86_64", "glibc", "2.39-1", "/var/lib/pacman/local")));
        Files.writeString(file, json(bare));
        assertThat(validate(file)).isEmpty();
        bom = JSON.readTree(file.toFile());
        assertThat(bom.at("/components/0/purl").asText()).isEqualTo("pkg:deb/bash@5.2.15-2%2Bb2?arch=amd64");
        assertThat(bom.at("/components/1/purl").isMissingNode()).isTrue();
        assertThat(bom.at("/components/1/bom-ref").asText()).isEqualTo("pacman:glibc@2.39-1?arch=x86_64");
        assertThat(bom.at("/dependencies/0/dependsOn")).hasSize(2);
    }

    @Test
    void imageNamedAsPeopleWriteIt() {
        assertThat(CycloneDxSbom.displayName(dev.posture.image.source.ImageReference.parse("alpine:3.20")))
                .isEqualTo("alpine:3.20");
        assertThat(CycloneDxSbom.displayName(dev.posture.image.source.ImageReference.parse("docker.io/bitnami/redis")))
                .isEqualTo("bitnami/redis");
        assertThat(CycloneDxSbom.displayName(dev.posture.image.source.ImageReference.parse("ghcr.io/a/b@sha256:"
                + "0".repeat(64)))).isEqualTo("ghcr.io/a/b@sha256:" + "0".repeat(64));
    }

    @Test
    void theValidatorDoesRejectABrokenBom(@TempDir Path dir) throws Exception {
        // a validator that accepts everything would prove nothing
        ObjectNode bom = (ObjectNode) JSON.readTree(json(TestImages.debian()));
        ((ObjectNode) bom.get("components").get(1)).put("type", "no-such-type");
        Path file = dir.resolve("broken.json");
        JSON.writeValue(file.toFile(), bom);
        assertThat(validate(file)).isNotEmpty();
    }

    private static String property(JsonNode component, String name) {
        for (JsonNode p : component.path("properties")) {
            if (p.get("name").asText().equals(name)) {
                return p.get("value").asText();
            }
        }
        return null;
    }
}
