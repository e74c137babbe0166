package dev.posture.image.facts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Stand-in for the dpkg status parser (replaced by the real one on merge): stanzas of "Field: value". */
public final class DpkgStatus {
    private DpkgStatus() {
    }

    public static List<OsPackage> parse(String text, String database) {
        List<OsPackage> out = new ArrayList<>();
        for (String stanza : text.split("\\n\\s*\\n")) {
            Map<String, String> f = new HashMap<>();
            for (String line : stanza.split("\\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
                    f.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
            String name = f.get("Package");
            String status = f.getOrDefault("Status", "install ok installed");
            if (name == null || !status.endsWith(" installed")) {
                continue;
            }
            String version = f.getOrDefault("Version", "");
            String source = f.getOrDefault("Source", name);
            String sourceVersion = version;
            int paren = source.indexOf(" (");
            if (paren > 0) {
                sourceVersion = source.substring(paren + 2, source.length() - 1);
                source = source.substring(0, paren);
            }
            out.add(new OsPackage("dpkg", name, version, f.get("Architecture"), source, sourceVersion, database));
        }
        return out;
    }
}
