package dev.posture.image.facts;

import dev.posture.image.facts.Accounts.Group;
import dev.posture.image.facts.Accounts.User;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AccountFilesTest {

    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/bash
            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
            app::1000:1000:no password at all:/app:/bin/sh
            legacy:$6$salt$hashhashhash:1001:1001::/home/legacy:/bin/sh
            starred:*:1002:1002::/home/starred:/bin/false
            ghost:x:1003:1003::/home/ghost:/bin/sh
            toor:x:0:0:second root:/root:/bin/sh
            +nisuser::::::
            -baduser:x:1:1::/:/bin/sh
            +
            # a comment
            broken:x:notanumber:1::/:/bin/sh
            short:x:5
            negative:x:-1:1::/:/bin/sh
            huge:x:4294967296:1::/:/bin/sh
            :x:7:7::/:/bin/sh
            noshell:x:1004:1004::/home/noshell
            """;

    static final String SHADOW = """
            root:*:19700:0:99999:7:::
            daemon:!:19700:0:99999:7:::
            nobody:!*:19700:0:99999:7:::
            toor::19700:0:99999:7:::
            legacy:ignored-because-passwd-has-the-hash:19700::::::
            noshell:$y$j9T$abc$def:19700:0:99999:7:::
            noshell:::::::: 
            +::::::::
            """;

    static final String GROUP = """
            root:x:0:
            sudo:x:27:alice,bob
            docker:x:999: alice , ,bob,
            wheel:x:10
            +:::
            bad:x:x:alice
            """;

    @Test
    void usersWithPasswordStateFromShadow() {
        Accounts a = AccountFiles.parse(PASSWD, SHADOW, GROUP);
        assertThat(a.users()).extracting(User::name).containsExactly("root", "daemon", "nobody", "app", "legacy",
                "starred", "ghost", "toor", "noshell");
        assertThat(a.users().get(0)).isEqualTo(new User("root", 0, 0, "/root", "/bin/bash", "locked"));
        assertThat(a.users()).extracting(User::name, User::password).containsExactly(
                tuple("root", "locked"), tuple("daemon", "locked"), tuple("nobody", "locked"),
                tuple("app", "empty"),        // "" in passwd: no password
                tuple("legacy", "set"),       // the hash is in passwd itself
                tuple("starred", "locked"),
                tuple("ghost", "unknown"),    // x without a shadow line
                tuple("toor", "empty"),       // x and an empty shadow password: anyone can log in as uid 0
                tuple("noshell", "set"));     // the first shadow line of a name counts
        assertThat(a.users().get(2).uid()).isEqualTo(65534);
        assertThat(a.users().get(8).shell()).isEmpty();
    }

    @Test
    void groupsWithMembers() {
        List<Group> g = AccountFiles.parse(PASSWD, SHADOW, GROUP).groups();
        assertThat(g).containsExactly(new Group("root", 0, List.of()), new Group("sudo", 27, List.of("alice", "bob")),
                new Group("docker", 999, List.of("alice", "bob")), new Group("wheel", 10, List.of()));
    }

    @Test
    void absentFiles() {
        assertThat(AccountFiles.parse(null, null, null)).isEqualTo(Accounts.NONE);
        Accounts noShadow = AccountFiles.parse(PASSWD, null, null);
        assertThat(noShadow.users().get(0).password()).isEqualTo("unknown");
        assertThat(noShadow.users().get(3).password()).isEqualTo("empty");
        assertThat(noShadow.groups()).isEmpty();
        assertThat(AccountFiles.parse(null, SHADOW, GROUP).users()).isEmpty();
    }

    @Test
    void crlf() {
        Accounts a = AccountFiles.parse("root:x:0:0:root:/root:/bin/sh\r\n", "root::1::::::\r\n", "adm:x:4:syslog\r\n");
        assertThat(a.users()).containsExactly(new User("root", 0, 0, "/root", "/bin/sh", "empty"));
        assertThat(a.groups()).containsExactly(new Group("adm", 4, List.of("syslog")));
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
