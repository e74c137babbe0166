package dev.posture.image.facts;

import java.util.List;

/**
 * Accounts of the final view. Empty lists when the files are absent (a distroless or scratch image).
 */
public record Accounts(List<User> users, List<Group> groups) {
    public static final Accounts NONE = new Accounts(List.of(), List.of());

    public Accounts {
        users = List.copyOf(users);
        groups = List.copyOf(groups);
    }

    /**
     * One {@code /etc/passwd} line, with its {@code /etc/shadow} password state.
     *
     * @param password "empty" (no password: anyone can log in), "locked" ({@code !…}, {@code *…}), "set" (a hash),
     *                 "unknown" ({@code x} in passwd and no shadow line)
     */
    public record User(String name, long uid, long gid, String home, String shell, String password) {
    }

    /** One {@code /etc/group} line. */
    public record Group(String name, long gid, List<String> members) {
        public Group {
            members = List.copyOf(members);
        }
    }
}
