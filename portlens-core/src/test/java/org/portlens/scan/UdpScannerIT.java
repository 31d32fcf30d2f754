package org.portlens.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * UDP scans of three ports of 127.0.0.1 this test controls: one echoes (open), one was bound and
 * released (closed: the kernel answers ICMP port unreachable), one is bound but never answers
 * (open|filtered).
 */
class UdpScannerIT {

    static final InetAddress LO = TcpConnectScannerIT.loopback();

    private DatagramSocket echo;
    private DatagramSocket silent;
    private Thread echoer;
    private final AtomicInteger echoed = new AtomicInteger();
    private int closedPort;

    @BeforeEach
    void bind() throws IOException {
        echo = new DatagramSocket(0, LO);
        silent = new DatagramSocket(0, LO);
        try (DatagramSocket s = new DatagramSocket(0, LO)) {
            closedPort = s.getLocalPort();
        }
        echoer = new Thread(
                () -> {
                    byte[] buf = new byte[2048];
                    while (!echo.isClosed()) {
                        try {
                            DatagramPacket p = new DatagramPacket(buf, buf.length);
                            echo.receive(p);
                            echoed.incrementAndGet();
                            echo.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "udp-echo");
        echoer.setDaemon(true);
        echoer.start();
    }

    @AfterEach
    void close() throws InterruptedException {
        echo.close();
        silent.close();
        echoer.join(2000);
    }

    @Test
    void tellsOpenClosedAndOpenFilteredApart() throws IOException {
        UdpScanner s = new UdpScanner(
                ScanOptions.defaults().withTimeout(Duration.ofMillis(300)).withRetries(1));
        ScanReport r = s.scan(LO, PortSet.of(echo.getLocalPort(), silent.getLocalPort(), closedPort));
        assertThat(r.ports(PortState.OPEN)).isEqualTo(PortSet.of(echo.getLocalPort()));
        assertThat(r.ports(PortState.CLOSED)).isEqualTo(PortSet.of(closedPort));
        assertThat(r.ports(PortState.OPEN_FILTERED)).isEqualTo(PortSet.of(silent.getLocalPort()));
        assertThat(r.count(PortState.FILTERED)).isZero();
        assertThat(r.transport().label()).isEqualTo("udp");
        // one probe plus one retry, each waited out
        assertThat(r.elapsedMillis()).isGreaterThanOrEqualTo(590);
    }

    @Test
    void probesASilentPortOncePlusItsRetries() throws IOException {
        UdpScanner s = new UdpScanner(
                ScanOptions.defaults().withTimeout(Duration.ofMillis(150)).withRetries(2));
        s.scan(LO, PortSet.of(silent.getLocalPort()));
        silent.setSoTimeout(200);
        int received = 0;
        try {
            while (true) {
                silent.receive(new DatagramPacket(new byte[64], 64));
                received++;
            }
        } catch (SocketTimeoutException e) {
            // drained
        }
        assertThat(received).isEqualTo(3);
    }

    @Test
    void sendsTheChosenPayloadAndANulByteForAnEmptyOne() throws IOException {
        byte[] hello = {'h', 'i'};
        UdpScanner s = new UdpScanner(
                ScanOptions.defaults().withTimeout(Duration.ofMillis(200)).withRetries(0),
                port -> port == silent.getLocalPort() ? ByteBuffer.allocate(0) : ByteBuffer.wrap(hello));
        ScanReport r = s.scan(LO, PortSet.of(echo.getLocalPort(), silent.getLocalPort()));
        assertThat(r.ports(PortState.OPEN)).isEqualTo(PortSet.of(echo.getLocalPort()));
        silent.setSoTimeout(200);
        DatagramPacket p = new DatagramPacket(new byte[64], 64);
        silent.receive(p);
        assertThat(p.getLength()).isEqualTo(1);
        assertThat(p.getData()[0]).isZero();
    }

    @Test
    void leavesNoDescriptorOpen() throws IOException {
        UdpScanner s = new UdpScanner(
                ScanOptions.defaults().withTimeout(Duration.ofMillis(100)).withRetries(0));
        PortSet ports = PortSet.of(echo.getLocalPort(), silent.getLocalPort(), closedPort);
        s.scan(LO, ports);
        Set<String> before = SweepChild.openSockets();
        for (int i = 0; i < 10; i++) {
            s.scan(LO, ports);
        }
        assertThat(SweepChild.openSockets()).as("sockets left open by the scan").isSubsetOf(before);
    }
}
