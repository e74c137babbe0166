package dev.posture.image;

import dev.posture.image.facts.ImageFacts;
import dev.posture.image.testing.TestImage;
import dev.posture.image.testing.TestImage.Wrap;
import dev.posture.image.testing.TestLayers;
import dev.posture.vuln.apps.AppPackage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Application dependencies as the final filesystem holds them: later layers delete and replace earlier files. */
class AppPackagesInImagesTest {

    static byte[] jar(String g, String a, String v) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("META-INF/maven/" + g + "/" + a + "/pom.properties"));
            z.write(("groupId=" + g + "\nartifactId=" + a + "\nversion=" + v + "\n").getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        return b.toByteArray();
    }

    @Test
    void onlyTheFilesOfTheFinalViewCount() throws Exception {
        TestImage img = new TestImage()
                .layer(TestLayers.layer().dir("app", 0755)
                        .file("app/log4j-core.jar", 0644, 0, 0, jar("org.apache.logging.log4j", "log4j-core", "2.14.1"))
                        .file("app/old.jar", 0644, 0, 0, jar("com.example", "old", "1.0"))
                        .file("app/package-lock.json", 0644, """
                                {"lockfileVersion": 3, "packages": {"": {}, "node_modules/lodash": {"version": "4.17.20"}}}
                                """)
                        .dir("usr", 0755).dir("usr/lib", 0755).dir("usr/lib/python3", 0755)
                        .dir("usr/lib/python3/site-packages", 0755)
                        .dir("usr/lib/python3/site-packages/Django-4.2.10.dist-info", 0755)
                        .file("usr/lib/python3/site-packages/Django-4.2.10.dist-info/METADATA", 0644,
                                "Metadata-Version: 2.1\nName: Django\nVersion: 4.2.10\n"), Wrap.GZIP)
                // the upgrade replaces log4j, deletes old.jar
                .layer(TestLayers.layer().dir("app", 0755)
                        .file("app/log4j-core.jar", 0644, 0, 0, jar("org.apache.logging.log4j", "log4j-core", "2.17.1"))
                        .whiteout("app/old.jar"), Wrap.GZIP);
        ImageFacts plain = img.inspect();
        assertThat(plain.appPackages()).as("not asked for: not read").isEmpty();

        ImageFacts f = new ImageInspector(dev.posture.image.ImageLimits.DEFAULT, 2, true)
                .inspect("test/app:1", null, img.source());
        assertThat(f.appPackages()).containsExactly(
                new AppPackage("Maven", "org.apache.logging.log4j:log4j-core", "2.17.1", "/app/log4j-core.jar"),
                new AppPackage("npm", "lodash", "4.17.20", "/app/package-lock.json"),
                new AppPackage("PyPI", "django", "4.2.10",
                        "/usr/lib/python3/site-packages/Django-4.2.10.dist-info/METADATA"));
    }
}
