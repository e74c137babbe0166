package dev.posture.image.facts;

import java.util.ArrayList;
import java.util.List;

/** apk's database of installed packages, {@code /lib/apk/db/installed}. */
public final class ApkInstalled {
    private ApkInstalled() {
    }

    /**
     * Every package of the database, in file order: {@code P:} name, {@code V:} version, {@code A:} architecture,
     * {@code o:} origin (the source package; the name when absent). apk keeps only installed packages here. Records are
     * separated by empty lines; records without {@code P:} or {@code V:} are skipped. CRLF line ends are tolerated.
     *
     * @param database the file's path in the image, recorded in each package
     */
    public static List<OsPackage> parse(String text, String database) {
        List<OsPackage> out = new ArrayList<>();
        String name = null;
        String version = null;
        String arch = null;
        String origin = null;
        for (String raw : text.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) {
                add(out, name, version, arch, origin, database);
                name = version = arch = origin = null;
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != ':') {
                continue;
            }
            String value = line.substring(2).trim();
            switch (line.charAt(0)) {
                case 'P' -> name = value;
                case 'V' -> version = value;
                case 'A' -> arch = value;
                case 'o' -> origin = value;
                default -> {
                    // checksums, files (F:, R:), dependencies: not package identity
                }
            }
        }
        add(out, name, version, arch, origin, database);
        return out;
    }

    private static void add(List<OsPackage> out, String name, String version, String arch, String origin,
                            String database) {
        if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
            return;
        }
        out.add(new OsPackage("apk", name, version, arch == null || arch.isEmpty() ? null : arch,
                origin == null || origin.isEmpty() ? name : origin, version, database));
    }
}
