package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

    @TempDir
    Path config;

    @Test
    void parsesBindAddressesWithoutLookingUpNames() {
        InetSocketAddress a = ServeCommand.bindAddress("127.0.0.1:13640");
        assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(a.getPort()).isEqualTo(13640);
        assertThat(ServeCommand.bindAddress("[::1]:0").getAddress().isLoopbackAddress())
                .isTrue();
        assertThat(ServeCommand.bindAddress("localhost:8080").getAddress().isLoopbackAddress())
                .isTrue();
        assertThat(ServeCommand.bindAddress("0.0.0.0:80").getAddress().isAnyLocalAddress())
                .isTrue();
        assertThatThrownBy(() -> ServeCommand.bindAddress("example.com:80"))
                .hasMessageContaining("must be an IP address or localhost, got 'example.com'");
        assertThatThrownBy(() -> ServeCommand.bindAddress("::1:80")).hasMessageContaining("in brackets");
        assertThatThrownBy(() -> ServeCommand.bindAddress("[::1]")).hasMessageContaining("has no port");
        assertThatThrownBy(() -> ServeCommand.bindAddress("1.2.3.4")).hasMessageContaining("expected ADDR:PORT");
        assertThatThrownBy(() -> ServeCommand.bindAddress("1.2.3.4:99999")).hasMessageContaining("0-65535");
    }

    @Test
    void offLoopbackATokenIsMadeOnceSavedPrivatelyAndReused() throws Exception {
        StringWriter err = new StringWriter();
        String first = ServeCommand.token(null, null, false, config, new PrintWriter(err, true));
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(err.toString())
                .contains(first)
                .contains(config.resolve("serve-token").toString());
        Path saved = config.resolve("serve-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)))
                .isEqualTo("rw-------");
        StringWriter again = new StringWriter();
        assertThat(ServeCommand.token(null, null, false, config, new PrintWriter(again, true)))
                .isEqualTo(first);
        assertThat(again.toString()).as("a kept token is not printed again").isEmpty();
    }

    @Test
    void theEnvironmentWinsThenTheFileAndLoopbackNeedsNone() throws Exception {
        PrintWriter err = new PrintWriter(new StringWriter());
        Path file = Files.writeString(config.resolve("t"), "from-the-file-0123456\n");
        assertThat(ServeCommand.token("from-the-env-0123456", file, false, config, err))
                .isEqualTo("from-the-env-0123456");
        assertThat(ServeCommand.token(null, file, true, config, err)).isEqualTo("from-the-file-0123456");
        assertThat(ServeCommand.token(null, null, true, config, err)).isNull();
        assertThat(config.resolve("serve-token")).doesNotExist();
        assertThatThrownBy(() -> ServeCommand.token("short", null, true, config, err))
                .hasMessageContaining("$PORTLENS_TOKEN must be 16-512 characters of A-Z a-z 0-9");
        assertThatThrownBy(() -> ServeCommand.token("abcdefghijklmnop;Max-Age=0", null, true, config, err))
                .hasMessageContaining("with others among them");
        assertThatThrownBy(() -> ServeCommand.token(null, config.resolve("missing"), true, config, err))
                .hasMessageContaining("cannot read it");
    }
}
