package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link LocalAddresses} on a recorded fib_trie and if_inet6 (README beside the fixtures). */
class LocalAddressesTest {

    private static String recorded(String name) throws IOException {
        try (InputStream in = LocalAddressesTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheLocalAddressesOfANamespace() throws IOException {
        assertThat(LocalAddresses.parse(recorded("fib_trie.txt"), recorded("if_inet6.txt")))
                .containsExactly("127.0.0.1", "192.0.2.2", "fe80::fc:ff:fe00:1", "::1", "fd00::2");
    }

    @Test
    void aNetworkOrBroadcastLeafIsNotLocalAndBadLinesAreSkipped() {
        String trie = """
                Main:
                  +-- 10.213.0.0/24 2 0 2
                     |-- 10.213.0.0
                        /24 link UNICAST
                     |-- 10.213.0.2
                        /32 host LOCAL
                     |-- 10.213.0.255
                        /32 link BROADCAST
                Local:
                     |-- 10.213.0.2
                        /32 host LOCAL
                garbage
                """;
        String inet6 = "not an address 02 40\nfe8000000000000000fc00fffe00000 01\n";
        assertThat(LocalAddresses.parse(trie, inet6)).containsExactly("10.213.0.2");
        assertThat(LocalAddresses.parse("", "")).isEmpty();
    }
}
