package dev.posture.vuln.version;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each scheme against orderings its ecosystem documents (Debian Policy 5.6.12, rpm's rpmvercmp tests, apk-tools'
 * version tests, Maven's ComparableVersion, SemVer 2.0.0 §11, PEP 440's examples): every list must be strictly
 * ascending under the scheme, and equal spellings equal.
 */
class VersionSchemesTest {

    static void ascending(VersionScheme s, String... versions) throws Exception {
        for (int i = 0; i < versions.length; i++) {
            for (int j = 0; j < versions.length; j++) {
                int c = s.compare(versions[i], versions[j]);
                assertThat(Integer.signum(c)).as("%s: %s vs %s", s.name(), versions[i], versions[j])
                        .isEqualTo(Integer.signum(Integer.compare(i, j)));
            }
        }
    }

    static void equal(VersionScheme s, String a, String b) throws Exception {
        assertThat(s.compare(a, b)).as("%s: %s == %s", s.name(), a, b).isZero();
    }

    @Test
    void dpkg() throws Exception {
        ascending(DpkgVersion.INSTANCE, "1.0~rc1", "1.0", "1.0-1", "1.0-1+b1", "1.0a", "1.0+dfsg",
                "1.1", "1.10", "2:0.1");
        ascending(DpkgVersion.INSTANCE, "1.2.3~~", "1.2.3~~a", "1.2.3~", "1.2.3", "1.2.3a", "1.2.3.0");
        ascending(DpkgVersion.INSTANCE, "2.36.1-8", "2.36.1-8+deb11u1", "2.36.1-8+deb11u2");
        ascending(DpkgVersion.INSTANCE, "7.88.1-10+deb12u5", "7.88.1-10+deb12u12", "1:7.0-1");
        equal(DpkgVersion.INSTANCE, "0:1.0-1", "1.0-1");
        equal(DpkgVersion.INSTANCE, "1.01", "1.1");
        equal(DpkgVersion.INSTANCE, "1.0", "1.0-0"); // an absent revision is "", which sorts as 0
        assertThatThrownBy(() -> DpkgVersion.INSTANCE.parse("a:1.0")).hasMessageContaining("epoch");
        assertThatThrownBy(() -> DpkgVersion.INSTANCE.parse("1.0 beta")).hasMessageContaining("invalid character");
        assertThatThrownBy(() -> DpkgVersion.INSTANCE.parse("1.0-")).hasMessageContaining("empty revision");
    }

    @Test
    void rpm() throws Exception {
        // from rpm's own rpmvercmp test cases
        ascending(RpmVersion.INSTANCE, "1.0~rc1", "1.0", "1.0^", "1.0^git1", "1.0a", "1.0.1", "1.1");
        ascending(RpmVersion.INSTANCE, "2a", "2.0", "2.0.1", "2.0.1a", "2.5");
        ascending(RpmVersion.INSTANCE, "5.5p1", "5.5p2", "5.5p10", "5.6p1");
        ascending(RpmVersion.INSTANCE, "1.0-1.el9", "1.0-2.el9", "1.0-10.el9", "1:0.1-1");
        equal(RpmVersion.INSTANCE, "1.0010", "1.10");
        equal(RpmVersion.INSTANCE, "2_0", "2.0");
        equal(RpmVersion.INSTANCE, "1.0-3", "1.0"); // a bound without release matches every release
        assertThat(RpmVersion.INSTANCE.compare("a", "1")).isNegative(); // numeric is newer than alpha
    }

    @Test
    void apk() throws Exception {
        ascending(ApkVersion.INSTANCE, "1.0_alpha", "1.0_alpha2", "1.0_beta", "1.0_pre1", "1.0_rc1", "1.0",
                "1.0-r1", "1.0_p1", "1.0a", "1.0.1", "1.1");
        ascending(ApkVersion.INSTANCE, "3.0.8-r0", "3.0.8-r3", "3.0.10-r0", "3.1.0-r0");
        ascending(ApkVersion.INSTANCE, "1.2", "1.10", "1.100");
        ascending(ApkVersion.INSTANCE, "1.01", "1.1"); // leading zero: a decimal fraction
        ascending(ApkVersion.INSTANCE, "1.0_git20200101", "1.0_p0");
        equal(ApkVersion.INSTANCE, "1.0", "1.0-r0");
        assertThatThrownBy(() -> ApkVersion.INSTANCE.parse("1.0-beta")).isInstanceOf(InvalidVersionException.class);
    }

    @Test
    void maven() throws Exception {
        ascending(MavenVersion.INSTANCE, "1-alpha", "1-beta", "1-milestone", "1-rc", "1-SNAPSHOT", "1", "1-sp",
                "1.0.1", "1.1", "2.0");
        ascending(MavenVersion.INSTANCE, "2.14.0", "2.15.0-rc1", "2.15.0", "2.17.1");
        equal(MavenVersion.INSTANCE, "1.0", "1");
        equal(MavenVersion.INSTANCE, "1.0.0", "1-ga");
        equal(MavenVersion.INSTANCE, "1.0-final", "1");
    }

    @Test
    void semver() throws Exception {
        // SemVer 2.0.0 §11
        ascending(SemverVersion.INSTANCE, "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1", "10.0.0");
        equal(SemverVersion.INSTANCE, "1.0.0+build.1", "1.0.0+other");
        equal(SemverVersion.INSTANCE, "v1.2.3", "1.2.3");
        for (String bad : List.of("1.0", "01.0.0", "1.0.0-01", "1.0.0-", "x")) {
            assertThatThrownBy(() -> SemverVersion.INSTANCE.parse(bad)).as(bad)
                    .isInstanceOf(InvalidVersionException.class).hasMessageContaining(bad);
        }
    }

    @Test
    void pep440() throws Exception {
        // PEP 440's summary of permitted suffixes and relative ordering
        ascending(Pep440Version.INSTANCE, "1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456",
                "1.0a12", "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456",
                "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456",
                "1.0.15", "1.1.dev1", "1!0.1");
        equal(Pep440Version.INSTANCE, "1.0", "1.0.0");
        equal(Pep440Version.INSTANCE, "1.0alpha1", "1.0a1");
        equal(Pep440Version.INSTANCE, "1.0-1", "1.0.post1");
        equal(Pep440Version.INSTANCE, "1.0c1", "1.0rc1");
        equal(Pep440Version.INSTANCE, "v1.0", "1.0");
        assertThatThrownBy(() -> Pep440Version.INSTANCE.parse("1.0-foo")).isInstanceOf(InvalidVersionException.class);
    }
}
