package dev.posture.image;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImageDocumentTest {

    @Test
    void legacyNopStepsAreTheirInstruction() {
        assertThat(ImageDocument.step("/bin/sh -c #(nop)  EXPOSE 22 8080"))
                .isEqualTo(new ImageDocument.Step("EXPOSE", "22 8080"));
        assertThat(ImageDocument.step("/bin/sh -c #(nop) ADD file:3c1e in / "))
                .isEqualTo(new ImageDocument.Step("ADD", "file:3c1e in /"));
        assertThat(ImageDocument.step("/bin/sh -c #(nop) COPY dir:abc in /app "))
                .isEqualTo(new ImageDocument.Step("COPY", "dir:abc in /app"));
    }

    @Test
    void legacyShellStepsAreRuns() {
        assertThat(ImageDocument.step("/bin/sh -c apt-get update && apt-get install -y curl"))
                .isEqualTo(new ImageDocument.Step("RUN", "apt-get update && apt-get install -y curl"));
        assertThat(ImageDocument.step("|2 TOKEN=abc MODE=x /bin/sh -c ./build.sh"))
                .isEqualTo(new ImageDocument.Step("RUN", "./build.sh"));
    }

    @Test
    void buildkitSteps() {
        assertThat(ImageDocument.step("RUN /bin/sh -c apt-get update # buildkit"))
                .isEqualTo(new ImageDocument.Step("RUN", "apt-get update"));
        assertThat(ImageDocument.step("RUN |1 NPM_TOKEN=x /bin/sh -c npm ci # buildkit"))
                .isEqualTo(new ImageDocument.Step("RUN", "npm ci"));
        assertThat(ImageDocument.step("COPY app.jar /app/ # buildkit"))
                .isEqualTo(new ImageDocument.Step("COPY", "app.jar /app/"));
        assertThat(ImageDocument.step("ENV A=b")).isEqualTo(new ImageDocument.Step("ENV", "A=b"));
        assertThat(ImageDocument.step("USER app")).isEqualTo(new ImageDocument.Step("USER", "app"));
        assertThat(ImageDocument.step("run echo hi")).isEqualTo(new ImageDocument.Step("RUN", "echo hi"));
    }

    @Test
    void unknownBuildersKeepTheirTextWithoutInstruction() {
        assertThat(ImageDocument.step("jib-maven-plugin:3.4.0"))
                .isEqualTo(new ImageDocument.Step(null, "jib-maven-plugin:3.4.0"));
        assertThat(ImageDocument.step("")).isEqualTo(new ImageDocument.Step(null, ""));
    }

    @Test
    void portsSplitIntoNumberAndProtocol() {
        assertThat(ImageDocument.port("22/tcp").get("port").asInt()).isEqualTo(22);
        assertThat(ImageDocument.port("53/udp").get("protocol").asText()).isEqualTo("udp");
        assertThat(ImageDocument.port("8080").get("protocol").asText()).isEqualTo("tcp");
        assertThat(ImageDocument.port("5900-5903/tcp").get("port").isNull()).isTrue();
    }

    @Test
    void permissionsAreFourOctalDigits() {
        assertThat(ImageDocument.octal(04755)).isEqualTo("4755");
        assertThat(ImageDocument.octal(0777)).isEqualTo("0777");
        assertThat(ImageDocument.octal(01777)).isEqualTo("1777");
        assertThat(ImageDocument.octal(0)).isEqualTo("0000");
    }
}
