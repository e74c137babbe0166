package dev.posture.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes the demo's container image, {@code fixtures/demo/images/storefront.tar}, in the
 * {@code docker save} format: byte-for-byte deterministic (fixed times, owners and order), a few
 * kilobytes. Deliberately flawed, for the image analyzer: runs as root; a setuid binary; a
 * world-writable directory; fake cloud credentials, an SSH key and a {@code .env}; AWS credentials
 * added in one layer and deleted (whiteout) in the next; a secret in the environment and in a
 * build step; {@code curl | sh}; {@code apt-get update} without install; SSH exposed; an account
 * with an empty password and a second UID 0 account. Every secret-looking value is fake.
 *
 * <p>Regenerate: {@code ./mvnw -q -pl rules -am test -Dtest=DemoImageTest -Dposture.regenerate=true}
 */
public final class DemoImage {
    public static final String REF = "posture-demo/storefront:1.0";
    /** Built years ago, on a base that was old then: stale. */
    static final String CREATED = "2021-03-01T00:00:00Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One file in a layer: path, octal mode, content (null for a directory). */
    record Entry(String path, int mode, String content) {
        static Entry file(String path, int mode, String content) {
            return new Entry(path, mode, content);
        }

        static Entry dir(String path, int mode) {
            return new Entry(path, mode, null);
        }
    }

    private DemoImage() {
    }

    static List<List<Entry>> layers() {
        List<Entry> base = List.of(
                Entry.dir("etc/", 0755),
                Entry.file("etc/passwd", 0644, """
                        root:x:0:0:root:/root:/bin/sh
                        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
                        toor:x:0:0:backdoor:/root:/bin/sh
                        app:x:1000:1000:app:/app:/bin/sh
                        """),
                Entry.file("etc/shadow", 0640, """
                        root:*:19000:0:99999:7:::
                        daemon:*:19000:0:99999:7:::
                        toor::19000:0:99999:7:::
                        app:!:19000:0:99999:7:::
                        """),
                Entry.file("etc/group", 0644, "root:x:0:\ndaemon:x:1:\napp:x:1000:\n"),
                // an old base: Debian 10, past its end of life
                Entry.file("etc/os-release", 0644, """
                        PRETTY_NAME="Debian GNU/Linux 10 (buster)"
                        NAME="Debian GNU/Linux"
                        VERSION_ID="10"
                        VERSION="10 (buster)"
                        VERSION_CODENAME=buster
                        ID=debian
                        """),
                Entry.dir("var/lib/", 0755), Entry.dir("var/lib/dpkg/", 0755),
                Entry.file("var/lib/dpkg/status", 0644, """
                        Package: base-files
                        Status: install ok installed
                        Priority: required
                        Architecture: amd64
                        Version: 10.3+deb10u13

                        Package: login
                        Status: install ok installed
                        Priority: required
                        Architecture: amd64
                        Source: shadow
                        Version: 1:4.5-1.1

                        Package: sudo
                        Status: install ok installed
                        Priority: optional
                        Architecture: amd64
                        Version: 1.8.27-1+deb10u3

                        Package: openssl
                        Status: deinstall ok config-files
                        Priority: optional
                        Architecture: amd64
                        Version: 1.1.1n-0+deb10u3
                        """),
                Entry.dir("usr/bin/", 0755),
                Entry.file("usr/bin/sudo", 04755, "#!/bin/sh\nexit 1\n"),
                Entry.dir("usr/", 0755), Entry.dir("usr/local/", 0755), Entry.dir("usr/local/bin/", 0755),
                Entry.file("usr/local/bin/healthcheck", 04755, "#!/bin/sh\nexit 0\n"),
                Entry.dir("var/", 0755), Entry.dir("var/cache/", 0755),
                Entry.dir("var/cache/app/", 0777),
                Entry.dir("tmp/", 01777));
        List<Entry> app = List.of(
                Entry.dir("app/", 0755),
                Entry.file("app/server.sh", 0755, "#!/bin/sh\nexec sleep infinity\n"),
                Entry.file("app/.env", 0600, "DB_PASSWORD=demo-not-a-real-password-123\n"),
                Entry.dir("app/.git/", 0755),
                Entry.file("app/.git/config", 0644, "[core]\n\trepositoryformatversion = 0\n"),
                Entry.dir("root/", 0700), Entry.dir("root/.aws/", 0700),
                Entry.file("root/.aws/credentials", 0600, """
                        [default]
                        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
                        aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
                        """),
                Entry.dir("root/.ssh/", 0700),
                Entry.file("root/.ssh/id_rsa", 0600, "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                        + "ZmFrZSBrZXkgZm9yIHRoZSBwb3N0dXJlIGRlbW8=\n-----END OPENSSH PRIVATE KEY-----\n"));
        // the credentials are "removed" in a later layer: still in the image, in the lower layer
        List<Entry> cleanup = List.of(Entry.dir("root/", 0700), Entry.dir("root/.aws/", 0700),
                Entry.file("root/.aws/.wh.credentials", 0600, ""),
                // what apt-get update leaves behind
                Entry.dir("var/", 0755), Entry.dir("var/lib/", 0755), Entry.dir("var/lib/apt/", 0755),
                Entry.dir("var/lib/apt/lists/", 0755),
                Entry.file("var/lib/apt/lists/deb.debian.org_debian_dists_buster_InRelease", 0644,
                        "Origin: Debian\nSuite: oldoldstable\n"));
        return List.of(base, app, cleanup);
    }

    /** Build steps; the #(nop) ones made no layer. */
    static final String[] HISTORY = {
        "/bin/sh -c #(nop) ADD file:3c1e0b7f2a demo-rootfs.tar in / ",
        "/bin/sh -c #(nop)  ENV STRIPE_API_KEY=sk_live_51DemoOnlyNotARealKey0000",
        "/bin/sh -c #(nop)  EXPOSE 22 8080",
        "/bin/sh -c curl -fsSL https://get.example.invalid/install.sh | sh && "
                + "export GITHUB_TOKEN=ghp_DemoOnlyNotARealToken0000000000000000 && ./fetch-assets",
        "/bin/sh -c rm /root/.aws/credentials && apt-get update"};

    public static void build(Path tarball) throws IOException {
        write(tarball, layers(), HISTORY, CREATED, REF, c -> {
            c.put("User", "");
            ArrayNode env = c.putArray("Env");
            env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            env.add("STRIPE_API_KEY=sk_live_51DemoOnlyNotARealKey0000");
            env.add("APP_ENV=production");
            ObjectNode ports = c.putObject("ExposedPorts");
            ports.putObject("22/tcp");
            ports.putObject("8080/tcp");
            c.putArray("Entrypoint").add("/app/server.sh");
            c.put("WorkingDir", "/app");
        });
    }

    /**
     * Writes a deterministic {@code docker save} archive (legacy layout) of these layers; {@code runtime} fills the
     * config's {@code config} object. Steps with "#(nop)  " in their text made no layer.
     */
    static void write(Path tarball, List<List<Entry>> layers, String[] steps, String created, String repoTag,
                      java.util.function.Consumer<ObjectNode> runtime) throws IOException {
        List<byte[]> layerTars = new ArrayList<>();
        for (List<Entry> layer : layers) {
            layerTars.add(tar(layer));
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.put("created", created);
        runtime.accept(config.putObject("config"));
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        for (byte[] l : layerTars) {
            diffIds.add("sha256:" + sha256(l));
        }
        ArrayNode history = config.putArray("history");
        for (String h : steps) {
            ObjectNode e = history.addObject();
            e.put("created", created);
            e.put("created_by", h);
            if (h.contains("#(nop)  ")) {
                e.put("empty_layer", true);
            }
        }
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configName = sha256(configBytes) + ".json";

        ArrayNode manifest = JSON.createArrayNode();
        ObjectNode m = manifest.addObject();
        m.put("Config", configName);
        m.putArray("RepoTags").add(repoTag);
        ArrayNode layerNames = m.putArray("Layers");
        List<Entry> outer = new ArrayList<>();
        List<byte[]> outerContent = new ArrayList<>();
        for (byte[] l : layerTars) {
            String dir = sha256(l);
            layerNames.add(dir + "/layer.tar");
            outer.add(Entry.dir(dir + "/", 0755));
            outerContent.add(null);
            outer.add(Entry.file(dir + "/layer.tar", 0644, null));
            outerContent.add(l);
        }
        outer.add(Entry.file(configName, 0644, null));
        outerContent.add(configBytes);
        outer.add(Entry.file("manifest.json", 0644, null));
        outerContent.add(JSON.writeValueAsBytes(manifest));

        Files.createDirectories(tarball.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(tarball)) {
            out.write(tar(outer, outerContent));
        }
    }

    private static byte[] tar(List<Entry> entries) throws IOException {
        List<byte[]> content = new ArrayList<>();
        for (Entry e : entries) {
            content.add(e.content() == null ? null : e.content().getBytes(StandardCharsets.UTF_8));
        }
        return tar(entries, content);
    }

    private static byte[] tar(List<Entry> entries, List<byte[]> content) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(buf)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                byte[] data = content.get(i);
                boolean dir = e.path().endsWith("/");
                TarArchiveEntry t = new TarArchiveEntry(e.path(), dir ? TarArchiveEntry.LF_DIR : TarArchiveEntry.LF_NORMAL);
                t.setMode((dir ? 040000 : 0100000) | e.mode());
                t.setModTime(1000L);
                t.setUserId(0);
                t.setGroupId(0);
                t.setUserName("root");
                t.setGroupName("root");
                if (!dir) {
                    t.setSize(data.length);
                }
                tar.putArchiveEntry(t);
                if (!dir) {
                    tar.write(data);
                }
                tar.closeArchiveEntry();
            }
        }
        return buf.toByteArray();
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        build(Path.of(args.length > 0 ? args[0] : "fixtures/demo/images/storefront.tar"));
    }
}
