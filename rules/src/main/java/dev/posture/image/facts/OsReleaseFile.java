package dev.posture.image.facts;

import java.util.HashMap;
import java.util.Map;

/** Stand-in for the os-release parser (replaced by the real one on merge): KEY=value, quotes stripped. */
public final class OsReleaseFile {
    private OsReleaseFile() {
    }

    public static OsRelease parse(String text, String path) {
        Map<String, String> f = new HashMap<>();
        for (String line : text.split("\\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                String v = line.substring(eq + 1).trim();
                if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
                    v = v.substring(1, v.length() - 1);
                }
                f.put(line.substring(0, eq).trim(), v);
            }
        }
        return new OsRelease(f.get("ID"), f.get("ID_LIKE"), f.get("VERSION_ID"), f.get("VERSION_CODENAME"),
                f.get("PRETTY_NAME"), path);
    }
}
