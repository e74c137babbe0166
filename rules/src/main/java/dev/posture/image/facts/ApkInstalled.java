package dev.posture.image.facts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Stand-in for the apk database parser (replaced by the real one on merge): stanzas of "K:value". */
public final class ApkInstalled {
    private ApkInstalled() {
    }

    public static List<OsPackage> parse(String text, String database) {
        List<OsPackage> out = new ArrayList<>();
        for (String stanza : text.split("\\n\\s*\\n")) {
            Map<String, String> f = new HashMap<>();
            for (String line : stanza.split("\\n")) {
                if (line.length() > 1 && line.charAt(1) == ':') {
                    f.put(line.substring(0, 1), line.substring(2));
                }
            }
            if (f.containsKey("P")) {
                String version = f.getOrDefault("V", "");
                out.add(new OsPackage("apk", f.get("P"), version, f.get("A"), f.getOrDefault("o", f.get("P")),
                        version, database));
            }
        }
        return out;
    }
}
