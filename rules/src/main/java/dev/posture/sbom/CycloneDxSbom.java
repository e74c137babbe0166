package dev.posture.sbom;

import dev.posture.image.facts.ImageFacts;
import dev.posture.image.facts.OsPackage;
import dev.posture.image.facts.OsRelease;
import dev.posture.image.source.ImageReference;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A CycloneDX 1.6 software bill of materials of an image's OS packages: the image as the BOM's subject (type
 * container), its operating system (type operating-system), and one component (type library) per installed binary
 * package with the package manager's exact name and version and a package URL. See docs/sbom.md.
 */
public final class CycloneDxSbom {
    public static final Version SPEC = Version.VERSION_16;
    /** Property names, in posture's namespace as the CycloneDX property taxonomy asks. */
    public static final String SOURCE = "posture:source";
    public static final String PACKAGE_MANAGER = "posture:package-manager";
    public static final String DATABASE = "posture:database";
    public static final String PATH = "posture:path";

    private CycloneDxSbom() {
    }

    /**
     * @param toolVersion posture's version, for {@code metadata.tools}
     * @param timestamp   when the BOM is made
     * @param serial      the BOM's serial number (random for each BOM, as the spec asks)
     */
    public static Bom build(ImageFacts facts, String toolVersion, Instant timestamp, UUID serial) {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + serial);
        bom.setVersion(1);

        Component image = image(facts);
        Metadata metadata = new Metadata();
        metadata.setTimestamp(Date.from(timestamp));
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setName("posture");
        tool.setVersion(toolVersion);
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        metadata.setToolChoice(tools);
        metadata.setComponent(image);
        bom.setMetadata(metadata);

        Dependency imageDeps = new Dependency(image.getBomRef());
        Dependency parent = imageDeps;
        List<Dependency> dependencies = new ArrayList<>();
        dependencies.add(imageDeps);
        if (facts.os() != null) {
            Component os = os(facts.os());
            bom.addComponent(os);
            imageDeps.addDependency(new Dependency(os.getBomRef()));
            parent = new Dependency(os.getBomRef());
            dependencies.add(parent);
        }
        for (Component c : packages(facts.packages(), facts.os())) {
            bom.addComponent(c);
            parent.addDependency(new Dependency(c.getBomRef()));
        }
        for (Component c : appPackages(facts.appPackages())) {
            bom.addComponent(c);
            imageDeps.addDependency(new Dependency(c.getBomRef()));
        }
        bom.setDependencies(dependencies);
        return bom;
    }

    /** The bom-ref of an application dependency: its purl, else ecosystem:name@version#path. */
    static String appRef(dev.posture.vuln.apps.AppPackage p) {
        String purl = PackageUrls.ofApp(p);
        return purl != null ? purl + "#" + p.path() : p.ecosystem() + ":" + p.name() + "@" + p.version() + "#" + p.path();
    }

    /** Application dependencies, one component per (package, file): the same jar in two places is two findings' worth. */
    private static List<Component> appPackages(List<dev.posture.vuln.apps.AppPackage> packages) {
        Map<String, Component> byRef = new LinkedHashMap<>();
        for (dev.posture.vuln.apps.AppPackage p : packages) {
            String ref = appRef(p);
            if (byRef.containsKey(ref)) {
                continue;
            }
            Component c = new Component();
            c.setType(Component.Type.LIBRARY);
            int colon = p.ecosystem().equals("Maven") ? p.name().indexOf(':') : -1;
            if (colon > 0) {
                c.setGroup(p.name().substring(0, colon));
                c.setName(p.name().substring(colon + 1));
            } else {
                c.setName(p.name());
            }
            c.setVersion(p.version());
            c.setBomRef(ref);
            String purl = PackageUrls.ofApp(p);
            if (purl != null) {
                c.setPurl(purl);
            }
            c.setProperties(List.of(new Property(PACKAGE_MANAGER, p.ecosystem()), new Property(PATH, p.path())));
            byRef.put(ref, c);
        }
        return new ArrayList<>(byRef.values());
    }

    /**
     * Adds CycloneDX {@code vulnerabilities}: one per (record, package) match, the OSV id with osv.dev as source,
     * aliases (CVE ids) as references, the rating (CVSS score, vector and method when scored; the severity word
     * otherwise, {@code unknown} when there is none), the affected components (for an OS match, every binary
     * package built from the matched source package) and the fixed version as the recommendation.
     */
    public static void addVulnerabilities(Bom bom, ImageFacts facts, List<dev.posture.vuln.VulnMatcher.Match> matches) {
        List<org.cyclonedx.model.vulnerability.Vulnerability> out = new ArrayList<>();
        for (dev.posture.vuln.VulnMatcher.Match m : matches) {
            org.cyclonedx.model.vulnerability.Vulnerability v = new org.cyclonedx.model.vulnerability.Vulnerability();
            v.setId(m.id());
            v.setBomRef(m.id() + "#" + m.pkg().name() + "@" + m.pkg().version() + "#" + m.pkg().location());
            org.cyclonedx.model.vulnerability.Vulnerability.Source src = new org.cyclonedx.model.vulnerability.Vulnerability.Source();
            src.setName("OSV");
            src.setUrl("https://osv.dev/vulnerability/" + m.id());
            v.setSource(src);
            List<org.cyclonedx.model.vulnerability.Vulnerability.Reference> refs = new ArrayList<>();
            for (String alias : m.aliases()) {
                org.cyclonedx.model.vulnerability.Vulnerability.Reference r = new org.cyclonedx.model.vulnerability.Vulnerability.Reference();
                r.setId(alias);
                org.cyclonedx.model.vulnerability.Vulnerability.Source as = new org.cyclonedx.model.vulnerability.Vulnerability.Source();
                as.setName(alias.startsWith("CVE-") ? "NVD" : "OSV");
                as.setUrl(alias.startsWith("CVE-") ? "https://nvd.nist.gov/vuln/detail/" + alias : "https://osv.dev/vulnerability/" + alias);
                r.setSource(as);
                refs.add(r);
            }
            if (!refs.isEmpty()) {
                v.setReferences(refs);
            }
            org.cyclonedx.model.vulnerability.Vulnerability.Rating rating = new org.cyclonedx.model.vulnerability.Vulnerability.Rating();
            var sev = m.severity();
            rating.setSeverity(sev.basis().equals("unknown")
                    ? org.cyclonedx.model.vulnerability.Vulnerability.Rating.Severity.UNKNOWN
                    : org.cyclonedx.model.vulnerability.Vulnerability.Rating.Severity.fromString(sev.severity().id()));
            if (sev.score() != null) {
                rating.setScore(sev.score());
                rating.setVector(sev.vector());
                rating.setMethod(sev.vector().startsWith("CVSS:3.1") ? org.cyclonedx.model.vulnerability.Vulnerability.Rating.Method.CVSSV31
                        : sev.vector().startsWith("CVSS:3") ? org.cyclonedx.model.vulnerability.Vulnerability.Rating.Method.CVSSV3
                        : org.cyclonedx.model.vulnerability.Vulnerability.Rating.Method.CVSSV2);
            }
            v.setRatings(List.of(rating));
            if (m.summary() != null) {
                v.setDescription(m.summary());
            }
            if (m.fixed() != null) {
                v.setRecommendation("Upgrade " + m.pkg().name() + " to " + m.fixed() + " or later.");
            }
            List<org.cyclonedx.model.vulnerability.Vulnerability.Affect> affects = new ArrayList<>();
            for (String ref : affectedRefs(facts, m)) {
                org.cyclonedx.model.vulnerability.Vulnerability.Affect a = new org.cyclonedx.model.vulnerability.Vulnerability.Affect();
                a.setRef(ref);
                affects.add(a);
            }
            v.setAffects(affects);
            out.add(v);
        }
        if (!out.isEmpty()) {
            bom.setVulnerabilities(out);
        }
    }

    private static List<String> affectedRefs(ImageFacts facts, dev.posture.vuln.VulnMatcher.Match m) {
        java.util.Set<String> refs = new java.util.LinkedHashSet<>();
        for (dev.posture.vuln.apps.AppPackage a : facts.appPackages()) {
            if (a.ecosystem().equals(m.pkg().ecosystem()) && a.name().equals(m.pkg().name())
                    && a.version().equals(m.pkg().version()) && a.path().equals(m.pkg().location())) {
                refs.add(appRef(a));
            }
        }
        if (refs.isEmpty()) {
            for (OsPackage p : facts.packages()) {
                String src = p.sourceName() != null ? p.sourceName() : p.name();
                String ver = p.sourceVersion() != null ? p.sourceVersion() : p.version();
                if (src.equals(m.pkg().name()) && ver.equals(m.pkg().version())) {
                    refs.add(osRef(p, facts.os()));
                }
            }
        }
        return new ArrayList<>(refs);
    }

    private static String osRef(OsPackage p, OsRelease os) {
        String purl = PackageUrls.of(p, os);
        return purl != null ? purl
                : p.manager() + ":" + p.name() + "@" + p.version() + (p.architecture() == null ? "" : "?arch=" + p.architecture());
    }

    /** The BOM as CycloneDX 1.6 JSON, pretty-printed, by the library's own generator. */
    public static String toJson(Bom bom) {
        try {
            return BomGeneratorFactory.createJson(SPEC, bom).toJsonString(true);
        } catch (GeneratorException e) {
            throw new IllegalStateException("cannot serialise the CycloneDX BOM: " + e.getMessage(), e);
        }
    }

    private static Component image(ImageFacts f) {
        Component c = new Component();
        c.setType(Component.Type.CONTAINER);
        c.setName(f.reference() != null && f.reference().repository() != null ? displayName(f.reference()) : f.name());
        c.setVersion(f.configDigest());
        String purl = PackageUrls.ofImage(f);
        c.setBomRef(purl != null ? purl : "image:" + f.configDigest());
        if (purl != null) {
            c.setPurl(purl);
        }
        List<Property> props = new ArrayList<>();
        props.add(new Property("posture:image:name", f.name()));
        if (f.source() != null) {
            props.add(new Property("posture:image:source", f.source()));
        }
        if (f.manifestDigest() != null) {
            props.add(new Property("posture:image:manifest-digest", f.manifestDigest()));
        }
        c.setProperties(props);
        return c;
    }

    /** A reference as people write it: Docker Hub's registry and {@code library/} left out. */
    static String displayName(ImageReference r) {
        String s = r.toString();
        if (r.registry().equals(ImageReference.DOCKER_HUB)) {
            s = s.substring(r.registry().length() + 1);
            s = s.startsWith("library/") ? s.substring("library/".length()) : s;
        }
        return s;
    }

    private static Component os(OsRelease os) {
        Component c = new Component();
        c.setType(Component.Type.OPERATING_SYSTEM);
        // os-release's own default for a missing ID
        c.setName(os.id() == null || os.id().isBlank() ? "linux" : os.id());
        if (os.versionId() != null) {
            c.setVersion(os.versionId());
        }
        if (os.prettyName() != null) {
            c.setDescription(os.prettyName());
        }
        c.setBomRef("os:" + c.getName() + (os.versionId() == null ? "" : "@" + os.versionId()));
        return c;
    }

    /**
     * One component per package; a package recorded twice (the same purl, e.g. in {@code status} and a
     * {@code status.d/} file) is one installed package and listed once.
     */
    private static List<Component> packages(List<OsPackage> packages, OsRelease os) {
        Map<String, Component> byRef = new LinkedHashMap<>();
        for (OsPackage p : packages) {
            String purl = PackageUrls.of(p, os);
            String ref = osRef(p, os);
            if (byRef.containsKey(ref)) {
                continue;
            }
            Component c = new Component();
            c.setType(Component.Type.LIBRARY);
            c.setName(p.name());
            c.setVersion(p.version()); // exactly as the package manager records it, epoch included
            c.setBomRef(ref);
            if (purl != null) {
                c.setPurl(purl);
            }
            List<Property> props = new ArrayList<>();
            // "name version", as dpkg-query's ${source:Package} ${source:Version}
            if (p.sourceName() != null) {
                props.add(new Property(SOURCE, p.sourceName()
                        + " " + (p.sourceVersion() != null ? p.sourceVersion() : p.version())));
            }
            props.add(new Property(PACKAGE_MANAGER, p.manager()));
            if (p.database() != null) {
                props.add(new Property(DATABASE, p.database()));
            }
            c.setProperties(props);
            byRef.put(ref, c);
        }
        return new ArrayList<>(byRef.values());
    }
}
