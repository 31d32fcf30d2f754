package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portlens.internal.Addresses;
import org.portlens.model.Transport;

/**
 * Parses /proc/net files recorded on Debian 12, kernel 6.18.44-fc-v782, x86_64, as root: see
 * src/test/resources/org/portlens/discovery/linux/README.md for how and what each line is.
 */
class ProcNetParserTest {

    static final ProcNetParser.Filter ALL = port -> true;

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(
                ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the fixtures hold a little-endian kernel's hex addresses");
    }

    static String recorded(String name) {
        try (InputStream in = ProcNetParserTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String TCP = recorded("proc-net-tcp.txt");
    static final String TCP6 = recorded("proc-net-tcp6.txt");
    static final String UDP = recorded("proc-net-udp.txt");
    static final String UDP6 = recorded("proc-net-udp6.txt");

    /** The kernel's header line of /proc/net/tcp and tcp6 (tcp6 is wider), as in the recordings. */
    static final String TCP_HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    static final String TCP6_HEADER =
            "  sl  local_address                         remote_address                        st tx_queue rx_queue"
                    + " tr tm->when retrnsmt   uid  timeout inode";

    /**
     * Recorded on the same machine kind (kernel 6.18.44-fc-v657, as root) with a Python listener on
     * 127.0.0.1:3641 that never calls accept() after portlens had probed it three times (42
     * connections waiting), a listener on 3642 that accepts, and connections to both.
     */
    static final String QUEUED = TCP_HEADER + "\n"
            + "   1: 0100007F:0E3A 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11964639 1"
            + " 000000006cf6d7e0 100 0 0 10 0\n"
            + "   2: 0100007F:0E39 00000000:0000 0A 00000000:0000002A 00:00000000 00000000     0        0 11965447 43"
            + " 0000000075c9917c 100 0 0 10 0\n"
            + "   3: 0100007F:0E3A 0100007F:E626 08 00000000:000001D2 00:00000000 00000000     0        0 11965006 1"
            + " 00000000eab41155 20 4 28 10 -1\n"
            + "   4: 0100007F:0E39 0100007F:C308 08 00000000:00000022 00:00000000 00000000     0        0 0 1"
            + " 00000000b930b54a 20 4 28 10 -1\n";

    @Test
    void theAcceptQueueOfAListenerIsItsRxQueue() {
        assertThat(ProcNetParser.acceptQueue(QUEUED, 11965447L)).hasValue(42);
        assertThat(ProcNetParser.acceptQueue(QUEUED, 11964639L)).hasValue(0);
    }

    @Test
    void aConnectionsQueueOrAMissingInodeIsNoAcceptQueue() {
        assertThat(ProcNetParser.acceptQueue(QUEUED, 11965006L)).isEmpty(); // established, not a listener
        assertThat(ProcNetParser.acceptQueue(QUEUED, 1196543L)).isEmpty(); // a prefix of a real inode
        assertThat(ProcNetParser.acceptQueue(QUEUED, 0L)).isEmpty();
        assertThat(ProcNetParser.acceptQueue("", 11965447L)).isEmpty();
        assertThat(ProcNetParser.acceptQueue(
                        TCP_HEADER + "\n   2: 0100007F:0E39 00000000:0000 0A 00000000:zz"
                                + " 00:00000000 00000000     0        0 11965447 43\n",
                        11965447L))
                .isEmpty(); // garbled queue column
    }

    @Test
    void recordingsStartWithTheKernelHeader() {
        assertThat(TCP).startsWith(TCP_HEADER);
        assertThat(TCP6).startsWith(TCP6_HEADER);
    }

    @Test
    void keepsListenersAndCountsEstablished() {
        ProcNetParser.Result r = ProcNetParser.parse(TCP, Transport.TCP, false, ALL);
        assertThat(r.malformed()).isZero();
        assertThat(r.entries()).singleElement().satisfies(e -> {
            assertThat(e.transport()).isEqualTo(Transport.TCP);
            assertThat(e.ipv6()).isFalse();
            assertThat(Addresses.format(e.local())).isEqualTo("127.0.0.1");
            assertThat(e.localPort()).isEqualTo(56441);
            assertThat(e.remotePort()).isZero();
            assertThat(e.state()).isEqualTo(SocketEntry.LISTEN);
            assertThat(e.listening()).isTrue();
            assertThat(e.uid()).isZero();
            assertThat(e.inode()).isEqualTo(1349598L);
        });
        assertThat(r.established()).isEqualTo(2);
        assertThat(r.connectedUdp()).isZero();
    }

    @Test
    void filtersByPort() {
        ProcNetParser.Result onListener = ProcNetParser.parse(TCP, Transport.TCP, false, port -> port == 56441);
        assertThat(onListener.entries()).hasSize(1);
        assertThat(onListener.established())
                .as("only the accepted side has local port 56441")
                .isEqualTo(1);

        ProcNetParser.Result onClient = ProcNetParser.parse(TCP, Transport.TCP, false, port -> port == 35410);
        assertThat(onClient.entries()).isEmpty();
        assertThat(onClient.established()).isEqualTo(1);

        ProcNetParser.Result none = ProcNetParser.parse(TCP, Transport.TCP, false, port -> port == 80);
        assertThat(none.entries()).isEmpty();
        assertThat(none.established()).isZero();
    }

    @Test
    void parsesIpv4MappedAndLoopbackIpv6Listeners() {
        ProcNetParser.Result r = ProcNetParser.parse(TCP6, Transport.TCP, true, ALL);
        assertThat(r.malformed()).isZero();
        assertThat(r.entries()).hasSize(2);
        SocketEntry mapped = r.entries().get(0);
        assertThat(mapped.ipv6()).isTrue();
        assertThat(mapped.local()).hasSize(16);
        assertThat(Addresses.isIpv4Mapped(mapped.local())).isTrue();
        assertThat(Addresses.format(mapped.local())).isEqualTo("::ffff:127.0.0.1");
        assertThat(Addresses.format(Addresses.unmapped(mapped.local()))).isEqualTo("127.0.0.1");
        assertThat(mapped.localPort()).isEqualTo(59737);
        assertThat(mapped.inode()).isEqualTo(1349600L);
        SocketEntry loopback = r.entries().get(1);
        assertThat(Addresses.format(loopback.local())).isEqualTo("::1");
        assertThat(loopback.localPort()).isEqualTo(44077);
        assertThat(loopback.inode()).isEqualTo(1349599L);
        assertThat(r.established()).isEqualTo(2);
    }

    @Test
    void keepsUnconnectedUdpAndCountsConnected() {
        ProcNetParser.Result r = ProcNetParser.parse(UDP, Transport.UDP, false, ALL);
        assertThat(r.malformed()).isZero();
        assertThat(r.entries()).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(SocketEntry.CLOSE);
            assertThat(e.listening()).isTrue();
            assertThat(e.localPort()).isEqualTo(44073);
            assertThat(Addresses.format(e.local())).isEqualTo("127.0.0.1");
            assertThat(e.inode()).isEqualTo(1349605L);
        });
        assertThat(r.connectedUdp()).isEqualTo(1);
        assertThat(r.established())
                .as("UDP is never counted as an established TCP connection")
                .isZero();
    }

    @Test
    void parsesUdp6() {
        ProcNetParser.Result r = ProcNetParser.parse(UDP6, Transport.UDP, true, ALL);
        assertThat(r.entries()).singleElement().satisfies(e -> {
            assertThat(Addresses.format(e.local())).isEqualTo("::1");
            assertThat(e.localPort()).isEqualTo(59776);
            assertThat(e.inode()).isEqualTo(1349607L);
        });
    }

    @Test
    void skipsAndCountsMalformedLines() {
        String[] lines = TCP.split("\n");
        String text = lines[0] + "\n"
                + lines[1] + "\n"
                + "garbage\n"
                + "   7: 0100007G:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1\n"
                + "   8: 0100007F:0050\n"
                + "   9: 0100007F:0051 00000000:0000 0A 00000000:00000000 00:00000000 00000000   abc        0 112 1\n"
                + "  10: 0100007F:0052 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0\n"
                + "  11: 0100007F:0053 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 notinode 1\n"
                + "  12: 0100007F:0054 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 113 1\n"
                + "\n"
                + lines[2] + "\n";
        ProcNetParser.Result r = ProcNetParser.parse(text, Transport.TCP, false, ALL);
        assertThat(r.malformed()).isEqualTo(6);
        assertThat(r.entries()).extracting(SocketEntry::inode).containsExactly(1349598L, 113L);
        assertThat(r.established()).isEqualTo(1);
    }

    @Test
    void countsIpv4LineInTcp6FileAsMalformed() {
        String[] lines = TCP.split("\n");
        ProcNetParser.Result r = ProcNetParser.parse(TCP6_HEADER + "\n" + lines[1] + "\n", Transport.TCP, true, ALL);
        assertThat(r.entries()).isEmpty();
        assertThat(r.malformed()).isEqualTo(1);
    }

    @Test
    void readsEmptyTableAndHeaderOnly() {
        assertThat(ProcNetParser.parse("", Transport.TCP, false, ALL).malformed())
                .isZero();
        ProcNetParser.Result headerOnly = ProcNetParser.parse(TCP_HEADER + "\n", Transport.TCP, false, ALL);
        assertThat(headerOnly.entries()).isEmpty();
        assertThat(headerOnly.malformed()).isZero();
    }

    @Test
    void readsLastLineWithoutNewline() {
        String[] lines = TCP.split("\n");
        ProcNetParser.Result r = ProcNetParser.parse(lines[0] + "\n" + lines[1], Transport.TCP, false, ALL);
        assertThat(r.entries()).hasSize(1);
    }
}
