package org.portlens;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.portlens.model.Transport;
import org.portlens.probe.ProbeOptions;
import org.portlens.probe.Prober;
import org.portlens.probe.Wire;
import org.portlens.scan.PortSet;
import org.portlens.scan.PortState;
import org.portlens.scan.ProgressListener;
import org.portlens.scan.ScanOptions;

/**
 * {@code scan --udp --identify} against a UDP server this test starts on 127.0.0.1: a DNS responder
 * that, like dnsmasq, drops a datagram it cannot parse (the sweep's one NUL byte) and answers a DNS
 * query with a response carrying the query's id and the QR bit (RFC 1035 4.1.1). The sweep leaves it
 * open|filtered; the identification must still find DNS.
 */
class HostScannerUdpIT {

    private DatagramSocket dns;
    private Thread responder;

    @BeforeEach
    void start() throws IOException {
        dns = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        responder = new Thread(
                () -> {
                    byte[] buf = new byte[2048];
                    while (!dns.isClosed()) {
                        try {
                            DatagramPacket p = new DatagramPacket(buf, buf.length);
                            dns.receive(p);
                            if (p.getLength() < 12) {
                                continue; // not a DNS header: dropped, as dnsmasq does
                            }
                            byte[] answer = Arrays.copyOf(p.getData(), p.getLength());
                            answer[2] = (byte) (answer[2] | 0x80); // QR: a response
                            answer[3] = (byte) 0x85; // RA, REFUSED
                            dns.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "dns-responder");
        responder.setDaemon(true);
        responder.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        dns.close();
        responder.join(2000);
    }

    @Test
    void silentUdpPortThatAnswersItsProtocolIsIdentifiedAndListedOpen() throws IOException {
        int port = dns.getLocalPort();
        HostScan scan = HostScanner.builder()
                .options(ScanOptions.defaults().withTimeout(Duration.ofMillis(300)))
                .identify(Prober.builder().options(ProbeOptions.loopback()).build())
                .build()
                .scan(
                        InetAddress.getLoopbackAddress(),
                        PortSet.parse(Integer.toString(port)),
                        Transport.UDP,
                        ProgressListener.NONE);

        assertThat(scan.report().count(PortState.OPEN_FILTERED)).isEqualTo(1);
        assertThat(scan.rows()).hasSize(1);
        HostScan.Row row = scan.rows().get(0);
        assertThat(row.state()).isEqualTo(PortState.OPEN);
        Wire w = row.wire().orElseThrow();
        assertThat(w.protocol()).as(w.summary()).isEqualTo("dns");
        assertThat(w.confident()).isTrue();
    }

    @Test
    void silentUdpPortThatAnswersNothingStaysOpenFilteredWithWhyNothingWasIdentified() throws IOException {
        try (DatagramSocket quiet = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            HostScan scan = HostScanner.builder()
                    .options(ScanOptions.defaults().withTimeout(Duration.ofMillis(300)))
                    .identify(Prober.builder()
                            .options(ProbeOptions.loopback().withProbeTimeout(Duration.ofMillis(100)))
                            .build())
                    .build()
                    .scan(
                            InetAddress.getLoopbackAddress(),
                            PortSet.parse(Integer.toString(quiet.getLocalPort())),
                            Transport.UDP,
                            ProgressListener.NONE);

            HostScan.Row row = scan.rows().get(0);
            assertThat(row.state()).isEqualTo(PortState.OPEN_FILTERED);
            assertThat(row.wire().orElseThrow().outcome()).isEqualTo(Wire.Outcome.NONE);
        }
    }
}
