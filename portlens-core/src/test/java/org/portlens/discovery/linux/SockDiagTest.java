package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.internal.Addresses;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * Reads sock_diag replies recorded from a real kernel (src/test/resources/org/portlens/discovery/linux,
 * README there: Linux 6.18, x86_64, as root), and checks the request against the layout of {@code struct
 * inet_diag_req_v2} in include/uapi/linux/inet_diag.h.
 */
class SockDiagTest {

    /** The datagrams of a recording, one per line of hex. */
    static List<ByteBuffer> recorded(String name) throws IOException {
        try (InputStream in = SockDiagTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            List<ByteBuffer> datagrams = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    datagrams.add(ByteBuffer.wrap(HexFormat.of().parseHex(line.strip())));
                }
            }
            return datagrams;
        }
    }

    /** Feeds every datagram to a reply; asserts the dump ends with the last one. */
    static SockDiag.Reply read(String name, Transport t, int seq, Optional<PortRange> ports) throws IOException {
        SockDiag.Reply reply = new SockDiag.Reply(t, seq, ports);
        List<ByteBuffer> datagrams = recorded(name);
        for (int i = 0; i < datagrams.size(); i++) {
            assertThat(reply.accept(datagrams.get(i)))
                    .as("done after datagram " + (i + 1) + " of " + datagrams.size())
                    .isEqualTo(i == datagrams.size() - 1);
        }
        return reply;
    }

    private static String local(SocketEntry e) {
        return Addresses.format(e.local()) + ":" + e.localPort();
    }

    @Test
    void readsTcpListenersAndCountsEstablishedConnections() throws IOException {
        SockDiag.Reply r = read("sock-diag-tcp4.hex", Transport.TCP, 1, Optional.empty());
        assertThat(r.listening()).extracting(SockDiagTest::local).containsExactly("0.0.0.0:46849", "127.0.0.1:35085");
        assertThat(r.listening()).extracting(SocketEntry::inode).containsExactly(6281822L, 6281821L);
        SocketEntry e = r.listening().get(1);
        assertThat(e.transport()).isEqualTo(Transport.TCP);
        assertThat(e.ipv6()).isFalse();
        assertThat(e.local()).containsExactly(127, 0, 0, 1);
        assertThat(e.remote()).containsExactly(0, 0, 0, 0);
        assertThat(e.remotePort()).isZero();
        assertThat(e.state()).isEqualTo(SocketEntry.LISTEN);
        assertThat(e.uid()).isZero();
        assertThat(e.listening()).isTrue();
        assertThat(r.established()).isEqualTo(2);
        assertThat(r.connectedUdp()).isZero();
    }

    @Test
    void readsIpv6ListenersWithSixteenByteAddresses() throws IOException {
        SockDiag.Reply r = read("sock-diag-tcp6.hex", Transport.TCP, 2, Optional.empty());
        assertThat(r.listening())
                .extracting(SockDiagTest::local)
                .containsExactlyInAnyOrder("::1:56671", "::ffff:127.0.0.1:41673");
        assertThat(r.listening()).allSatisfy(e -> {
            assertThat(e.ipv6()).isTrue();
            assertThat(e.local()).hasSize(16);
            assertThat(e.remote()).hasSize(16);
        });
        assertThat(r.listening()).extracting(SocketEntry::inode).containsExactlyInAnyOrder(6281823L, 6281824L);
        assertThat(r.established()).isEqualTo(2);
    }

    @Test
    void anUnconnectedUdpSocketListensAndAConnectedOneIsCounted() throws IOException {
        SockDiag.Reply r = read("sock-diag-udp4.hex", Transport.UDP, 3, Optional.empty());
        assertThat(r.listening()).singleElement().satisfies(e -> {
            assertThat(local(e)).isEqualTo("127.0.0.1:57243");
            assertThat(e.state()).isEqualTo(SocketEntry.CLOSE);
            assertThat(e.remotePort()).isZero();
            assertThat(e.inode()).isEqualTo(6281829L);
            assertThat(e.listening()).isTrue();
        });
        assertThat(r.connectedUdp()).isEqualTo(1);
        assertThat(r.established()).isZero();

        SockDiag.Reply r6 = read("sock-diag-udp6.hex", Transport.UDP, 4, Optional.empty());
        assertThat(r6.listening()).extracting(SockDiagTest::local).containsExactly(":::41583");
        assertThat(r6.listening().get(0).inode()).isEqualTo(6281831L);
    }

    @Test
    void readsADumpSpreadOverSeveralDatagrams() throws IOException {
        assertThat(recorded("sock-diag-tcp4-multipart.hex")).hasSize(3);
        SockDiag.Reply r = read("sock-diag-tcp4-multipart.hex", Transport.TCP, 5, Optional.empty());
        assertThat(r.listening()).hasSize(82);
        assertThat(r.listening()).extracting(SocketEntry::inode).doesNotHaveDuplicates();
        assertThat(r.listening()).allSatisfy(e -> assertThat(e.state()).isEqualTo(SocketEntry.LISTEN));
    }

    @Test
    void keepsOnlyTheAskedPortsAndCountsOnlyThere() throws IOException {
        SockDiag.Reply r = read("sock-diag-tcp4.hex", Transport.TCP, 1, Optional.of(PortRange.of(35085)));
        assertThat(r.listening()).extracting(SockDiagTest::local).containsExactly("127.0.0.1:35085");
        assertThat(r.established())
                .as("the accepted side, not the client's ephemeral port")
                .isEqualTo(1);
    }

    @Test
    void anErrorBeforeTheDumpIsReportedWithItsErrno() throws IOException {
        SockDiag.Reply r = new SockDiag.Reply(Transport.TCP, 6, Optional.empty());
        ByteBuffer d = recorded("sock-diag-error.hex").get(0);
        assertThatThrownBy(() -> r.accept(d)).isInstanceOf(IOException.class).hasMessageContaining("errno 22");
    }

    @Test
    void aDumpThatFailsSaysSoInItsDoneMessage() throws IOException {
        SockDiag.Reply r = new SockDiag.Reply(Transport.TCP, 7, Optional.empty());
        ByteBuffer d = recorded("sock-diag-done-error.hex").get(0);
        assertThatThrownBy(() -> r.accept(d)).isInstanceOf(IOException.class).hasMessageContaining("errno 2");
    }

    @Test
    void aMessageCutOffIsAnErrorNotAShorterList() throws IOException {
        ByteBuffer whole = recorded("sock-diag-tcp4.hex").get(0);
        for (int cut : new int[] {10, 16 + 40, whole.limit() - 3}) {
            ByteBuffer part = whole.duplicate().limit(cut);
            SockDiag.Reply r = new SockDiag.Reply(Transport.TCP, 1, Optional.empty());
            assertThatThrownBy(() -> r.accept(part))
                    .as("cut at " + cut)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cut off");
        }
        // a header whose length says less than the socket message needs
        ByteBuffer shortened = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        shortened
                .putInt(0, 32)
                .putShort(4, (short) SockDiag.SOCK_DIAG_BY_FAMILY)
                .putInt(8, 1);
        assertThatThrownBy(() -> new SockDiag.Reply(Transport.TCP, 1, Optional.empty()).accept(shortened))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("socket message cut off");
    }

    @Test
    void skipsMessagesOfAnotherRequest() throws IOException {
        SockDiag.Reply r = new SockDiag.Reply(Transport.TCP, 99, Optional.empty());
        assertThat(r.accept(recorded("sock-diag-tcp4.hex").get(0))).isFalse();
        assertThat(r.listening()).isEmpty();
    }

    @Test
    void theRequestFollowsTheKernelLayout() {
        ByteBuffer b =
                SockDiag.request(Transport.UDP, true, Optional.empty(), 42).order(ByteOrder.nativeOrder());
        assertThat(b.remaining()).isEqualTo(16 + 56);
        assertThat(b.getInt(0)).as("nlmsg_len").isEqualTo(72);
        assertThat(b.getShort(4)).as("nlmsg_type").isEqualTo((short) 20);
        assertThat(b.getShort(6)).as("nlmsg_flags").isEqualTo((short) 0x301);
        assertThat(b.getInt(8)).as("nlmsg_seq").isEqualTo(42);
        assertThat(b.get(16)).as("sdiag_family").isEqualTo((byte) 10);
        assertThat(b.get(17)).as("sdiag_protocol").isEqualTo((byte) 17);
        assertThat(b.getInt(20)).as("idiag_states: TCP_CLOSE").isEqualTo(1 << 7);
        for (int i = 24; i < 72; i++) {
            assertThat(b.get(i)).as("sockid byte " + i).isZero();
        }
    }

    @Test
    void aRequestForPortsCarriesAFilterAndAsksForConnectionsToo() {
        ByteBuffer b = SockDiag.request(Transport.TCP, false, Optional.of(new PortRange(80, 443)), 1)
                .order(ByteOrder.nativeOrder());
        assertThat(b.remaining()).isEqualTo(16 + 56 + 4 + 16);
        assertThat(b.getInt(0)).isEqualTo(92);
        assertThat(b.getInt(20)).as("LISTEN|ESTABLISHED").isEqualTo(1 << 10 | 1 << 1);
        assertThat(b.getShort(72)).as("rta_len").isEqualTo((short) 20);
        assertThat(b.getShort(74)).as("INET_DIAG_REQ_BYTECODE").isEqualTo((short) 1);
        // {S_GE, yes 8, no 20}{port 80} {S_LE, yes 8, no 12}{port 443}
        assertThat(new int[] {b.get(76), b.get(77), b.getShort(78), b.getShort(82)})
                .containsExactly(2, 8, 20, 80);
        assertThat(new int[] {b.get(84), b.get(85), b.getShort(86), b.getShort(90)})
                .containsExactly(3, 8, 12, 443);
    }
}
