package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.model.Transport;
import org.portlens.probe.Wire;

/**
 * {@code portlens probe} exits 1, with the reason in words on stderr, when it could not connect
 * (refused, timed out), and 0 when the endpoint accepted, even if it said nothing. Only loopback
 * ports this test freed or opened itself.
 */
class ProbeExitIT {

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    static int freedTcpPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRefusedConnectionExitsOneWithTheReasonOnStderrAndTheReportOnStdout() throws Exception {
        int port = freedTcpPort();
        String target = "127.0.0.1:" + port;

        CliRun text = run("probe", target, "--no-color");
        assertThat(text.code()).isEqualTo(1);
        assertThat(text.out()).startsWith("tcp " + target + "\n").contains("nothing identified: connection refused");
        assertThat(text.err()).isEqualTo("portlens: " + target + " refused the connection\n");

        CliRun json = run("probe", target, "--json");
        assertThat(json.code()).isEqualTo(1);
        JsonNode wire = new ObjectMapper().readTree(json.out()).get("wire");
        assertThat(wire.get("outcome").asText()).isEqualTo("none");
        assertThat(wire.get("connectFailure").asText()).isEqualTo("refused");
        assertThat(json.err()).isEqualTo("portlens: " + target + " refused the connection\n");
    }

    @Test
    void aRefusedUdpDatagramExitsOne() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = s.getLocalPort();
        }
        CliRun r = run("probe", "127.0.0.1:" + port, "--udp", "--no-color");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("portlens: udp 127.0.0.1:" + port + " refused the datagram (ICMP port unreachable)\n");
    }

    @Test
    void aConnectThatTimesOutExitsOne() throws Exception {
        // a listener that never accepts, with its backlog full: Linux drops further SYNs, the connect times out
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<SocketChannel> fill = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    SocketChannel c = SocketChannel.open();
                    c.configureBlocking(false);
                    c.connect(server.getLocalSocketAddress());
                    fill.add(c);
                }
                Thread.sleep(200);
                String target = "127.0.0.1:" + server.getLocalPort();
                CliRun r = run("probe", target, "--connect-timeout", "300", "--no-color");
                assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
                assertThat(r.out()).contains("timed out after 300 ms");
                assertThat(r.err())
                        .isEqualTo("portlens: " + target + " did not accept the connection: timed out after 300 ms\n");
            } finally {
                for (SocketChannel c : fill) {
                    c.close();
                }
            }
        }
    }

    @Test
    void anEndpointThatAcceptsAndSaysNothingExitsZero() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread silent = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept()); // accepts, never writes
                    } catch (Exception e) {
                        break;
                    }
                }
            });
            silent.setDaemon(true);
            silent.start();
            CliRun r = run(
                    "probe",
                    "127.0.0.1:" + server.getLocalPort(),
                    "--banner-wait",
                    "50",
                    "--probe-timeout",
                    "50",
                    "--no-color");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("nothing identified: no response to any probe");
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void eachConnectFailureHasItsWords() {
        Wire unreachable = new Wire(
                Wire.Outcome.NONE,
                "",
                "",
                "",
                Map.of(),
                null,
                false,
                0,
                "",
                List.of(),
                3,
                "no route",
                Optional.of(Wire.ConnectFailure.UNREACHABLE));
        assertThat(ProbeCommand.noConnection("192.0.2.1:80", Transport.TCP, unreachable))
                .isEqualTo("192.0.2.1:80 is unreachable (no route)");
        Wire failed = new Wire(
                Wire.Outcome.NONE,
                "",
                "",
                "",
                Map.of(),
                null,
                false,
                0,
                "",
                List.of(),
                3,
                "permission denied",
                Optional.of(Wire.ConnectFailure.FAILED));
        assertThat(ProbeCommand.noConnection("[::1]:80", Transport.TCP, failed))
                .isEqualTo("cannot connect to [::1]:80: permission denied");
    }
}
