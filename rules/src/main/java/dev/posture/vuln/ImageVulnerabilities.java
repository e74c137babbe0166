package dev.posture.vuln;

import dev.posture.image.facts.ImageFacts;
import dev.posture.image.facts.OsPackage;
import dev.posture.vuln.apps.AppPackage;
import dev.posture.vuln.osv.Ecosystems;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An image's packages as the vulnerability matcher sees them. OS packages: the ecosystem from {@code os-release}
 * (Debian:12, Alpine:v3.20, …), keyed on the source package and its version as the distributions' advisories are
 * (dpkg's {@code Source}, apk's origin); application packages as found. An OS posture has no advisories for (or an
 * image without {@code os-release}) is said once, never passed silently.
 */
public final class ImageVulnerabilities {
    private ImageVulnerabilities() {
    }

    public static List<VulnMatcher.Package> packages(ImageFacts f, Consumer<String> warn) {
        List<VulnMatcher.Package> out = new ArrayList<>();
        if (!f.packages().isEmpty()) {
            String eco = f.os() == null ? null : Ecosystems.ofOs(f.os().id(), f.os().versionId());
            if (eco == null) {
                warn.accept(f.packages().size() + " OS package(s) not matched against vulnerabilities: "
                        + (f.os() == null ? "the image has no os-release"
                        : "no OSV ecosystem for " + f.os().id() + " " + f.os().versionId()));
            } else {
                Set<String> seen = new LinkedHashSet<>();
                for (OsPackage p : f.packages()) {
                    String name = p.sourceName() != null ? p.sourceName() : p.name();
                    String version = p.sourceVersion() != null ? p.sourceVersion() : p.version();
                    if (seen.add(name + " " + version)) {
                        out.add(new VulnMatcher.Package(eco, name, version, p.database()));
                    }
                }
            }
        }
        for (AppPackage a : f.appPackages()) {
            out.add(new VulnMatcher.Package(a.ecosystem(), a.name(), a.version(), a.path()));
        }
        return out;
    }
}
