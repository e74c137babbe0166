package dev.posture.source;

import dev.posture.serverless.load.ServerlessLoaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InputCollectorTest {

    @Test
    void walksRecursivelySkippingVcsDependencyAndBuildFolders(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.createDirectories(dir.resolve(".git"));
        Files.createDirectories(dir.resolve("node_modules/x"));
        Files.createDirectories(dir.resolve("target"));
        Files.writeString(dir.resolve("a/b/p.json"), "{}");
        Files.writeString(dir.resolve("a/t.yaml"), "a: 1");
        Files.writeString(dir.resolve("a/readme.md"), "# no");
        Files.writeString(dir.resolve(".git/c.json"), "{}");
        Files.writeString(dir.resolve("node_modules/x/p.json"), "{}");
        Files.writeString(dir.resolve("target/p.json"), "{}");
        InputCollector.Collected c = new InputCollector().collect(List.of(dir.toString(), dir.resolve("nope").toString()));
        assertThat(c.files()).extracting(SourceFile::name)
                .containsExactly(dir + "/a/b/p.json", dir + "/a/t.yaml");
        assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p.error()).contains("no such file"));
    }

    @Test
    void namedFilesAreTakenWhateverTheirExtension(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("policy.txt");
        Files.writeString(policy, "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        InputCollector.Collected c = new InputCollector().collect(List.of(policy.toString()));
        assertThat(c.files()).singleElement().satisfies(f -> assertThat(f.explicit()).isTrue());
        Input in = ContentSniffer.sniff(c.files().get(0), null, ServerlessLoaders::detect);
        assertThat(in.kind()).isEqualTo(InputKind.IAM_POLICY);
    }

    @Test
    void recognisesKindsByContentThroughTheRecogniser() throws Exception {
        assertThat(kind("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n")).isEqualTo(InputKind.KUBERNETES);
        assertThat(kind("Transform: AWS::Serverless-2016-10-31\nResources: {}\n")).isEqualTo(InputKind.CLOUDFORMATION);
        assertThat(kind("{\"Resources\":{\"R\":{\"Type\":\"AWS::IAM::Role\"}}}")).isEqualTo(InputKind.CLOUDFORMATION);
        assertThat(kind("service: shop\nprovider:\n  name: aws\n")).isEqualTo(InputKind.SERVERLESS_FRAMEWORK);
        assertThat(kind("{\"format_version\":\"1.2\",\"planned_values\":{}}")).isEqualTo(InputKind.TERRAFORM_PLAN);
        assertThat(kind("{\"Policy\":\"{\\\"Statement\\\":[]}\",\"RevisionId\":\"x\"}")).isEqualTo(InputKind.IAM_POLICY);
        assertThat(kind("{\"RoleDetailList\":[]}")).isEqualTo(InputKind.IAM_AUTHORIZATION_DETAILS);
        assertThat(kind("just: yaml\n")).isEqualTo(InputKind.UNKNOWN);
    }

    @Test
    void tarballsAreRecognisedByMagicNotName(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("image.bin");
        Files.write(f, tarOf("manifest.json"));
        assertThat(ContentSniffer.sniff(new SourceFile("image.bin", f, true), null, d -> java.util.Optional.empty()).kind())
                .isEqualTo(InputKind.IMAGE_ARCHIVE);
        Path oci = dir.resolve("oci.tar");
        Files.write(oci, tarOf("./oci-layout"));
        assertThat(ContentSniffer.sniff(new SourceFile("oci.tar", oci, true), null, d -> java.util.Optional.empty()).kind())
                .isEqualTo(InputKind.IMAGE_ARCHIVE);
    }

    @Test
    void aTarThatIsNoImageIsUnrecognisedNotAFailedImage(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("vendor.tar");
        Files.write(f, tarOf("src/main.c"));
        Input in = ContentSniffer.sniff(new SourceFile("vendor.tar", f, true), null, d -> java.util.Optional.empty());
        assertThat(in.kind()).isEqualTo(InputKind.UNKNOWN);
        assertThat(in.unrecognisedReason()).contains("not a container image");
        Path gz = dir.resolve("vendor.tar.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(tarOf("README"));
        }
        assertThat(ContentSniffer.sniff(new SourceFile("vendor.tar.gz", gz, true), null,
                d -> java.util.Optional.empty()).kind()).isEqualTo(InputKind.UNKNOWN);
    }

    /** A tar of one empty file named {@code name}, written by commons-compress. */
    private static byte[] tarOf(String name) throws java.io.IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
                     new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(buf)) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e =
                    new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
            e.setSize(0);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        }
        return buf.toByteArray();
    }

    private static InputKind kind(String text) throws Exception {
        return ContentSniffer.sniff(new SourceFile("-", null, true),
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ServerlessLoaders::detect).kind();
    }

    @Test
    void anOciLayoutDirectoryIsOneImageInputNamedOrWalked(@TempDir Path dir) throws Exception {
        Path layout = dir.resolve("images/app");
        Files.createDirectories(layout.resolve("blobs/sha256"));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
        Files.writeString(layout.resolve("blobs/sha256/config.json"), "{\"Statement\":[]}");
        Files.writeString(dir.resolve("pod.yaml"), "apiVersion: v1\nkind: Pod\n");
        Files.createSymbolicLink(dir.resolve("again"), layout);

        InputCollector.Collected walked = new InputCollector().collect(List.of(dir.toString()));
        // neither index.json nor the blobs are inputs of their own; the link to the layout is the same image
        assertThat(walked.files()).extracting(SourceFile::name).containsExactly(dir + "/again", dir + "/pod.yaml");
        assertThat(walked.skipped()).extracting(InputCollector.Problem::name).containsExactly(dir + "/images/app");
        Input in = ContentSniffer.sniff(walked.files().get(0), null, d -> java.util.Optional.empty());
        assertThat(in.kind()).isEqualTo(InputKind.IMAGE_ARCHIVE);
        assertThat(in.documents()).isEmpty();

        InputCollector.Collected named = new InputCollector().collect(List.of(layout.toString()));
        assertThat(named.files()).singleElement().satisfies(f -> {
            assertThat(f.explicit()).isTrue();
            assertThat(f.path()).isEqualTo(layout);
        });
        assertThat(ContentSniffer.sniff(named.files().get(0), null, d -> java.util.Optional.empty()).kind())
                .isEqualTo(InputKind.IMAGE_ARCHIVE);
        // a directory without oci-layout is still walked
        Files.delete(layout.resolve("oci-layout"));
        assertThat(new InputCollector().collect(List.of(dir.toString())).files()).extracting(SourceFile::name)
                .anySatisfy(n -> assertThat(n).endsWith("/index.json"));
    }
}
