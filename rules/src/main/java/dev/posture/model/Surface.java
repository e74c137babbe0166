package dev.posture.model;

import java.util.Locale;

/** Which half of the application a rule looks at. */
public enum Surface {
    SERVERLESS, CONTAINER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Surface parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
