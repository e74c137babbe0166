package dev.posture.image;

import dev.posture.image.facts.Accounts;
import dev.posture.image.facts.FileFacts;
import dev.posture.image.facts.HistoryEntry;
import dev.posture.image.facts.ImageConfig;
import dev.posture.image.facts.ImageFacts;
import dev.posture.image.facts.LayerFacts;
import dev.posture.image.facts.OsPackage;
import dev.posture.image.source.ImageReference;
import dev.posture.image.testing.TestImage;
import dev.posture.image.testing.TestImage.Wrap;
import dev.posture.image.testing.TestLayers;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ImageInspectorTest {

    static final String OS_RELEASE = """
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            ID=debian
            VERSION_ID="12"
            VERSION_CODENAME=bookworm
            """;
    static final String DPKG = """
            Package: login
            Status: install ok installed
            Architecture: amd64
            Source: shadow (1:4.13+dfsg1-1)
            Version: 1:4.13+dfsg1-1+b1

            Package: bash
            Status: install ok installed
            Architecture: amd64
            Version: 5.2.15-2+b2
            """;

    static final String PASSWD = "root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/bin/sh\n"
            + "app:x:1000:1000::/app:/bin/sh\n";
    static final String SHADOW = "root:*:19000:0:99999:7:::\ntoor::19000::::::\napp:!:19000::::::\n";
    static final String GROUP = "root:x:0:\napp:x:1000:alice,bob\n";
    static final String TZDATA = "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n";
    static final String MD5SUMS = "d41d8cd98f00b204e9800998ecf8427e  x\n";

    /** A Debian-like base: accounts, os-release through a symlink, dpkg databases, a setuid binary, tools. */
    static TestLayers base() {
        return TestLayers.layer()
                .dir("etc", 0755)
                .file("etc/passwd", 0644, PASSWD)
                .file("etc/shadow", 0640, SHADOW)
                .file("etc/group", 0644, GROUP)
                .symlink("etc/os-release", "../usr/lib/os-release")
                .dir("usr", 0755).dir("usr/lib", 0755).dir("usr/bin", 0755)
                .file("usr/lib/os-release", 0644, OS_RELEASE)
                .file("usr/bin/su", 04755, "ELF su")
                .file("usr/bin/curl", 0755, "ELF curl")
                .symlink("usr/bin/nc", "/bin/busybox")
                .file("usr/bin/ls", 0755, "ELF ls")
                .dir("var", 0755).dir("var/lib", 0755).dir("var/lib/dpkg", 0755)
                .file("var/lib/dpkg/status", 0644, DPKG)
                .dir("var/lib/dpkg/status.d", 0755)
                .file("var/lib/dpkg/status.d/tzdata", 0644, TZDATA)
                .file("var/lib/dpkg/status.d/tzdata.md5sums", 0644, MD5SUMS)
                .dir("tmp", 01777);
    }

    @Test
    void configFacts() throws Exception {
        ImageFacts f = new TestImage()
                .layer(base(), Wrap.GZIP)
                .layer(TestLayers.layer().dir("app", 0755).file("app/run", 0755, "#!/bin/sh\n"), Wrap.ZSTD)
                .layer(TestLayers.layer().file("app/data", 0644, "x"), Wrap.PLAIN)
                .config(c -> {
                    c.put("User", "app");
                    c.putArray("Env").add("PATH=/usr/bin:/bin").add("DSN=postgres://u:p@h/db?a=b").add("EMPTY");
                    c.putObject("ExposedPorts").putObject("22/tcp");
                    ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("ExposedPorts")).putObject("8080");
                    c.putObject("Volumes").putObject("/data");
                    c.putObject("Healthcheck").putArray("Test").add("CMD").add("/app/run");
                    c.putObject("Labels").put("org.opencontainers.image.source", "https://example.com/shop");
                    c.putArray("Entrypoint").add("/app/run");
                    c.put("Cmd", "serve");
                    c.put("WorkingDir", "/app");
                })
                .root(r -> {
                    r.put("variant", "v8");
                    r.put("architecture", "arm64");
                    // history: an empty step between the layers
                    var h = r.withArray("history");
                    h.insertObject(1).put("created_by", "/bin/sh -c #(nop)  EXPOSE 22").put("empty_layer", true);
                })
                .repoTag("localhost:5000/shop/app:1.0")
                .inspect();

        ImageConfig c = f.config();
        assertThat(c.user()).isEqualTo("app");
        assertThat(c.env()).containsExactly(new ImageConfig.EnvVar("PATH", "/usr/bin:/bin"),
                new ImageConfig.EnvVar("DSN", "postgres://u:p@h/db?a=b"), new ImageConfig.EnvVar("EMPTY", ""));
        assertThat(c.exposedPorts()).containsExactly("22/tcp", "8080");
        assertThat(c.volumes()).containsExactly("/data");
        assertThat(c.healthcheck()).containsExactly("CMD", "/app/run");
        assertThat(c.healthcheckDisabled()).isFalse();
        assertThat(c.labels()).isEqualTo(Map.of("org.opencontainers.image.source", "https://example.com/shop"));
        assertThat(c.entrypoint()).containsExactly("/app/run");
        assertThat(c.cmd()).containsExactly("serve");
        assertThat(c.workingDir()).isEqualTo("/app");
        assertThat(List.of(c.os(), c.architecture(), c.variant())).containsExactly("linux", "arm64", "v8");
        assertThat(f.created()).isEqualTo(Instant.parse("2021-03-01T00:00:00Z"));

        assertThat(f.history()).extracting(HistoryEntry::index, HistoryEntry::emptyLayer, HistoryEntry::layer)
                .containsExactly(tuple(0, false, 0), tuple(1, true, null), tuple(2, false, 1), tuple(3, false, 2));
        assertThat(f.layers()).extracting(LayerFacts::index, LayerFacts::compression, LayerFacts::createdBy)
                .containsExactly(tuple(0, "gzip", "/bin/sh -c #(nop) ADD file:1 in / "),
                        tuple(1, "zstd", "/bin/sh -c #(nop) ADD file:2 in / "),
                        tuple(2, "none", "/bin/sh -c #(nop) ADD file:3 in / "));
        LayerFacts top = f.layers().get(2);
        assertThat(top.digest()).isEqualTo(top.diffId()).startsWith("sha256:");
        assertThat(top.size()).isEqualTo(top.uncompressedSize()).isEqualTo(2048); // header, data block, end
        assertThat(top.entries()).isEqualTo(1);
        LayerFacts bottom = f.layers().get(0);
        assertThat(bottom.size()).isLessThan(bottom.uncompressedSize());
        assertThat(bottom.digest()).isNotEqualTo(bottom.diffId());
        assertThat(bottom.mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
        assertThat(f.size()).isEqualTo(f.layers().stream().mapToLong(LayerFacts::size).sum());
        assertThat(f.configDigest()).startsWith("sha256:");
        assertThat(f.manifestDigest()).isEqualTo("sha256:" + "ab".repeat(32));
        assertThat(f.source()).isEqualTo("archive");
        assertThat(f.reference()).isEqualTo(new ImageReference("localhost:5000", "shop/app", "1.0", null));
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void healthcheckNoneDisablesAndAbsentIsNull() throws Exception {
        ImageFacts none = new TestImage().layer(base())
                .config(c -> c.putObject("Healthcheck").putArray("Test").add("NONE")).inspect();
        assertThat(none.config().healthcheck()).isNull();
        assertThat(none.config().healthcheckDisabled()).isTrue();
        ImageFacts absent = new TestImage().layer(base()).inspect();
        assertThat(absent.config().healthcheck()).isNull();
        assertThat(absent.config().healthcheckDisabled()).isFalse();
        assertThat(absent.config().user()).isEmpty();
        assertThat(absent.config().env()).isEmpty();
    }

    @Test
    void referenceGivenWinsAndABadRepoTagIsAWarning() throws Exception {
        TestImage img = new TestImage().layer(base()).repoTag("Not A Reference");
        ImageFacts f = img.inspect();
        assertThat(f.reference()).isNull();
        assertThat(f.warnings()).anyMatch(w -> w.contains("RepoTags entry 'Not A Reference'"));
        ImageReference given = ImageReference.parse("shop/app:2.0");
        assertThat(new ImageInspector(ImageLimits.DEFAULT, 1).inspect("x", given, img.source()).reference())
                .isEqualTo(given);
        assertThat(new TestImage().layer(base()).inspect().reference()).isNull();
    }

    @Test
    void anOciRefNameThatIsOnlyATagIsATagOfNoKnownRepository() throws Exception {
        ImageFacts f = new TestImage().layer(base()).repoTag("1.0").inspect();
        assertThat(f.reference()).isEqualTo(new ImageReference(null, null, "1.0", null));
        assertThat(f.reference().toString()).isEqualTo(":1.0");
        ImageFacts latest = new TestImage().layer(base()).repoTag("latest").inspect();
        assertThat(latest.reference().tag()).isEqualTo("latest");
        assertThat(new TestImage().layer(base()).repoTag("shop/app:2").inspect().reference())
                .isEqualTo(ImageReference.parse("shop/app:2"));
    }

    @Test
    void historyThatDoesNotLineUpWithLayersHasNoLayerIndexes() throws Exception {
        ImageFacts f = new TestImage().layer(base()).layer(TestLayers.layer().file("a", 0644, "a"))
                .root(r -> r.withArray("history").remove(1)).inspect();
        assertThat(f.history()).extracting(HistoryEntry::layer).containsOnlyNulls();
        assertThat(f.layers()).extracting(LayerFacts::createdBy).containsOnlyNulls();
        assertThat(f.warnings()).anyMatch(w -> w.contains("history has 1 step(s) that made a layer but the image"
                + " has 2 layer(s)"));
    }

    @Test
    void osAccountsAndPackages() throws Exception {
        ImageFacts f = new TestImage().layer(base())
                .layer(TestLayers.layer().dir("lib", 0755).dir("lib/apk", 0755).dir("lib/apk/db", 0755)
                        .file("lib/apk/db/installed", 0644, "P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\n"))
                .inspect();
        // /etc/os-release is a symlink to ../usr/lib/os-release: followed
        assertThat(f.os().id()).isEqualTo("debian");
        assertThat(f.os().versionCodename()).isEqualTo("bookworm");
        assertThat(f.os().path()).isEqualTo("/etc/os-release");

        assertThat(f.accounts().users()).extracting(Accounts.User::name, Accounts.User::uid, Accounts.User::password)
                .containsExactly(tuple("root", 0L, "locked"), tuple("toor", 0L, "empty"), tuple("app", 1000L, "locked"));
        assertThat(f.accounts().groups()).extracting(Accounts.Group::name).containsExactly("root", "app");

        assertThat(f.packages()).extracting(OsPackage::manager, OsPackage::name, OsPackage::version,
                        OsPackage::database)
                .containsExactly(tuple("dpkg", "login", "1:4.13+dfsg1-1+b1", "/var/lib/dpkg/status"),
                        tuple("dpkg", "bash", "5.2.15-2+b2", "/var/lib/dpkg/status"),
                        tuple("dpkg", "tzdata", "2024a-0+deb12u1", "/var/lib/dpkg/status.d/tzdata"),
                        tuple("apk", "musl", "1.2.4-r2", "/lib/apk/db/installed"));
    }

    @Test
    void osReleaseFallsBackToUsrLibAndScratchHasNone() throws Exception {
        ImageFacts fallback = new TestImage().layer(base()).layer(TestLayers.layer().whiteout("etc/os-release"))
                .inspect();
        assertThat(fallback.os().path()).isEqualTo("/usr/lib/os-release");
        assertThat(fallback.os().versionId()).isEqualTo("12");

        ImageFacts scratch = new TestImage().layer(TestLayers.layer().file("app", 0755, "ELF")).inspect();
        assertThat(scratch.os()).isNull();
        assertThat(scratch.accounts()).isEqualTo(Accounts.NONE);
        assertThat(scratch.packages()).isEmpty();
        assertThat(scratch.files().count()).isEqualTo(1);
        assertThat(scratch.files().bytes()).isEqualTo(3);
    }

    @Test
    void aCapturedFileReplacedByADeletionIsGoneAndADatabaseInALaterLayerWins() throws Exception {
        ImageFacts f = new TestImage().layer(base())
                .layer(TestLayers.layer().file("var/lib/dpkg/status", 0644, "Package: zsh\nStatus: install ok "
                        + "installed\nVersion: 5.9\nArchitecture: amd64\n").whiteout("etc/shadow"))
                .inspect();
        assertThat(f.packages()).extracting(OsPackage::name).containsExactly("zsh", "tzdata");
        // no shadow: passwords unknown where passwd says "x"
        assertThat(f.accounts().users()).extracting(Accounts.User::password).containsOnly("unknown");
    }

    @Test
    void filesCountsSetuidAndWorldWritable() throws Exception {
        ImageFacts f = new TestImage().layer(base())
                .layer(TestLayers.layer()
                        .dir("usr/local", 0755).dir("usr/local/bin", 0755)
                        .file("usr/local/bin/tool", 02755, 0, 50, "ELF".getBytes())
                        .hardlink("usr/local/bin/su2", "usr/bin/su") // takes su's 04755
                        .hardlink("usr/local/bin/ls2", "usr/bin/ls")
                        .dir("var/cache", 0755).dir("var/cache/app", 0777)
                        .file("var/cache/app/open", 0666, "x")
                        .symlink("var/cache/app/link", "open")
                        .fifo("var/cache/app/pipe", 0600))
                .inspect();
        FileFacts files = f.files();
        assertThat(files.setuid()).extracting(FileFacts.FileEntry::path, FileFacts.FileEntry::type,
                        FileFacts.FileEntry::mode, FileFacts.FileEntry::layer)
                .containsExactly(tuple("/usr/bin/su", "file", 04755, 0),
                        tuple("/usr/local/bin/su2", "hardlink", 04755, 1),
                        tuple("/usr/local/bin/tool", "file", 02755, 1));
        assertThat(files.setuid().get(2).gid()).isEqualTo(50);
        assertThat(files.setuidCount()).isEqualTo(3);
        // tmp is 1777: world-writable (policies exempt it); the symlink's 0777 means nothing
        assertThat(files.worldWritable()).extracting(FileFacts.FileEntry::path, FileFacts.FileEntry::type)
                .containsExactly(tuple("/tmp", "dir"), tuple("/var/cache/app", "dir"),
                        tuple("/var/cache/app/open", "file"));
        assertThat(files.worldWritableCount()).isEqualTo(3);
        // everything but the FIFO: files, dirs, links
        assertThat(files.count()).isEqualTo(30);
        // regular files only: hard links share their target's data
        long bytes = PASSWD.length() + SHADOW.length() + GROUP.length() + OS_RELEASE.length() + "ELF su".length()
                + "ELF curl".length() + "ELF ls".length() + DPKG.length() + TZDATA.length() + MD5SUMS.length()
                + "ELF".length() + "x".length();
        assertThat(files.bytes()).isEqualTo(bytes);
    }

    @Test
    void unnecessaryFilesToolsAndPackageCaches() throws Exception {
        ImageFacts f = new TestImage().layer(base())
                .layer(TestLayers.layer()
                        .dir("app", 0755).dir("app/.git", 0755).file("app/.git/config", 0644, "[core]")
                        .file("app/.gitignore", 0644, "target/").dir("app/.github", 0755)
                        .file("app/web/.DS_Store", 0644, "x")
                        .file("root/.config/gcloud/configurations/config_default", 0644, "[core]")
                        .file("home/u/.config/gcloudx", 0644, "")
                        .file("app/.vscode/settings.json", 0644, "{}")
                        .file("usr/sbin/sshd", 0755, "ELF").file("bin/gcc", 0755, "ELF")
                        .file("opt/curl", 0755, "ELF").file("usr/share/doc/sudo", 0644, "doc")
                        .file("var/lib/apt/lists/lock", 0640, "")
                        .file("var/lib/apt/lists/partial/x", 0644, "partial")
                        .file("var/lib/apt/lists/deb.debian.org_Packages", 0644, "Package: a\n")
                        .file("var/lib/apt/lists/deb.debian.org_Release", 0644, "Origin: Debian\n")
                        .file("var/cache/apt/pkgcache.bin", 0644, "bin")
                        .file("var/cache/apt/archives/curl_8.deb", 0644, "deb")
                        .file("var/cache/apt/archives/lock", 0644, "")
                        .file("var/cache/apk/APKINDEX.tar.gz", 0644, "idx")
                        .file("root/.cache/pip/http/a", 0644, "pip")
                        .file("root/.npm/_cacache/index", 0644, "npm")
                        .file("var/cache/dnf/repo", 0644, "dnf"))
                .inspect();
        FileFacts files = f.files();
        assertThat(files.unnecessary()).containsExactly("/app/.git", "/app/.vscode", "/app/web/.DS_Store",
                "/root/.config/gcloud");
        assertThat(files.tools()).containsExactly("/bin/gcc", "/usr/bin/curl", "/usr/bin/nc", "/usr/bin/su",
                "/usr/sbin/sshd");
        assertThat(files.packageCaches()).extracting(FileFacts.PackageCache::manager, FileFacts.PackageCache::path,
                        FileFacts.PackageCache::files, FileFacts.PackageCache::bytes)
                .containsExactly(tuple("apt", "/var/lib/apt/lists", 2L, 26L), tuple("apt", "/var/cache/apt", 2L, 6L),
                        tuple("apk", "/var/cache/apk", 1L, 3L), tuple("dnf", "/var/cache/dnf", 1L, 3L),
                        tuple("pip", "/root/.cache/pip", 1L, 3L), tuple("npm", "/root/.npm/_cacache", 1L, 3L));
    }

    @Test
    void cleanedAptListsAreNoCache() throws Exception {
        ImageFacts f = new TestImage().layer(base())
                .layer(TestLayers.layer().file("var/lib/apt/lists/lock", 0640, "")
                        .file("var/lib/apt/lists/deb_Packages", 0644, "Package: a\n"))
                .layer(TestLayers.layer().whiteout("var/lib/apt/lists/deb_Packages")
                        .dir("var/lib/apt/lists/partial", 0700))
                .inspect();
        assertThat(f.files().packageCaches()).isEmpty();
    }

    @Test
    void sameFactsWhateverTheDeliveryOrderOrThreads() throws Exception {
        TestImage img = new TestImage().layer(base())
                .layer(TestLayers.layer().file("root/.aws/credentials", 0600,
                        "[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"))
                .layer(TestLayers.layer().whiteout("root/.aws/credentials").file("usr/bin/sudo", 04755, "ELF"))
                .extraBlob("manifest.json", "[{\"Config\":\"x.json\"}]".getBytes());
        ImageFacts inOrder = img.inspect();
        ImageFacts reversed = img.reversed().inspect();
        ImageFacts concurrent = img.concurrent().inspect();
        assertThat(reversed).usingRecursiveComparison().isEqualTo(inOrder);
        assertThat(concurrent).usingRecursiveComparison().isEqualTo(inOrder);
        assertThat(inOrder.files().deletedSecrets()).hasSize(1);
        assertThat(inOrder.files().tools()).contains("/usr/bin/sudo");
    }

    @Test
    void legacyArchiveLayersAreVerifiedByDiffId() throws Exception {
        ImageFacts f = new TestImage().legacy().layer(base(), Wrap.PLAIN)
                .layer(TestLayers.layer().file("a", 0644, "a"), Wrap.PLAIN).inspect();
        assertThat(f.layers()).extracting(LayerFacts::compression).containsOnly("none");
        assertThat(f.layers()).allSatisfy(l -> assertThat(l.digest()).isEqualTo(l.diffId()));
        assertThat(f.manifestDigest()).isNull();
        assertThat(f.warnings()).isEmpty();

        ImageFacts gz = new TestImage().legacy().layer(base(), Wrap.GZIP).inspect();
        assertThat(gz.warnings()).containsExactly(
                "layer 0: gzip-compressed and no digest was promised for it: not verified");
    }
}
