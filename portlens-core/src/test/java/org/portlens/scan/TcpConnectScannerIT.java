package org.portlens.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Small scans of 127.0.0.1, only of ports this test has just opened (3 listeners) or opened and
 * closed again (2 ports that are then known to be closed). Full sweeps live in {@link NetnsSweepIT}.
 *
 * <p>Runs three times: in the build's JVM on the NIO engine, and again from {@link NativeEngineIT} in
 * child JVMs with {@code -Dportlens.test.engine=native}, where every scan must use the native engine:
 * on the build's JDK (17: the JDK-internal binding) and on a JDK 22+ (the foreign function binding).
 */
class TcpConnectScannerIT {

    static final InetAddress LO = loopback();
    /** The engine every scan here must use. */
    static final String ENGINE = System.getProperty("portlens.test.engine", ScanReport.Engine.NIO.label());

    /** The scan options every scan here starts from: on the native engine, for scans of any size, when asked. */
    static ScanOptions options() {
        return ScanOptions.defaults()
                .withEngine(
                        ENGINE.equals(ScanReport.Engine.NATIVE.label())
                                ? ScanOptions.EnginePreference.NATIVE
                                : ScanOptions.EnginePreference.NIO);
    }

    @BeforeAll
    static void chooseEngine() {
        if (ENGINE.equals(ScanReport.Engine.NATIVE.label())) {
            TcpConnectScanner scanner = new TcpConnectScanner(options());
            assertThat(TcpConnectScanner.warmUp(ScanOptions.EnginePreference.NATIVE, 1))
                    .as(scanner.nativeSocketsUnavailable(1).orElse(""))
                    .isTrue();
            assertThat(scanner.nativeSocketsUnavailable(1)).isEmpty();
            String binding = System.getProperty("portlens.test.binding");
            if (binding != null) {
                assertThat(scanner.nativeSocketsBinding())
                        .contains(binding.equals("foreign") ? "java.lang.foreign" : "JDK internals (sun.nio.ch)");
            }
        }
    }

    private final List<ServerSocket> servers = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private PortSet open;
    private PortSet closed;

    static InetAddress loopback() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void listen() throws IOException {
        int[] o = new int[3];
        for (int i = 0; i < o.length; i++) {
            ServerSocket s = new ServerSocket(0, 50, LO);
            servers.add(s);
            o[i] = s.getLocalPort();
        }
        int[] c = new int[2];
        for (int i = 0; i < c.length; i++) {
            try (ServerSocket s = new ServerSocket(0, 50, LO)) {
                c[i] = s.getLocalPort();
            }
        }
        open = PortSet.of(o);
        closed = PortSet.of(c);
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Socket c : clients) {
            c.close();
        }
        for (ServerSocket s : servers) {
            s.close();
        }
    }

    private static TcpConnectScanner scanner() {
        return new TcpConnectScanner(options().withTimeout(Duration.ofSeconds(2)));
    }

    @Test
    void reportsListenersOpenAndFreedPortsClosed() throws IOException {
        ScanReport r = scanner().scan(LO, open.union(closed));
        assertThat(r.ports(PortState.OPEN)).isEqualTo(open);
        assertThat(r.ports(PortState.CLOSED)).isEqualTo(closed);
        assertThat(r.count(PortState.FILTERED)).isZero();
        assertThat(r.portsScanned()).isEqualTo(5);
        assertThat(r.host()).isEqualTo("127.0.0.1");
        assertThat(r.open()).extracting(PortResult::port).containsExactlyElementsOf(open);
        assertThat(r.selfConnects()).isZero();
        assertThat(r.engine().label()).isEqualTo(ENGINE);
    }

    /** The same over IPv6 (a {@code sockaddr_in6} for the native engine), when this host has ::1. */
    @Test
    void scansTheIpv6Loopback() throws IOException {
        InetAddress v6 = InetAddress.getByName("::1");
        assumeTrue(canListenOn(v6), "no IPv6 loopback on this host");
        int[] ports = new int[2];
        for (int i = 0; i < ports.length; i++) {
            ServerSocket s = new ServerSocket(0, 50, v6);
            servers.add(s); // closed after the test
            ports[i] = s.getLocalPort();
        }
        int freed;
        try (ServerSocket s = new ServerSocket(0, 50, v6)) {
            freed = s.getLocalPort();
        }
        ScanReport r = scanner().scan(v6, PortSet.of(ports[0], ports[1], freed));
        assertThat(r.ports(PortState.OPEN)).isEqualTo(PortSet.of(ports));
        assertThat(r.ports(PortState.CLOSED)).isEqualTo(PortSet.of(freed));
        assertThat(r.host()).isEqualTo("::1"); // RFC 5952, not Java's 0:0:0:0:0:0:0:1
        assertThat(r.engine().label()).isEqualTo(ENGINE);
    }

    static boolean canListenOn(InetAddress address) {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void sameAnswerWithAWindowOfOneAndOneThread() throws IOException {
        TcpConnectScanner narrow =
                new TcpConnectScanner(options().withMaxInFlight(1).withThreads(1));
        ScanReport r = narrow.scan(LO, open.union(closed));
        assertThat(r.ports(PortState.OPEN)).isEqualTo(open);
        assertThat(r.ports(PortState.CLOSED)).isEqualTo(closed);
        assertThat(r.engine().label()).isEqualTo(ENGINE);
    }

    @Test
    void sameAnswerWhenTheDescriptorLimitLeavesRoomForOneProbe() throws IOException {
        // soft limit 100 with 35 open: 100 - 35 - 64 = a window of 1
        TcpConnectScanner tight = new TcpConnectScanner(options(), new OpenFileLimit(100, 35, "test"));
        ScanReport r = tight.scan(LO, open.union(closed));
        assertThat(r.ports(PortState.OPEN)).isEqualTo(open);
        assertThat(r.ports(PortState.CLOSED)).isEqualTo(closed);
        assertThat(r.engine().label()).isEqualTo(ENGINE);
    }

    @Test
    void leavesNoDescriptorOpen() throws IOException {
        scanner().scan(LO, open.union(closed)); // warm-up: the JDK opens some descriptors once
        Set<String> before = SweepChild.openSockets();
        for (int i = 0; i < 50; i++) {
            scanner().scan(LO, open.union(closed));
        }
        assertThat(SweepChild.openSockets()).as("sockets left open by the scan").isSubsetOf(before);
    }

    /**
     * A listener whose accept queue is full drops new SYNs (Linux: {@code tcp_conn_request}), so a
     * connect to it gets no answer at all: the port must come out filtered after the timeout.
     */
    @Test
    void reportsAPortThatNeverAnswersAsFilteredAfterTheTimeout() throws IOException {
        int port = stuffedListener();
        Set<String> before = SweepChild.openSockets();
        TcpConnectScanner s = new TcpConnectScanner(options().withTimeout(Duration.ofMillis(300)));
        ScanReport r = s.scan(LO, PortSet.of(port).union(closed));
        assertThat(r.ports(PortState.FILTERED)).isEqualTo(PortSet.of(port));
        assertThat(r.ports(PortState.CLOSED)).isEqualTo(closed);
        assertThat(r.elapsedMillis()).isGreaterThanOrEqualTo(290);
        assertThat(r.engine().label()).isEqualTo(ENGINE);
        assertThat(SweepChild.openSockets()).as("sockets left open by the scan").isSubsetOf(before);
    }

    @Test
    void interruptingTheCallerStopsTheScanAndClosesItsSockets() throws Exception {
        int port = stuffedListener();
        Set<String> before = SweepChild.openSockets();
        TcpConnectScanner slow = new TcpConnectScanner(options().withTimeout(Duration.ofSeconds(30)));
        Thread caller = Thread.currentThread();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.schedule(caller::interrupt, 300, TimeUnit.MILLISECONDS);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> slow.scan(LO, PortSet.of(port)))
                    .isInstanceOf(InterruptedIOException.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.interrupted()).as("interrupt flag set again").isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
        } finally {
            timer.shutdownNow();
            Thread.interrupted();
        }
        assertThat(SweepChild.openSockets()).as("sockets left open by the scan").isSubsetOf(before);
    }

    @Test
    void reportsProgressUpToTheTotal() throws IOException {
        List<int[]> calls = new CopyOnWriteArrayList<>();
        scanner().scan(LO, open.union(closed), (done, total) -> calls.add(new int[] {done, total}));
        assertThat(calls).isNotEmpty();
        assertThat(calls.get(calls.size() - 1)).containsExactly(5, 5);
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i)[0]).isGreaterThanOrEqualTo(calls.get(i - 1)[0]);
        }
    }

    @Test
    void keepsToTheRateLimit() throws IOException {
        // 5 probes at 10 a second: the first at once, then one every 100 ms
        TcpConnectScanner paced = new TcpConnectScanner(options().withRate(10));
        ScanReport r = paced.scan(LO, open.union(closed));
        assertThat(r.elapsedMillis()).isGreaterThanOrEqualTo(350);
        assertThat(r.ports(PortState.OPEN)).isEqualTo(open);
        assertThat(r.engine().label()).isEqualTo(ENGINE);
    }

    /** Fills a backlog-1 listener's accept queue with connections it never accepts; returns its port. */
    private int stuffedListener() throws IOException {
        ServerSocket s = new ServerSocket(0, 1, LO);
        servers.add(s);
        for (int i = 0; i < 16; i++) {
            Socket c = new Socket();
            clients.add(c);
            try {
                c.connect(new InetSocketAddress(LO, s.getLocalPort()), 200);
            } catch (SocketTimeoutException e) {
                return s.getLocalPort(); // this SYN was dropped: the queue is full
            }
        }
        throw new IllegalStateException("accept queue of a backlog-1 listener never filled");
    }
}
