package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portlens.probe.Fakes.latin1;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portlens.model.Transport;
import org.portlens.probe.Fakes.TcpServer;

/** The prober through a fake {@link Connector}: connections counted, and failures real sockets rarely give. */
class ProberConnectorTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeFakes() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** Connects for real the first {@code succeed} times, then refuses; remembers every call. */
    private static final class FakeConnector implements Connector {
        private final int succeed;
        private final List<InetSocketAddress> calls = new CopyOnWriteArrayList<>();

        FakeConnector(int succeed) {
            this.succeed = succeed;
        }

        @Override
        public Socket connect(InetSocketAddress address, Duration timeout) throws IOException {
            calls.add(address);
            if (calls.size() > succeed) {
                throw new ConnectException("Connection refused (fake)");
            }
            return Connector.SYSTEM.connect(address, timeout);
        }
    }

    private InetSocketAddress server(Fakes.Handler h) throws IOException {
        TcpServer s = new TcpServer(h);
        open.add(s);
        return s.address();
    }

    private static Prober prober(Connector c) {
        return Prober.builder().options(ProberTest.FAST).connector(c).build();
    }

    @Test
    void refusedSecondConnectionKeepsTheBannerTheFirstOneSaw() throws Exception {
        FakeConnector once = new FakeConnector(1);
        InetSocketAddress a = server(s -> {
            OutputStream out = s.getOutputStream();
            out.write(latin1("XYZZY 1.0 ready\r\n"));
            out.flush();
            Fakes.stayQuiet(s);
        });

        Wire r = prober(once).probe(a, Transport.TCP, Hints.none());

        assertThat(once.calls).containsExactly(a, a);
        assertThat(r.outcome()).isEqualTo(Wire.Outcome.UNKNOWN);
        assertThat(r.tried()).containsExactly("banner");
        assertThat(r.details()).containsEntry("received", "17 bytes").containsEntry("probe", "banner");
        assertThat(r.firstBytes()).isEqualTo("XYZZY 1.0 ready\\r\\n");
    }

    @Test
    void refusedSecondConnectionOfASilentServerIsTheLastError() throws Exception {
        FakeConnector once = new FakeConnector(1);

        Wire r = prober(once).probe(server(Fakes::stayQuiet), Transport.TCP, Hints.none());

        // the silent banner connection carried http-get; the next probe could not connect
        assertThat(once.calls).hasSize(2);
        assertThat(r.outcome()).isEqualTo(Wire.Outcome.NONE);
        assertThat(r.tried()).containsExactly("banner", "http-get");
        assertThat(r.error()).isEqualTo("no response to any probe (2 tried)");
        assertThat(r.details())
                .containsEntry("silent", "1 probes unanswered within 200 ms")
                .containsEntry("last-error", "connection refused");
    }

    @Test
    void refusedFirstConnectionIsConnectionRefusedWithNothingTried() {
        FakeConnector never = new FakeConnector(0);

        Wire r = prober(never).probe(new InetSocketAddress("127.0.0.1", 9), Transport.TCP, Hints.none());

        assertThat(never.calls).hasSize(1);
        assertThat(r.error()).isEqualTo("connection refused");
        assertThat(r.tried()).isEmpty();
    }

    @Test
    void theSilentBannerConnectionIsReusedByTheFirstProbe() throws Exception {
        FakeConnector counting = new FakeConnector(Integer.MAX_VALUE);

        Wire r = prober(counting).probe(server(Fakes::stayQuiet), Transport.TCP, Hints.none());

        assertThat(r.tried()).startsWith("banner", "http-get").hasSizeGreaterThan(2);
        // one connection for the banner wait and http-get together, then one per probe
        assertThat(counting.calls).hasSize(r.tried().size() - 1);
    }

    @Test
    void udpDoesNotGoThroughTheConnector() throws Exception {
        FakeConnector never = new FakeConnector(0);
        try (Fakes.UdpServer udp = new Fakes.UdpServer(ProberTest::dnsAnswer)) {
            Wire r = prober(never).probe(udp.address(), Transport.UDP, Hints.none());

            assertThat(r.protocol()).isEqualTo("dns");
        }
        assertThat(never.calls).isEmpty();
    }

    @Test
    void probeAllGivesEveryTargetAResultEvenWhenOneProbeFailsUnexpectedly() throws IOException {
        InetSocketAddress good = server(s -> {
            OutputStream out = s.getOutputStream();
            out.write(latin1("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"));
            out.flush();
            Fakes.stayQuiet(s);
        });
        InetSocketAddress bad = new InetSocketAddress("127.0.0.1", 9);
        Connector throwsForBad = (address, timeout) -> {
            if (address.equals(bad)) {
                throw new IllegalStateException("a connector bug");
            }
            return Connector.SYSTEM.connect(address, timeout);
        };
        Hints none = Hints.none();
        List<Wire> wires = prober(throwsForBad)
                .probeAll(
                        List.of(
                                new Prober.Target(bad, Transport.TCP, none),
                                new Prober.Target(good, Transport.TCP, none),
                                new Prober.Target(good, Transport.TCP, none)),
                        1);

        assertThat(wires).hasSize(3);
        assertThat(wires.get(0).outcome()).isEqualTo(Wire.Outcome.NONE);
        assertThat(wires.get(0).error()).contains("probe failed").contains("a connector bug");
        assertThat(wires.get(1).protocol()).isEqualTo("ssh");
        assertThat(wires.get(2).protocol()).isEqualTo("ssh");
    }
}
