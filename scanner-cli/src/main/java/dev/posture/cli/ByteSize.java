package dev.posture.cli;

import java.util.Locale;

/** Sizes as flags take them: {@code 512m}, {@code 2g}, {@code 300MiB}, {@code 1048576}; binary multiples. */
final class ByteSize {
    private ByteSize() {
    }

    /** The number of bytes, or null when {@code s} is not a size. */
    static Long parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 18) {
            return null;
        }
        long n = Long.parseLong(t.substring(0, i));
        int shift = switch (t.substring(i)) {
            case "", "b" -> 0;
            case "k", "kb", "kib" -> 10;
            case "m", "mb", "mib" -> 20;
            case "g", "gb", "gib" -> 30;
            default -> -1;
        };
        if (shift < 0 || n > (Long.MAX_VALUE >> shift)) {
            return null;
        }
        return n << shift;
    }
}
