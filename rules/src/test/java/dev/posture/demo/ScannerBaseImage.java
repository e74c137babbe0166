package dev.posture.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The base image the scanner's own image is built on in tests and CI, {@code fixtures/images/posture-base.tar}:
 * no public registry is reachable there, so Jib's {@code tar://} base is this small, deterministic archive (an
 * unprivileged account, {@code /tmp}), written by this class. Releases build on {@code eclipse-temurin:17-jre}
 * instead (docs/scale.md); both give the same application layers.
 *
 * <p>Regenerate: {@code ./mvnw -q -pl rules -am test -Dtest=ScannerBaseImageTest -Dposture.regenerate=true}
 */
public final class ScannerBaseImage {
    public static final String REF = "posture-base:test";

    private ScannerBaseImage() {
    }

    public static void build(Path tarball) throws IOException {
        List<DemoImage.Entry> root = List.of(
                DemoImage.Entry.dir("etc/", 0755),
                DemoImage.Entry.file("etc/passwd", 0644, "root:x:0:0:root:/root:/sbin/nologin\n"
                        + "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"),
                DemoImage.Entry.file("etc/shadow", 0640, "root:!:19000:0:99999:7:::\nnonroot:!:19000:0:99999:7:::\n"),
                DemoImage.Entry.file("etc/group", 0644, "root:x:0:\nnonroot:x:65532:\n"),
                DemoImage.Entry.file("etc/os-release", 0644, "ID=posture-base\nPRETTY_NAME=\"posture test base\"\n"),
                DemoImage.Entry.dir("home/", 0755), DemoImage.Entry.dir("home/nonroot/", 0700),
                DemoImage.Entry.dir("tmp/", 01777));
        DemoImage.write(tarball, List.of(root), new String[] {"posture test base: accounts and /tmp"},
                "2026-12-01T00:00:00Z", REF, c -> {
                    c.put("User", "65532");
                    c.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
                });
    }
}
