package org.portlens.discovery.macos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.command.SocketRow;
import org.portlens.model.Transport;
import org.portlens.testkit.Fixtures;

class LsofFieldsTest {

    private static LsofFields.Result recorded(String name) {
        return LsofFields.parse(Fixtures.text("/org/portlens/discovery/" + name));
    }

    @Test
    void readsARealLsofRecording() {
        LsofFields.Result r = recorded("lsof/lsof-linux-root.bin");
        assertThat(r.malformed()).isZero();
        assertThat(r.processes()).hasSize(1);
        LsofFields.LsofProcess p = r.processes().values().iterator().next();
        assertThat(p.command()).isEqualTo("python3");
        assertThat(p.uid()).isZero();
        assertThat(p.login()).isEqualTo("root");
        assertThat(r.sockets())
                .extracting(s -> s.transport() + " " + s.address() + " " + s.port() + " " + s.ipv6() + " " + s.state()
                        + " fd" + s.fd())
                .containsExactly(
                        "TCP 127.0.0.1 3640 false LISTEN fd3",
                        "TCP :: 3640 true LISTEN fd4",
                        "UDP ::1 5353 true UDP_OPEN fd5",
                        "UDP 0.0.0.0 5354 false UDP_OPEN fd6",
                        "UDP 127.0.0.1 39446 false UDP_CONNECTED fd7",
                        "TCP 127.0.0.1 57300 false ESTABLISHED fd8",
                        "TCP 127.0.0.1 3640 false ESTABLISHED fd9");
        assertThat(r.sockets()).allMatch(s -> s.pid() == p.pid());
    }

    @Test
    void aSetCutShortAFileBeforeAnyProcessAndABadPidAreCountedNotFatal() {
        String out = "f3\0tIPv4\0PTCP\0n*:80\0TST=LISTEN\0\n" // a file before any process
                + "pabc\0cx\0\n" // a pid that is no number
                + "p12\0cnginx\0u0\0Lroot\0\n"
                + "f6\0tIPv4\0PTCP\0n*:80\0TST=LISTEN\0Zodd\0\n" // an unknown letter is ignored
                + "f7\0tIPv6\0PTCP\0n[::1]:8080\0TST=LIS"; // cut short
        LsofFields.Result r = LsofFields.parse(out);
        assertThat(r.malformed()).isEqualTo(3);
        assertThat(r.sockets())
                .containsExactly(new SocketRow(
                        Transport.TCP,
                        "0.0.0.0",
                        80,
                        false,
                        SocketRow.State.LISTEN,
                        12,
                        6,
                        SocketRow.DualStack.UNKNOWN));
    }

    @Test
    void anUnboundSocketIsPassedOverQuietly() {
        LsofFields.Result r = LsofFields.parse("p1\0cx\0\nf3\0tIPv4\0PUDP\0n*:*\0\n");
        assertThat(r.sockets()).isEmpty();
        assertThat(r.malformed()).isZero();
    }

    @Test
    void namesKeepTheirBytes() {
        byte[] raw = "p7\0cZürich srv\0u501\0Lalice\0\n".getBytes(StandardCharsets.UTF_8);
        LsofFields.Result r = LsofFields.parse(new String(raw, StandardCharsets.UTF_8));
        assertThat(r.processes().get(7).command()).isEqualTo("Zürich srv");
        assertThat(r.processes().get(7).uid()).isEqualTo(501);
    }
}
