package dev.posture.rego.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.posture.rego.RegoVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceRunnerTest {
    private static final String V0_ONLY = """
            cases:
              - note: legacy rule syntax
                query: data.t.p = x
                modules:
                  - |
                    package t
                    p { true }
                want_result:
                  - x: true
            """;

    @Test
    void versionFollowsTheFolder() {
        assertThat(ConformanceRunner.versionOf(Path.of("v0/every/a.yaml"))).isEqualTo(RegoVersion.V0);
        assertThat(ConformanceRunner.versionOf(Path.of("every-v0/a.yaml"))).isEqualTo(RegoVersion.V0);
        assertThat(ConformanceRunner.versionOf(Path.of("testdata/v1/sets/a.yaml"))).isEqualTo(RegoVersion.V1);
        assertThat(ConformanceRunner.versionOf(Path.of("sets/a.yaml"))).isEqualTo(RegoVersion.AUTO);
        assertThat(ConformanceRunner.versionOf(Path.of("a.yaml"))).isEqualTo(RegoVersion.AUTO);
    }

    @Test
    void v0FolderParsesV0AndV1FolderDoesNotFallBack(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("v0/legacy"));
        Files.createDirectories(dir.resolve("v1/legacy"));
        Files.writeString(dir.resolve("v0/legacy/a.yaml"), V0_ONLY);
        Files.writeString(dir.resolve("v1/legacy/a.yaml"), V0_ONLY);
        ConformanceReport r = ConformanceRunner.run(dir);
        assertThat(r.passed()).isEqualTo(1);
        assertThat(r.failures()).singleElement().satisfies(f -> {
            assertThat(f.file()).startsWith("v1");
            assertThat(f.reason()).contains("rego_parse_error");
        });
    }

    @Test
    void runStartedInsideAV0FolderStillParsesV0(@TempDir Path dir) throws Exception {
        Path v0 = dir.resolve("testdata/v0");
        Files.createDirectories(v0.resolve("legacy"));
        Files.writeString(v0.resolve("legacy/a.yaml"), V0_ONLY);
        assertThat(ConformanceRunner.run(v0).passed()).isEqualTo(1);
        assertThat(ConformanceRunner.versionOf(Path.of("/x/v1/cases/v0/y/a.yaml"))).isEqualTo(RegoVersion.V0);
    }

    @Test
    void skipWantDefinedAndGeneratedVars(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("c.yaml"), """
                cases:
                  - note: skipped, would fail
                    skip: true
                    query: x = 1
                    want_result: [{x: 2}]
                  - note: defined
                    query: data.t.p
                    modules: ["package t\\np := 1"]
                    want_defined: true
                  - note: not defined, but wanted
                    query: data.t.q
                    modules: ["package t\\np := 1"]
                    want_defined: true
                  - note: generated var dropped
                    query: __tmp__ = 3; y = __tmp__
                    ignore_generated_vars: true
                    want_result: [{y: 3}]
                  - note: nothing to check
                    query: x = 1
                """);
        ConformanceReport r = ConformanceRunner.run(dir);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.passed()).isEqualTo(2);
        assertThat(r.failures()).extracting(ConformanceReport.Failure::note)
                .containsExactly("not defined, but wanted", "nothing to check");
        assertThat(r.summaryLine()).isEqualTo("2 passed, 2 failed, 1 skipped");
    }
}
