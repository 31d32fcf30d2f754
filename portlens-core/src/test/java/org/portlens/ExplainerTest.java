package org.portlens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.findings.Finding;
import org.portlens.model.BindScope;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;
import org.portlens.probe.ProbeOptions;
import org.portlens.probe.Prober;
import org.portlens.probe.Wire;

/** The explainer puts registry, socket table and wire together: which listener is probed, and why not. */
class ExplainerTest {

    static final NetNamespace HOST = new NetNamespace(1, "", true);
    static final NetNamespace BLUE = new NetNamespace(2, "blue", false);

    static Listener listener(int port, NetNamespace ns) {
        ProcessInfo p = new ProcessInfo(
                42,
                1,
                "server",
                "/usr/bin/server",
                List.of("server"),
                0,
                "root",
                Instant.EPOCH,
                "/",
                List.of(),
                Source.unknown("test"),
                "",
                List.of());
        return new Listener(
                Transport.TCP,
                new Endpoint("127.0.0.1", port, false, BindScope.LOOPBACK, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                0,
                "root",
                7,
                ns,
                List.of(new Owner.Known(p, 3)));
    }

    /** A socket table that always answers the same listeners, whatever the query. */
    static SocketTable fixed(Listener... listeners) {
        return new SocketTable() {
            @Override
            public Discovery read(Query query) {
                return new Discovery(List.of(listeners), 0, 0, new Coverage(true, 1, 0, 0, 0, 0, 0, List.of()));
            }
        };
    }

    /** A loopback server of this test that answers every connection like an HTTP server. */
    static ServerSocket httpServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try (Socket c = server.accept()) {
                            c.setSoTimeout(2000);
                            c.getInputStream().read(new byte[1024]);
                            c.getOutputStream()
                                    .write("HTTP/1.0 200 OK\r\nServer: explainer-test/1.0\r\n\r\n"
                                            .getBytes(StandardCharsets.US_ASCII));
                        } catch (IOException e) {
                            // closed, or a probe that hung up
                        }
                    }
                },
                "explainer-test-server");
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void withoutASocketTableOnlyTheRegistrySpeaks() {
        Explanation e = Explainer.builder().build().explain(PortRange.of(3640), Optional.empty());
        assertThat(e.discovery()).isEmpty();
        assertThat(e.listeners()).isEmpty();
        assertThat(e.findings()).containsExactly(new Finding.NotChecked(""));
        assertThat(e.records()).extracting(r -> r.serviceName()).contains("netplay-port1");
    }

    @Test
    void sctpIsAnsweredFromTheRegistryWithTheReason() {
        Explanation e = Explainer.builder()
                .socketTable(fixed())
                .build()
                .explain(PortRange.of(3868), Optional.of(Transport.SCTP)); // diameter has an sctp record
        assertThat(e.findings())
                .singleElement()
                .isInstanceOfSatisfying(
                        Finding.NotChecked.class,
                        n -> assertThat(n.reason()).contains("sctp is shown from the registry only"));
    }

    @Test
    void sctpOnAPortAssignedForTcpAndUdpSaysSoBeforeTheRest() {
        Explanation e = Explainer.builder()
                .socketTable(fixed())
                .build()
                .explain(PortRange.of(3640), Optional.of(Transport.SCTP));
        assertThat(e.records()).isEmpty();
        assertThat(e.findings()).hasSize(2);
        assertThat(e.findings().get(0))
                .isEqualTo(new Finding.NoRecordForTransport(
                        PortRange.of(3640), Transport.SCTP, List.of(Transport.TCP, Transport.UDP)));
        assertThat(e.findings().get(1)).isInstanceOf(Finding.NotChecked.class);
    }

    @Test
    void eachListenerOfThisNamespaceIsPairedWithItsWireAndTheOthersSayWhyNot() throws IOException {
        try (ServerSocket server = httpServer()) {
            int port = server.getLocalPort();
            Listener here = listener(port, HOST);
            Listener inBlue = listener(port, BLUE);
            Prober prober = Prober.builder().options(ProbeOptions.loopback()).build();
            Explanation e = Explainer.builder()
                    .socketTable(fixed(here, inBlue))
                    .prober(prober)
                    .build()
                    .explain(PortRange.of(port), Optional.of(Transport.TCP));

            assertThat(e.listeners()).hasSize(2);
            Explanation.ExplainedListener first = e.listeners().get(0);
            assertThat(first.listener()).isEqualTo(here);
            assertThat(first.probedAt()).isEqualTo("127.0.0.1");
            assertThat(first.wire()).get().extracting(Wire::protocol).isEqualTo("http");
            Explanation.ExplainedListener second = e.listeners().get(1);
            assertThat(second.wire()).isEmpty();
            assertThat(second.notProbed())
                    .isEqualTo(
                            "inside another network namespace: this socket table cannot enter other network namespaces");
            // one finding about the wire: the listener in the other namespace borrows nobody's
            assertThat(e.findings().stream()
                            .filter(f -> f instanceof Finding.WireSeen)
                            .toList())
                    .singleElement()
                    .isInstanceOfSatisfying(
                            Finding.WireSeen.class, w -> assertThat(w.port()).isEqualTo(port));
        }
    }

    @Test
    void aListenerWhoseProcessNeverAcceptsIsToldFromTheKernelsQueueInsteadOfWaitedOut() throws IOException {
        assumeTrue(
                System.getProperty("os.name", "")
                        .toLowerCase(java.util.Locale.ROOT)
                        .contains("linux"),
                "the accept queue is read from Linux's /proc/net/tcp");
        // a real listener of this process that never calls accept(): the kernel queues the connections
        try (ServerSocket neverAccepts = new ServerSocket(0, 64, java.net.InetAddress.getLoopbackAddress())) {
            int port = neverAccepts.getLocalPort();
            Explanation e = Explainer.builder()
                    .socketTable(SocketTable.system())
                    .prober(Prober.builder().options(ProbeOptions.loopback()).build())
                    .build()
                    .explain(PortRange.of(port), Optional.of(Transport.TCP));

            assertThat(e.listeners()).hasSize(1);
            Wire w = e.listeners().get(0).wire().orElseThrow();
            assertThat(w.protocol()).isEqualTo("none");
            assertThat(w.error()).startsWith("not accepting connections: the process has not taken portlens's ");
            // given up on long before one probe timeout, let alone all of them
            assertThat(w.elapsedMillis())
                    .isLessThan(ProbeOptions.loopback().probeTimeout().toMillis());
        }
    }

    @Test
    void withoutAProberNoListenerIsProbedAndNoneSaysWhy() {
        Explanation e = Explainer.builder()
                .socketTable(fixed(listener(3640, HOST)))
                .build()
                .explain(PortRange.of(3640), Optional.empty());
        assertThat(e.listeners()).singleElement().satisfies(l -> {
            assertThat(l.wire()).isEmpty();
            assertThat(l.notProbed()).isEmpty();
        });
    }

    @Test
    void aBuilderIsNotChangedByWhatIsBuiltFromIt() {
        Explainer.Builder registryOnly = Explainer.builder();
        registryOnly.socketTable(fixed(listener(3640, HOST)));
        assertThat(registryOnly
                        .build()
                        .explain(PortRange.of(3640), Optional.empty())
                        .discovery())
                .isEmpty();
    }
}
