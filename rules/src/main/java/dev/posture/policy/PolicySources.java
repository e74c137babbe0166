package dev.posture.policy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Where policy modules come from: the policies bundled in posture's jar (the top-level {@code policies/} folder
 * is packaged as resources), or a directory. Test modules ({@code *_test.rego}) are never loaded for scanning.
 */
public final class PolicySources {
    private static final long MAX_MODULE_BYTES = 4L * 1024 * 1024;

    private PolicySources() {
    }

    /**
     * Every {@code *.rego} below the resource folder {@code folder} (e.g. {@code policies/kubernetes}) on the
     * class path of this class, sorted by name; empty when there is none.
     */
    public static List<PolicyModule> bundled(String folder) throws PolicyException {
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        ClassLoader cl = PolicySources.class.getClassLoader();
        List<PolicyModule> out = new ArrayList<>();
        try {
            Enumeration<URL> roots = cl.getResources(prefix);
            List<URL> seen = new ArrayList<>();
            while (roots.hasMoreElements()) {
                seen.add(roots.nextElement());
            }
            if (seen.isEmpty()) {
                // a jar without directory entries: find it through the jar holding this class
                URL self = PolicySources.class.getResource(PolicySources.class.getSimpleName() + ".class");
                if (self != null && "jar".equals(self.getProtocol())) {
                    seen.add(self);
                }
            }
            for (URL u : seen) {
                if ("file".equals(u.getProtocol())) {
                    out.addAll(directory(Path.of(u.toURI()), prefix));
                } else if ("jar".equals(u.getProtocol())) {
                    String spec = u.getPath();
                    int bang = spec.indexOf("!/");
                    Path jar = Path.of(new URL(spec.substring(0, bang)).toURI());
                    out.addAll(fromJar(jar, prefix));
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            throw new PolicyException("cannot read the bundled policies (" + prefix + "): " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(PolicyModule::name));
        return dedupe(out);
    }

    /** Every {@code *.rego} below {@code dir} (not {@code *_test.rego}), named {@code <namePrefix><relative path>}. */
    public static List<PolicyModule> directory(Path dir, String namePrefix) throws PolicyException {
        List<PolicyModule> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (isModule(rel)) {
                    if (Files.size(p) > MAX_MODULE_BYTES) {
                        throw new PolicyException(p + ": policy module over " + MAX_MODULE_BYTES + " bytes");
                    }
                    out.add(new PolicyModule(namePrefix + rel, Files.readString(p, StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new PolicyException("cannot read policies in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static List<PolicyModule> fromJar(Path jar, String prefix) throws IOException, PolicyException {
        List<PolicyModule> out = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = jf.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (e.isDirectory() || !e.getName().startsWith(prefix) || !isModule(e.getName())) {
                    continue;
                }
                try (InputStream in = jf.getInputStream(e)) {
                    byte[] b = in.readNBytes((int) MAX_MODULE_BYTES + 1);
                    if (b.length > MAX_MODULE_BYTES) {
                        throw new PolicyException(e.getName() + ": policy module over " + MAX_MODULE_BYTES + " bytes");
                    }
                    out.add(new PolicyModule(e.getName(), new String(b, StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    private static boolean isModule(String name) {
        return name.endsWith(".rego") && !name.endsWith("_test.rego");
    }

    private static List<PolicyModule> dedupe(List<PolicyModule> in) {
        List<PolicyModule> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (PolicyModule m : in) {
            if (names.add(m.name())) {
                out.add(m);
            }
        }
        return out;
    }
}
