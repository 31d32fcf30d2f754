package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.portlens.cli.LiveIT.portlens;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every command prints an IPv6 address as RFC 5952 text ({@code ::1}, {@code [::1]:PORT}), never as
 * Java's {@code 0:0:0:0:0:0:0:1}: the packaged jar against an HTTP-speaking listener this test opens
 * on ::1. Skipped, in one line, on a host without IPv6 loopback.
 */
class Ipv6TextIT {

    private static ServerSocket server;
    private static int port;
    private static String hostPort;

    @BeforeAll
    static void listenOnIpv6Loopback() throws IOException {
        InetAddress loopback6 = InetAddress.getByName("::1");
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(loopback6, 0), 50);
        } catch (IOException | UnsupportedOperationException e) {
            abort("no IPv6 loopback (::1) on this host (IPv6 off?): " + e.getMessage());
        }
        port = server.getLocalPort();
        hostPort = "[::1]:" + port;
        Thread answer = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try (Socket c = server.accept()) {
                            c.setSoTimeout(1000);
                            c.getInputStream().read(new byte[1024]);
                            c.getOutputStream()
                                    .write("HTTP/1.0 200 OK\r\nServer: ipv6-text-test\r\n\r\n"
                                            .getBytes(StandardCharsets.US_ASCII));
                        } catch (IOException e) {
                            // a probe that hung up, or the server closed: go on or end
                        }
                    }
                },
                "ipv6-text-server");
        answer.setDaemon(true);
        answer.start();
    }

    @AfterAll
    static void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static void noFullForm(LiveIT.Result r) {
        assertThat(r.out() + r.err()).doesNotContain("0:0:0:0").doesNotContain("0:0:0:0:0:0:0:1");
    }

    @Test
    void lsShowsTheListenerAsBracketedRfc5952Text() throws Exception {
        LiveIT.Result text = portlens("ls", "--port", Integer.toString(port), "--no-color");
        assertThat(text.code()).as(text.err()).isIn(0, 3);
        assertThat(text.out()).contains("tcp6   " + hostPort).contains("loopback");
        noFullForm(text);

        LiveIT.Result json = portlens("ls", "--port", Integer.toString(port), "--json");
        JsonNode l = json.json().get("listeners").get(0);
        assertThat(l.get("address").asText()).isEqualTo("::1");
        assertThat(l.get("ipv6Socket").asBoolean()).isTrue();
    }

    @Test
    void explanationShowsListenerProbeAddressAndChecksByHandInRfc5952Text() throws Exception {
        LiveIT.Result text = portlens(Integer.toString(port), "--tcp", "--no-color");
        assertThat(text.code()).as(text.err()).isIn(0, 3);
        assertThat(text.out())
                .contains("tcp " + hostPort + "  loopback only")
                .contains("wire      http")
                .contains("curl -g -sv --max-time 3 'http://" + hostPort + "/' -o /dev/null")
                .contains("openssl s_client -connect '" + hostPort + "' </dev/null");
        noFullForm(text);

        JsonNode j = portlens(Integer.toString(port), "--tcp", "--json").json();
        JsonNode l = j.get("listeners").get(0);
        assertThat(l.get("address").asText()).isEqualTo("::1");
        assertThat(l.get("probedAt").asText()).isEqualTo("::1");
        assertThat(j.toString()).doesNotContain("0:0:0:0");
    }

    @Test
    void probeNamesTheTargetInRfc5952TextHoweverItWasTyped() throws Exception {
        for (String typed : new String[] {hostPort, "[0:0:0:0:0:0:0:1]:" + port, "[0000::0001]:" + port}) {
            LiveIT.Result text = portlens("probe", typed, "--no-color");
            assertThat(text.code()).as(text.err()).isZero();
            assertThat(text.out()).startsWith("tcp " + hostPort + "\n").contains("http");
            noFullForm(text);
        }
        JsonNode j = portlens("probe", "[0:0:0:0:0:0:0:1]:" + port, "--json").json();
        assertThat(j.get("target").asText()).isEqualTo(hostPort);
    }

    @Test
    void scanNamesTheHostInRfc5952Text() throws Exception {
        LiveIT.Result text = portlens("scan", "0:0:0:0:0:0:0:1", "-p", Integer.toString(port), "--no-color");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains(port + "/tcp").contains("open").contains("tcp ports of ::1 scanned");
        noFullForm(text);

        JsonNode j = portlens("scan", "::1", "-p", Integer.toString(port), "--identify", "--json")
                .json();
        assertThat(j.get("host").asText()).isEqualTo("::1");
        assertThat(j.toString()).doesNotContain("0:0:0:0");
    }
}
