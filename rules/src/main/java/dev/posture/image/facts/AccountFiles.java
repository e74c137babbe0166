package dev.posture.image.facts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code /etc/passwd}, {@code /etc/shadow} and {@code /etc/group}. */
public final class AccountFiles {
    private AccountFiles() {
    }

    /**
     * Users (from passwd, with their shadow password state) and groups. Each file may be null (absent): no passwd
     * means no users, no group file no groups; no shadow makes every {@code x} password "unknown". Lines that cannot
     * be read (too few fields, an id that is not a number, an empty name), comments and NIS compat lines
     * ({@code +}/{@code -}) are skipped. CRLF line ends are tolerated.
     */
    public static Accounts parse(String passwd, String shadow, String group) {
        Map<String, String> shadowPasswords = shadow == null ? Map.of() : shadowPasswords(shadow);
        List<Accounts.User> users = new ArrayList<>();
        for (String[] f : records(passwd, 6)) {
            long uid = id(f[2]);
            long gid = id(f[3]);
            if (uid < 0 || gid < 0) {
                continue;
            }
            // a line without its shell field is still an account (login uses /bin/sh): leniency here keeps a
            // damaged root line visible to the policies instead of hiding it
            String shell = f.length > 6 ? f[6] : "";
            users.add(new Accounts.User(f[0], uid, gid, f[5], shell, password(f[1], shadowPasswords.get(f[0]))));
        }
        List<Accounts.Group> groups = new ArrayList<>();
        for (String[] f : records(group, 3)) {
            long gid = id(f[2]);
            if (gid < 0) {
                continue;
            }
            List<String> members = new ArrayList<>();
            if (f.length > 3) {
                for (String m : f[3].split(",")) {
                    if (!m.isBlank()) {
                        members.add(m.trim());
                    }
                }
            }
            groups.add(new Accounts.Group(f[0], gid, members));
        }
        return new Accounts(users, groups);
    }

    /**
     * The password state of a passwd entry: {@code ""} is "empty"; {@code x} defers to shadow ("unknown" without a
     * shadow line); {@code !…} or {@code *…} is "locked" (no password can match); anything else is a hash, "set".
     */
    static String password(String passwdField, String shadowField) {
        if (passwdField.equals("x")) {
            return shadowField == null ? "unknown" : state(shadowField);
        }
        return state(passwdField);
    }

    private static String state(String field) {
        if (field.isEmpty()) {
            return "empty";
        }
        return field.startsWith("!") || field.startsWith("*") ? "locked" : "set";
    }

    /** name → password field of each shadow line; the first line of a name wins, as in glibc's getspnam. */
    private static Map<String, String> shadowPasswords(String shadow) {
        Map<String, String> out = new HashMap<>();
        for (String[] f : records(shadow, 2)) {
            out.putIfAbsent(f[0], f[1]);
        }
        return out;
    }

    /** The colon-separated fields of each usable line: at least {@code minFields}, a non-empty name. */
    private static List<String[]> records(String text, int minFields) {
        List<String[]> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String raw : text.split("\n")) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isBlank() || line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) {
                continue;
            }
            String[] f = line.split(":", -1);
            if (f.length >= minFields && !f[0].isEmpty()) {
                out.add(f);
            }
        }
        return out;
    }

    /** A uid or gid, or -1 when the field is not a number in 0..2^32-1. */
    private static long id(String s) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        long v = Long.parseLong(s);
        return v > 0xFFFF_FFFFL ? -1 : v;
    }
}
