package dev.posture.image.facts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Stand-in for the account files parser (replaced by the real one on merge): colon-separated lines. */
public final class AccountFiles {
    private AccountFiles() {
    }

    public static Accounts parse(String passwd, String shadow, String group) {
        Map<String, String> hashes = new HashMap<>();
        for (String[] f : lines(shadow)) {
            if (f.length > 1) {
                hashes.put(f[0], f[1]);
            }
        }
        List<Accounts.User> users = new ArrayList<>();
        for (String[] f : lines(passwd)) {
            if (f.length >= 7) {
                String pw = f[1].equals("x") ? hashes.get(f[0]) : f[1];
                String state = pw == null ? "unknown" : pw.isEmpty() ? "empty"
                        : pw.startsWith("!") || pw.startsWith("*") ? "locked" : "set";
                users.add(new Accounts.User(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), f[5], f[6], state));
            }
        }
        List<Accounts.Group> groups = new ArrayList<>();
        for (String[] f : lines(group)) {
            if (f.length >= 3) {
                List<String> members = f.length > 3 && !f[3].isEmpty() ? Arrays.asList(f[3].split(",")) : List.of();
                groups.add(new Accounts.Group(f[0], Long.parseLong(f[2]), members));
            }
        }
        return new Accounts(users, groups);
    }

    private static List<String[]> lines(String text) {
        List<String[]> out = new ArrayList<>();
        if (text != null) {
            for (String line : text.split("\\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.split(":", -1));
                }
            }
        }
        return out;
    }
}
