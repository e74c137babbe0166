package dev.posture.image.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * dpkg's database of installed packages: {@code /var/lib/dpkg/status}, and the per-package files distroless images
 * write under {@code /var/lib/dpkg/status.d/} instead.
 */
public final class DpkgStatus {
    private DpkgStatus() {
    }

    /**
     * The installed packages, in file order.
     *
     * <p>A stanza counts when the status word of its {@code Status} (the third word of "want flag status") is
     * {@code installed}, which is what {@code dpkg-query}'s {@code db:Status-Status} calls installed: so
     * {@code install ok installed} and {@code hold ok installed} count, {@code deinstall ok config-files},
     * {@code install ok half-installed} or {@code unpacked} do not (their files are absent or incomplete). A stanza
     * without {@code Status} counts: {@code status.d/} files have none. Stanzas without {@code Package} or
     * {@code Version} are skipped.
     *
     * @param database the file's path in the image, recorded in each package
     */
    public static List<OsPackage> parse(String text, String database) {
        List<OsPackage> out = new ArrayList<>();
        for (Map<String, String> s : Deb822.stanzas(text)) {
            String name = s.get("package");
            String version = s.get("version");
            if (name == null || name.isEmpty() || version == null || version.isEmpty() || !installed(s.get("status"))) {
                continue;
            }
            String sourceName = name;
            String sourceVersion = version;
            String source = s.get("source");
            if (source != null && !source.isEmpty()) {
                // "shadow (1:4.13+dfsg1-1)": the source's own version, when it differs from the binary's (binNMUs)
                int paren = source.indexOf('(');
                if (paren > 0 && source.endsWith(")")) {
                    sourceName = source.substring(0, paren).trim();
                    String v = source.substring(paren + 1, source.length() - 1).trim();
                    if (!v.isEmpty()) {
                        sourceVersion = v;
                    }
                } else {
                    sourceName = source;
                }
            }
            String arch = s.get("architecture");
            out.add(new OsPackage("dpkg", name, version, arch == null || arch.isEmpty() ? null : arch, sourceName,
                    sourceVersion, database));
        }
        return out;
    }

    private static boolean installed(String status) {
        if (status == null) {
            return true;
        }
        String[] words = status.trim().split("\\s+");
        return words.length == 3 && words[2].equals("installed");
    }
}
