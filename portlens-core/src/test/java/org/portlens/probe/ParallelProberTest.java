package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.portlens.probe.Fakes.latin1;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portlens.model.Transport;
import org.portlens.probe.Fakes.Handler;
import org.portlens.probe.Fakes.TcpServer;

/**
 * The probes side by side ({@link ProbeOptions#connections()} above 1, as for this host's own
 * listeners) against fake servers on 127.0.0.1 that count the connections they see: each step once,
 * never more connections at once than the bound, a silent port in about one probe timeout, a port
 * whose process takes no connection given up on at once, and the same answers as one probe after
 * another.
 */
class ParallelProberTest {

    static final ProbeOptions SEQUENTIAL = ProberTest.FAST;
    static final ProbeOptions PARALLEL = SEQUENTIAL.withConnections(16);

    private final Prober parallel = Prober.builder().options(PARALLEL).build();
    private final Prober sequential = Prober.builder().options(SEQUENTIAL).build();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeFakes() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A fake that also counts its connections open now. */
    private static final class Counted implements Handler {
        final AtomicInteger now = new AtomicInteger();
        private final Handler inner;

        Counted(Handler inner) {
            this.inner = inner;
        }

        @Override
        public void serve(Socket s) throws Exception {
            now.incrementAndGet();
            try {
                inner.serve(s);
            } finally {
                now.decrementAndGet();
            }
        }
    }

    /** Opens connections as the system does, and counts how many are open at once, at most. */
    private static final class CountingConnector implements Connector {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        @Override
        public Socket connect(InetSocketAddress address, java.time.Duration timeout) throws IOException {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            Socket s = new Socket() {
                private final java.util.concurrent.atomic.AtomicBoolean closed =
                        new java.util.concurrent.atomic.AtomicBoolean();

                @Override
                public synchronized void close() throws IOException {
                    if (closed.compareAndSet(false, true)) {
                        now.decrementAndGet();
                    }
                    super.close();
                }
            };
            try {
                s.connect(address, (int) timeout.toMillis());
            } catch (IOException e) {
                s.close();
                throw e;
            }
            return s;
        }
    }

    private TcpServer server(Handler h) throws IOException {
        TcpServer s = new TcpServer(h);
        open.add(s);
        return s;
    }

    private static void write(Socket s, String latin1) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(latin1(latin1));
        out.flush();
    }

    @Test
    void aSilentPortCostsAboutOneProbeTimeoutAndEachStepIsTriedOnce() throws Exception {
        TcpServer server = server(Fakes::stayQuiet);
        CountingConnector counting = new CountingConnector();
        Prober p = Prober.builder().options(PARALLEL).connector(counting).build();

        Wire r = p.probe(server.address(), Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("none");
        assertThat(r.error())
                .startsWith("no response to any probe (" + r.tried().size() + " tried)");
        assertThat(r.details()).containsKey("silent");
        // the plan's steps, each once (the banner wait first, as it is the most plausible without hints)
        assertThat(r.tried())
                .containsExactlyInAnyOrderElementsOf(
                        parallel.order(server.address().getPort(), Transport.TCP, Hints.none()));
        awaitConnections(server, r.tried().size());
        assertThat(server.connections()).isEqualTo(r.tried().size());
        assertThat(counting.most.get()).isLessThanOrEqualTo(PARALLEL.connections());
        // one after another this costs the whole budget; side by side about one probe timeout
        // (the banner wait and the TLS handshake each wait one, at the same time as the rest)
        long oneRound =
                PARALLEL.connectTimeout().toMillis() + PARALLEL.probeTimeout().toMillis();
        assertThat(r.elapsedMillis()).isLessThan(oneRound + 400).isLessThan(ProberTest.FAST_BUDGET_MILLIS);
    }

    @Test
    void everyBuiltInTcpProbeFitsInOneRoundForThisHostsListeners() {
        // else a silent listener costs a probe timeout per round: add probes, raise the bound
        assertThat(Prober.withDefaults().order(3640, Transport.TCP, Hints.none()))
                .hasSizeLessThanOrEqualTo(ProbeOptions.LOOPBACK_CONNECTIONS);
    }

    @Test
    void neverMoreConnectionsAtOnceThanTheBound() throws Exception {
        Counted quiet = new Counted(Fakes::stayQuiet);
        TcpServer server = server(quiet);
        CountingConnector counting = new CountingConnector();
        Prober three = Prober.builder()
                .options(SEQUENTIAL.withConnections(3))
                .connector(counting)
                .build();

        Wire r = three.probe(server.address(), Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("none");
        awaitConnections(server, r.tried().size());
        assertThat(counting.most.get()).isEqualTo(3);
        assertThat(counting.now.get()).isZero(); // every connection closed
        assertThat(server.connections()).isEqualTo(r.tried().size());
        assertThat(server.connections()).isEqualTo(r.tried().size());
    }

    @Test
    void aListenerWhoseProcessTakesNoConnectionIsGivenUpOnAtOnce() throws Exception {
        // a real listening socket nobody accepts on: the kernel completes the connections and queues them
        try (ServerSocket neverAccepts = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
            InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), neverAccepts.getLocalPort());
            AtomicInteger asked = new AtomicInteger();
            AcceptQueue queue = () -> {
                asked.incrementAndGet();
                return OptionalInt.of(40); // as the kernel would show: all of the prober's connections, and more
            };

            Wire r = parallel.probe(a, Transport.TCP, Hints.none(), queue);

            assertThat(r.protocol()).isEqualTo("none");
            assertThat(r.error()).startsWith("not accepting connections: the process has not taken portlens's ");
            assertThat(r.details().get("accept-queue")).startsWith("40 connections waiting, ");
            assertThat(asked.get()).isEqualTo(ParallelRun.QUEUE_CHECKS_MILLIS.length);
            assertThat(r.elapsedMillis()).isLessThan(PARALLEL.probeTimeout().toMillis());
        }
    }

    @Test
    void aQueueShorterThanTheProbersConnectionsMeansTheProcessAcceptsAndItsProbesAreWaitedOut() throws Exception {
        TcpServer server = server(Fakes::stayQuiet);
        AtomicInteger asked = new AtomicInteger();

        Wire r = parallel.probe(server.address(), Transport.TCP, Hints.none(), () -> {
            asked.incrementAndGet();
            return OptionalInt.of(0);
        });

        assertThat(r.error()).startsWith("no response to any probe");
        assertThat(asked.get()).isEqualTo(1);
    }

    @Test
    void aQueueThatCannotBeReadChangesNothing() throws Exception {
        try (ServerSocket neverAccepts = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
            InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), neverAccepts.getLocalPort());

            Wire r = parallel.probe(a, Transport.TCP, Hints.none(), AcceptQueue.UNKNOWN);

            assertThat(r.error()).startsWith("no response to any probe");
        }
    }

    @Test
    void theKernelsOwnQueueTellsANeverAcceptingListenerFromAnAcceptingOne() throws Exception {
        assumeTrue(
                Files.isReadable(Path.of("/proc/net/tcp")), "no /proc/net/tcp: the kernel's accept queue is Linux's");
        try (ServerSocket neverAccepts = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
            int port = neverAccepts.getLocalPort();
            Wire r = parallel.probe(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    Transport.TCP,
                    Hints.none(),
                    () -> kernelQueue(port));
            assertThat(r.error()).startsWith("not accepting connections");
        }
        TcpServer accepting = server(Fakes::stayQuiet);
        int port = accepting.address().getPort();
        Wire r = parallel.probe(accepting.address(), Transport.TCP, Hints.none(), () -> kernelQueue(port));
        assertThat(r.error()).startsWith("no response to any probe");
    }

    /** The rx_queue of the listener on 127.0.0.1:{@code port} in /proc/net/tcp: what the kernel shows. */
    private static OptionalInt kernelQueue(int port) {
        try {
            // Java's sockets are IPv6 ones where it can: 127.0.0.1 is then a v4-mapped address in tcp6
            String port4 = String.format(":%04X", port);
            List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
            Path tcp6 = Path.of("/proc/net/tcp6");
            if (Files.isReadable(tcp6)) {
                lines.addAll(Files.readAllLines(tcp6));
            }
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 4 && f[1].endsWith("0100007F" + port4) && f[3].equals("0A")) {
                    return OptionalInt.of(Integer.parseInt(f[4].substring(f[4].indexOf(':') + 1), 16));
                }
            }
            return OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    @Test
    void aPortThatRefusesGetsOneConnectionAttempt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Wire r = parallel.probe(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Transport.TCP, Hints.none());

        assertThat(r.connectFailure()).contains(Wire.ConnectFailure.REFUSED);
        assertThat(r.tried()).isEmpty();
    }

    // ------------------------------------------------------------------ the same answers as one by one

    @Test
    void aServerThatSpeaksFirstIsNamedFromWhicheverProbeHearsIt() throws Exception {
        Handler ssh = s -> {
            write(s, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
            Fakes.stayQuiet(s);
        };
        Wire p = parallel.probe(server(ssh).address(), Transport.TCP, Hints.none());
        Wire q = sequential.probe(server(ssh).address(), Transport.TCP, Hints.none());

        assertThat(p.protocol()).isEqualTo("ssh").isEqualTo(q.protocol());
        assertThat(p.product()).isEqualTo("OpenSSH").isEqualTo(q.product());
        assertThat(p.version()).isEqualTo(q.version());
        assertThat(p.confident()).isTrue();
    }

    @Test
    void anHttpServerIsNamedAndTheOtherConnectionsAreClosed() throws Exception {
        Counted http = new Counted(s -> {
            String req = new String(Fakes.readRequest(s, 1000), java.nio.charset.StandardCharsets.ISO_8859_1);
            if (req.startsWith("GET ")) {
                write(s, "HTTP/1.0 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 0\r\n\r\n");
            } else {
                Fakes.stayQuiet(s);
            }
        });
        TcpServer server = server(http);

        Wire r = parallel.probe(server.address(), Transport.TCP, new Hints(List.of(), List.of("nginx")));

        assertThat(r.protocol()).isEqualTo("http");
        assertThat(r.product()).isEqualTo("nginx");
        assertThat(r.version()).isEqualTo("1.22.1");
        // the others were closed once http was named: none stays open on the server
        long until = System.currentTimeMillis() + 2000;
        while (http.now.get() > 0 && System.currentTimeMillis() < until) {
            Thread.sleep(10);
        }
        assertThat(http.now.get()).isZero();
    }

    @Test
    void aServerThatTakesOneConnectionAtATimeIsStillNamed() throws Exception {
        // accepts, serves one client to the end (an HTTP answer, or silence until the client leaves), then the next
        ServerSocket listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        open.add(listener);
        AtomicInteger seen = new AtomicInteger();
        Thread t = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    seen.incrementAndGet();
                    String req = new String(Fakes.readRequest(s, 300), java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (req.startsWith("GET ")) {
                        write(s, "HTTP/1.0 404 Not Found\r\nServer: lighttpd/1.4.69\r\n\r\n");
                    }
                } catch (IOException e) {
                    // the prober hung up, or the test is over
                }
            }
        });
        t.setDaemon(true);
        t.start();

        Wire r = parallel.probe(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
                Transport.TCP,
                new Hints(List.of("http"), List.of("lighttpd")));

        assertThat(r.protocol()).isEqualTo("http");
        assertThat(r.product()).isEqualTo("lighttpd");
        // one connection per step tried, and the first one, made before the steps start, which goes unused
        // when its step is passed over (a fresh user's run of mvn verify saw 16 for 15 steps)
        assertThat(seen.get()).isPositive().isLessThanOrEqualTo(r.tried().size() + 1);
    }

    @Test
    void endlessBytesAreCutAtMaxBytesOnEveryConnection() throws Exception {
        Wire r = parallel.probe(
                server(s -> {
                            byte[] junk = latin1("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".repeat(32));
                            OutputStream out = s.getOutputStream();
                            while (true) {
                                out.write(junk);
                            }
                        })
                        .address(),
                Transport.TCP,
                Hints.none());

        assertThat(r.protocol()).isEqualTo("unknown");
        assertThat(r.bytesReceived()).isLessThanOrEqualTo(PARALLEL.maxBytes()).isPositive();
        assertThat(r.firstBytes()).hasSize(Matching.FIRST_BYTES);
    }

    @Test
    void escapeSequencesNeverReachFirstBytesRaw() throws Exception {
        Wire r = parallel.probe(
                server(s -> {
                            write(s, "\u001b[2J\u001b]0;owned\u0007\u0000evil\r\n");
                            Fakes.stayQuiet(s);
                        })
                        .address(),
                Transport.TCP,
                Hints.none());

        assertThat(r.protocol()).isEqualTo("unknown");
        assertThat(r.firstBytes())
                .doesNotContain("\u001b")
                .doesNotContain("\u0007")
                .doesNotContain("\u0000");
    }

    @Test
    void aServerThatClosesAtOnceIsNoResponseAfterEveryStep() throws Exception {
        TcpServer server = server(s -> {});

        Wire r = parallel.probe(server.address(), Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("none");
        assertThat(r.details()).containsKey("closed");
        assertThat(r.tried())
                .containsExactlyInAnyOrderElementsOf(
                        parallel.order(server.address().getPort(), Transport.TCP, Hints.none()));
        assertThat(r.elapsedMillis()).isLessThan(PARALLEL.probeTimeout().toMillis());
    }

    @Test
    void manyTargetsAtOnceShareTheConnections() throws Exception {
        List<Counted> counts = new ArrayList<>();
        List<Prober.Target> targets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Counted c = new Counted(Fakes::stayQuiet);
            counts.add(c);
            targets.add(new Prober.Target(server(c).address(), Transport.TCP, Hints.none()));
        }

        CountingConnector counting = new CountingConnector();
        Prober p = Prober.builder().options(PARALLEL).connector(counting).build();

        List<Wire> wires = p.probeAll(targets, 8);

        assertThat(wires).allSatisfy(w -> assertThat(w.protocol()).isEqualTo("none"));
        // 64 connections at most in all: 8 each, not 16
        assertThat(counting.most.get()).isGreaterThan(8).isLessThanOrEqualTo(ProbeOptions.MAX_CONNECTIONS);
    }

    @Test
    void ofTwoAnswersTheMorePlausibleProbesWinsEvenWhenItComesSecond() throws Exception {
        // answers an HTTP/2 preface at once and a GET 25 ms later, each then closing: a server that
        // speaks both, whose HTTP/2 answer comes first
        TcpServer both = server(s -> {
            byte[] head = s.getInputStream().readNBytes(4);
            String req = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (req.equals("PRI ")) {
                s.getOutputStream().write(latin1("\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000"));
                s.getOutputStream().flush();
            } else if (req.equals("GET ")) {
                Thread.sleep(25);
                write(s, "HTTP/1.1 200 OK\r\nServer: Apache/2.4.62\r\nContent-Length: 0\r\n\r\n");
            } else {
                Fakes.stayQuiet(s);
            }
        });
        Hints httpd = new Hints(List.of(), List.of("apache2"));
        assertThat(parallel.order(both.address().getPort(), Transport.TCP, httpd))
                .first()
                .isEqualTo("http-get");

        Wire r = parallel.probe(both.address(), Transport.TCP, httpd);

        assertThat(r.protocol()).isEqualTo("http");
        assertThat(r.product()).isEqualTo("Apache");
    }

    // ------------------------------------------------------------------ udp

    @Test
    void aSilentUdpPortCostsOneProbeTimeoutForAllItsProbes() throws Exception {
        Fakes.UdpServer silent = new Fakes.UdpServer(q -> null);
        open.add(silent);

        Wire r = parallel.probe(silent.address(), Transport.UDP, Hints.none());

        assertThat(r.error()).isEqualTo("no response to any probe (" + r.tried().size() + " tried)");
        assertThat(r.tried())
                .containsExactlyInAnyOrderElementsOf(
                        parallel.order(silent.address().getPort(), Transport.UDP, Hints.none()));
        assertThat(r.details()).containsEntry("silent", r.tried().size() + " probes unanswered within 200 ms");
        assertThat(r.elapsedMillis()).isLessThan(2 * PARALLEL.probeTimeout().toMillis());
    }

    @Test
    void aUdpAnswerIsNamedAmongTheProbesSentTogether() throws Exception {
        Fakes.UdpServer dns = new Fakes.UdpServer(ProberTest::dnsAnswer);
        open.add(dns);

        Wire r = parallel.probe(dns.address(), Transport.UDP, Hints.none());
        Wire one = sequential.probe(dns.address(), Transport.UDP, Hints.none());

        assertThat(r.protocol()).isEqualTo("dns").isEqualTo(one.protocol());
        assertThat(r.details()).containsEntry("version-bind", "FakeDNS 1.0");
    }

    @Test
    void aDnsServerThatAnswersEveryQueryIsDnsNotMdns() throws Exception {
        // answers every datagram with the query sent back as a response (QR set), as a DNS server
        // answers a query it has no data for: the dns probe's and the mdns probe's matchers both
        // match. The version.bind query is answered 20 ms late, so the mdns answer comes first.
        java.net.DatagramSocket socket =
                new java.net.DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        open.add(socket);
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!socket.isClosed()) {
                try {
                    java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    byte[] out = java.util.Arrays.copyOf(p.getData(), p.getLength());
                    java.net.SocketAddress from = p.getSocketAddress();
                    if (out.length > 3) {
                        out[2] = (byte) (out[2] | 0x80);
                        out[3] = (byte) 0x83; // NXDOMAIN
                    }
                    boolean late = new String(out, java.nio.charset.StandardCharsets.ISO_8859_1).contains("version");
                    Thread answer = new Thread(() -> {
                        try {
                            if (late) {
                                Thread.sleep(20);
                            }
                            socket.send(new java.net.DatagramPacket(out, out.length, from));
                        } catch (Exception e) {
                            // the test is over
                        }
                    });
                    answer.setDaemon(true);
                    answer.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        InetSocketAddress echo = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        List<String> order = parallel.order(echo.getPort(), Transport.UDP, Hints.none());
        assertThat(order.indexOf("dns-udp")).isLessThan(order.indexOf("mdns"));

        Wire r = parallel.probe(echo, Transport.UDP, Hints.none());
        Wire one = sequential.probe(echo, Transport.UDP, Hints.none());

        assertThat(r.protocol()).isEqualTo("dns").isEqualTo(one.protocol());
    }

    @Test
    void aClosedUdpPortIsPortUnreachable() throws Exception {
        int port;
        try (java.net.DatagramSocket s =
                new java.net.DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = s.getLocalPort();
        }
        Wire r = parallel.probe(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Transport.UDP, Hints.none());

        assertThat(r.error()).isEqualTo("port unreachable");
        assertThat(r.connectFailure()).contains(Wire.ConnectFailure.REFUSED);
    }

    private static void awaitConnections(TcpServer server, int n) throws InterruptedException {
        long until = System.currentTimeMillis() + 2000;
        while (server.connections() < n && System.currentTimeMillis() < until) {
            Thread.sleep(5);
        }
    }
}
