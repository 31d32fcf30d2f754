package org.portlens.discovery.linux.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDirectoryTest {

    /** In the format of Debian 12's /etc/passwd, with lines a real file may hold that are not entries. */
    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/bash
            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
            alice:x:1000:1000:Alice Example,,,:/home/alice:/bin/bash
            toor:x:0:0:second root entry:/root:/bin/sh
            broken line without colons
            :x:1001:1001::/home/nobody-name:/bin/sh
            bob:x:notanumber:1002::/home/bob:/bin/sh
            +::::::
            nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
            """;

    @Test
    void parsesPasswdLines() {
        Map<Integer, String> names = UserDirectory.parse(PASSWD);
        assertThat(names)
                .containsEntry(0, "root")
                .containsEntry(1, "daemon")
                .containsEntry(33, "www-data")
                .containsEntry(1000, "alice")
                .containsEntry(65534, "nobody");
    }

    @Test
    void keepsFirstNameForDuplicateUidAsGetpwuidDoes() {
        assertThat(UserDirectory.parse(PASSWD)).containsEntry(0, "root");
    }

    @Test
    void skipsMalformedLines() {
        Map<Integer, String> names = UserDirectory.parse(PASSWD);
        assertThat(names).doesNotContainKey(1001).doesNotContainValue("bob").hasSize(5);
    }

    @Test
    void namesUidFromFile(@TempDir Path dir) throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"), PASSWD);
        UserDirectory users = new UserDirectory(passwd);
        assertThat(users.name(1000)).isEqualTo("alice");
        assertThat(users.name(0)).isEqualTo("root");
    }

    @Test
    void fallsBackToTheNumberForUnknownUid(@TempDir Path dir) throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"), PASSWD);
        assertThat(new UserDirectory(passwd).name(4242)).isEqualTo("4242");
    }

    @Test
    void fallsBackToTheNumberWhenPasswdIsMissing(@TempDir Path dir) {
        assertThat(new UserDirectory(dir.resolve("no-such-passwd")).name(0)).isEqualTo("0");
    }

    @Test
    void readsTheFileOnce(@TempDir Path dir) throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"), PASSWD);
        UserDirectory users = new UserDirectory(passwd);
        assertThat(users.name(1000)).isEqualTo("alice");
        Files.writeString(passwd, "mallory:x:1000:1000::/:/bin/sh\n");
        assertThat(users.name(1000)).isEqualTo("alice");
    }

    @Test
    void givesTheHomeOfAUidWhenItIsAnAbsolutePath(@TempDir Path dir) throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"), PASSWD + "weird:x:2000:2000::relative/home:/bin/sh\n");
        UserDirectory users = new UserDirectory(passwd);
        assertThat(users.home(1000)).hasValue("/home/alice");
        assertThat(users.home(0)).as("the first entry, as for names").hasValue("/root");
        assertThat(users.home(2000)).as("not absolute").isEmpty();
        assertThat(users.home(4242)).isEmpty();
        assertThat(new UserDirectory(dir.resolve("no-such-passwd")).home(0)).isEmpty();
    }
}
