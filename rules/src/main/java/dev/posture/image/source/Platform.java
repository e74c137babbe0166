package dev.posture.image.source;

import java.util.Locale;

/** {@code os/architecture[/variant]}, as {@code --platform} and OCI indexes write it. */
public record Platform(String os, String architecture, String variant) {
    public static final Platform DEFAULT = new Platform("linux", "amd64", null);

    public static Platform parse(String s) {
        String[] p = s.trim().toLowerCase(Locale.ROOT).split("/");
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
            throw new IllegalArgumentException("platform '" + s + "' is not os/architecture[/variant]");
        }
        return new Platform(p[0], p[1], p.length == 3 && !p[2].isEmpty() ? p[2] : null);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
