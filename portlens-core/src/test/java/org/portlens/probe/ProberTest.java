package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portlens.probe.Fakes.latin1;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portlens.model.Transport;
import org.portlens.probe.Fakes.Handler;
import org.portlens.probe.Fakes.TcpServer;
import org.portlens.probe.Fakes.UdpServer;

/** The prober against fake servers on 127.0.0.1 that these tests start and stop. */
class ProberTest {

    /** Short waits so that the slow cases (silence, unknown answers) stay quick. */
    static final ProbeOptions FAST =
            new ProbeOptions(Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofMillis(200), 4096);
    /** The time budget of one identification with {@link #FAST}: a connect, the banner wait and the budget's probes. */
    static final long FAST_BUDGET_MILLIS = 500 + 100 + Prober.BUDGET_PROBES * 200;

    private final Prober prober = Prober.builder().options(FAST).build();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeFakes() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private InetSocketAddress tcp(Handler h) throws IOException {
        TcpServer s = new TcpServer(h);
        open.add(s);
        return s.address();
    }

    private InetSocketAddress udp(Function<byte[], byte[]> answer) throws IOException {
        UdpServer s = new UdpServer(answer);
        open.add(s);
        return s.address();
    }

    private static void write(Socket s, String latin1) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(latin1(latin1));
        out.flush();
    }

    private static String request(Socket s) throws IOException {
        return new String(Fakes.readRequest(s, 2000), StandardCharsets.ISO_8859_1);
    }

    private static final Handler HTTP = s -> {
        if (request(s).startsWith("GET / HTTP/1.")) {
            write(
                    s,
                    "HTTP/1.1 200 OK\r\nServer: FakeHTTP/2.5 (Test)\r\nContent-Type: text/html\r\n\r\n"
                            + "<html><head><title>  Fake Page </title></head></html>");
        }
    };

    // ------------------------------------------------------------------ identification

    @Test
    void identifiesHttpWithStatusServerAndTitle() throws Exception {
        Wire r = prober.probe(tcp(HTTP), Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("http");
        assertThat(r.confident()).isTrue();
        assertThat(r.product()).isEqualTo("FakeHTTP");
        assertThat(r.version()).isEqualTo("2.5");
        assertThat(r.details())
                .containsEntry("status", "200 OK")
                .containsEntry("server", "FakeHTTP/2.5 (Test)")
                .containsEntry("title", "Fake Page");
        assertThat(r.tried()).containsExactly("banner", "http-get");
        assertThat(r.firstBytes()).startsWith("HTTP/1.1 200 OK\\r\\nServer:");
        assertThat(r.error()).isEmpty();
        assertThat(r.tls()).isNull();
    }

    @Test
    void identifiesHttpOfAnNginxProcessWithOneProbeOnOneConnection() throws Exception {
        TcpServer server = new TcpServer(HTTP);
        open.add(server);

        Wire r = Prober.withDefaults().probe(server.address(), Transport.TCP, new Hints(List.of(), List.of("nginx")));

        assertThat(r.protocol()).isEqualTo("http");
        assertThat(r.tried()).containsExactly("http-get"); // no banner wait
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void identifiesServerFirstSshBannerWithoutSendingAnything() throws Exception {
        Wire r = prober.probe(
                tcp(s -> {
                    write(s, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
                    Fakes.stayQuiet(s);
                }),
                Transport.TCP,
                Hints.none());

        assertThat(r.protocol()).isEqualTo("ssh");
        assertThat(r.product()).isEqualTo("OpenSSH");
        assertThat(r.version()).isEqualTo("9.2p1");
        assertThat(r.tried()).containsExactly("banner");
        assertThat(r.firstBytes()).isEqualTo("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\\r\\n");
        assertThat(r.bytesReceived()).isEqualTo(40);
    }

    private static final Handler REDIS = s -> {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
            String req = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            if (req.contains("PING")) {
                String info = "# Server\r\nredis_version:7.2.4\r\nredis_mode:standalone\r\n";
                write(s, "+PONG\r\n$" + info.length() + "\r\n" + info + "\r\n");
            } else if (req.startsWith("GET ")) {
                write(s, "-ERR wrong number of arguments for 'get' command\r\n");
            }
        }
    };

    @Test
    void identifiesRedisByItsPongAndVersionFromInfo() throws Exception {
        Wire r = prober.probe(tcp(REDIS), Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("redis");
        assertThat(r.confident()).isTrue();
        assertThat(r.product()).isEqualTo("Redis");
        assertThat(r.version()).isEqualTo("7.2.4");
        // http-get's answer made redis likely, so only probes that can confirm it were tried
        assertThat(r.tried()).containsExactly("banner", "http-get", "redis");
    }

    @Test
    void redisServerProcessHintGoesStraightToTheRedisProbe() throws Exception {
        Wire r = prober.probe(tcp(REDIS), Transport.TCP, new Hints(List.of(), List.of("redis-server")));

        assertThat(r.protocol()).isEqualTo("redis");
        assertThat(r.tried()).containsExactly("redis");
    }

    @Test
    void identifiesMariaDbFromItsGreeting() throws Exception {
        Wire r = prober.probe(
                tcp(s -> {
                    write(s, RecordedAnswers.MARIADB_GREETING);
                    Fakes.stayQuiet(s);
                }),
                Transport.TCP,
                Hints.none());

        assertThat(r.protocol()).isEqualTo("mysql");
        assertThat(r.product()).isEqualTo("MariaDB");
        assertThat(r.version()).isEqualTo("10.11.19");
        assertThat(r.firstBytes()).startsWith("d\\x00\\x00\\x00\\n5.5.5-10.11.19-MariaDB");
    }

    @Test
    void tellsFtpFromSmtpBehindABare220BySendingSyst() throws Exception {
        Wire r = prober.probe(
                tcp(s -> {
                    write(s, "220 Welcome\r\n");
                    while (true) {
                        String req = request(s);
                        if (req.isEmpty()) {
                            return;
                        }
                        write(s, req.startsWith("SYST") ? "215 UNIX Type: L8\r\n" : "500 Unknown command.\r\n");
                    }
                }),
                Transport.TCP,
                Hints.none());

        assertThat(r.protocol()).isEqualTo("ftp");
        assertThat(r.confident()).isTrue();
        assertThat(r.details()).containsEntry("banner", "Welcome").containsEntry("syst", "UNIX Type: L8");
        assertThat(r.tried()).containsExactly("banner", "syst");
    }

    @Test
    void postgresSslAnswerAloneIsReportedButNotConfident() throws Exception {
        Wire r = prober.probe(
                tcp(s -> {
                    byte[] req = Fakes.readRequest(s, 2000);
                    if (req.length == 8 && req[4] == 0x04 && req[5] == (byte) 0xd2) {
                        write(s, "N");
                        Fakes.stayQuiet(s);
                    }
                }),
                Transport.TCP,
                Hints.none());

        assertThat(r.protocol()).isEqualTo("postgresql");
        assertThat(r.confident()).isFalse();
        assertThat(r.details()).containsEntry("ssl", "no");
        assertThat(r.tried()).endsWith("pg-ssl", "pg-startup");
    }

    @Test
    void identifiesHttp2PriorKnowledgeBySettingsFrame() throws Exception {
        Wire r = prober.probe(
                tcp(s -> {
                    if (request(s).startsWith("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")) {
                        write(
                                s,
                                "\u0000\u0000\u0006\u0004\u0000\u0000\u0000\u0000\u0000\u0000\u0003\u0000\u0000\u0000\u0064");
                        Fakes.stayQuiet(s);
                    }
                }),
                Transport.TCP,
                Hints.none());

        assertThat(r.protocol()).isEqualTo("http2");
        assertThat(r.confident()).isTrue();
        assertThat(r.tried()).last().isEqualTo("http2");
    }

    @Test
    void userSignaturesAreTriedBeforeTheBuiltInOnes() throws Exception {
        List<Signature> mine = SignatureFile.parse("""
                probe hello tcp
                  send "HELLO\\r\\n"
                  match hello m|^HI ([\\w-]+) ([\\d.]+)| product=$1 version=$2
                """, "mine.txt");
        Prober p = Prober.builder().options(FAST).extraSignatures(mine).build();
        Wire r = p.probe(
                tcp(s -> {
                    if (request(s).equals("HELLO\r\n")) {
                        write(s, "HI hello-server 3.1\r\n");
                    }
                }),
                Transport.TCP,
                Hints.none());

        assertThat(r.protocol()).isEqualTo("hello");
        assertThat(r.product()).isEqualTo("hello-server");
        assertThat(r.version()).isEqualTo("3.1");
        assertThat(r.tried()).containsExactly("banner", "hello");
    }

    // ------------------------------------------------------------------ udp

    /** Answers the built-in version.bind query like a DNS server that calls itself "FakeDNS 1.0". */
    static byte[] dnsAnswer(byte[] q) {
        if (q.length < 12 || q[0] != 0x70 || q[1] != 0x6c) {
            return null;
        }
        String query = new String(q, StandardCharsets.ISO_8859_1);
        String txt = "FakeDNS 1.0";
        String answer = "\u00c0\u000c\u0000\u0010\u0000\u0003\u0000\u0000\u0000\u0000\u0000" + (char) (txt.length() + 1)
                + (char) txt.length() + txt;
        return latin1("pl\u0084\u0080\u0000\u0001\u0000\u0001\u0000\u0000\u0000\u0000" + query.substring(12) + answer);
    }

    @Test
    void identifiesDnsOverUdp() throws Exception {
        Wire r = prober.probe(udp(ProberTest::dnsAnswer), Transport.UDP, Hints.none());

        assertThat(r.protocol()).isEqualTo("dns");
        assertThat(r.confident()).isTrue();
        assertThat(r.details()).containsEntry("version-bind", "FakeDNS 1.0");
        assertThat(r.tried()).containsExactly("dns-udp");
    }

    @Test
    void identifiesNtpAndItsStratum() throws Exception {
        Wire r = prober.probe(
                udp(q -> q.length == 48 && (q[0] & 7) == 3
                        ? latin1("\u0024\u0003\u0003\u00e9" + "\u0000".repeat(44))
                        : null),
                Transport.UDP,
                Hints.none());

        assertThat(r.protocol()).isEqualTo("ntp");
        assertThat(r.details()).containsEntry("stratum", "3");
        assertThat(r.tried()).containsExactly("dns-udp", "ntp");
    }

    @Test
    void identifiesSnmpAndReportsSysDescr() throws Exception {
        InetSocketAddress a = udp(q -> q[0] == 0x30 ? latin1(Fakes.snmpResponse("Fake agent on Linux")) : null);
        Wire r = prober.probe(a, Transport.UDP, new Hints(List.of("snmp"), List.of()));

        assertThat(r.protocol()).isEqualTo("snmp");
        assertThat(r.details()).containsEntry("sysdescr", "Fake agent on Linux");
        assertThat(r.tried()).containsExactly("snmp");
    }

    @Test
    void closedUdpPortIsPortUnreachable() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = s.getLocalPort();
        }
        Wire r = prober.probe(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Transport.UDP, Hints.none());

        assertThat(r.protocol()).isEqualTo("none");
        assertThat(r.error()).isEqualTo("port unreachable");
    }

    @Test
    void silentUdpServiceIsNoResponse() throws Exception {
        InetSocketAddress target = udp(q -> null);
        Wire r = prober.probe(target, Transport.UDP, Hints.none());

        assertThat(r.protocol()).isEqualTo("none");
        // the UDP probes in order, each unanswered, until they or the time budget ran out
        List<String> order = prober.order(target.getPort(), Transport.UDP, Hints.none());
        assertThat(r.tried()).isNotEmpty().isEqualTo(order.subList(0, r.tried().size()));
        assertThat(r.error())
                .startsWith("no response to any probe (" + r.tried().size() + " tried)");
        assertThat(r.details()).containsKey("silent");
    }

    // ------------------------------------------------------------------ nothing there, nothing said

    @Test
    void nothingListeningIsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Wire r = prober.probe(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("none");
        assertThat(r.error()).isEqualTo("connection refused");
        assertThat(r.confident()).isFalse();
        assertThat(r.bytesReceived()).isZero();
        assertThat(r.tried()).isEmpty();
    }

    @Test
    void unresolvedHostIsReportedNotThrown() {
        Wire r = prober.probe(
                InetSocketAddress.createUnresolved("no-such-host.invalid", 80), Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("none");
        assertThat(r.error()).isEqualTo("unresolved host no-such-host.invalid");
    }

    @Test
    void unknownBannerIsReportedAsUnknownWithItsFirstBytes() throws Exception {
        InetSocketAddress a = tcp(s -> {
            write(s, "XYZZY 1.0 ready\r\n");
            Fakes.stayQuiet(s);
        });
        Wire r = prober.probe(a, Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("unknown");
        assertThat(r.confident()).isFalse();
        assertThat(r.details()).containsEntry("received", "17 bytes").containsEntry("probe", "banner");
        assertThat(r.firstBytes()).isEqualTo("XYZZY 1.0 ready\\r\\n");
        assertThat(r.bytesReceived()).isEqualTo(17);
        assertThat(r.error()).isEmpty();
        assertThat(r.tried()).first().isEqualTo("banner");
        assertThat(prober.order(a.getPort(), Transport.TCP, Hints.none())).containsAll(r.tried());
    }

    @Test
    void unknownAnswerIsDescribed() throws Exception {
        InetSocketAddress a = tcp(s -> {
            write(s, "\u0000\u0000\u0000\u000bXYZZY ready");
            Fakes.stayQuiet(s);
        });
        Wire r = prober.probe(a, Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("unknown");
        Answer answer = r.answer().orElseThrow();
        assertThat(answer.length()).isEqualTo(15);
        assertThat(answer.shape()).isEqualTo(Answer.Shape.LENGTH_PREFIXED);
        assertThat(answer.framing()).isEqualTo("4-byte big-endian length of the rest");
        assertThat(answer.text()).isEqualTo("XYZZY ready");
        assertThat(answer.hex()).startsWith("00 00 00 0b 58 59");
        assertThat(answer.nmap()).isEmpty(); // nmap's probes were not loaded
    }

    @Test
    void unknownAnswerIsTriedAgainstNmapsMatchLinesOfEveryProbe() throws Exception {
        // written for this test in nmap's format; the line belongs to a probe that is never sent here
        NmapProbes.Loaded nmap = NmapProbes.parse(
                "Probe TCP Hello q|HELLO\\r\\n|\nrarity 1\nmatch xyzzy m|^XYZZY ([\\d.]+) ready| p/Xyzzy/ v/$1/\n",
                "test-probes",
                7);
        Prober withNmap = Prober.builder()
                .options(FAST)
                .fallbackSignatures(nmap.signatures())
                .build();
        InetSocketAddress a = tcp(s -> {
            write(s, "XYZZY 1.0 ready\r\n");
            Fakes.stayQuiet(s);
        });
        Wire r = withNmap.probe(a, Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("unknown");
        assertThat(r.tried()).doesNotContain("nmap-Hello");
        assertThat(r.answer().orElseThrow().nmap()).isEqualTo("xyzzy (Xyzzy 1.0) by test-probes:3");
    }

    @Test
    void serverThatClosesAtOnceIsNoResponse() throws Exception {
        TcpServer server = new TcpServer(s -> {});
        open.add(server);

        Wire r = prober.probe(server.address(), Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("none");
        assertThat(r.error()).isEqualTo("no response to any probe (" + r.tried().size() + " tried)");
        assertThat(r.tried()).hasSizeGreaterThan(5);
        assertThat(r.details()).containsKey("closed");
        // every probe of the plan was tried once, then the prober stopped
        assertThat(r.tried())
                .containsExactlyElementsOf(prober.order(server.address().getPort(), Transport.TCP, Hints.none()));
    }

    // ------------------------------------------------------------------ hostile servers

    @Test
    void serverThatNeverAnswersEndsWithinTheTimeBudget() throws Exception {
        Wire r = prober.probe(tcp(Fakes::stayQuiet), Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("none");
        assertThat(r.error())
                .isEqualTo("no response to any probe (" + r.tried().size() + " tried); "
                        + "stopped at the time budget of " + FAST_BUDGET_MILLIS + " ms");
        assertThat(r.details()).containsKey("silent");
        assertThat(r.tried()).first().isEqualTo("banner");
    }

    @Test
    void endlessBytesAreCutAtMaxBytes() throws Exception {
        Wire r = prober.probe(
                tcp(s -> {
                    byte[] junk = latin1("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".repeat(32));
                    OutputStream out = s.getOutputStream();
                    while (true) {
                        out.write(junk);
                    }
                }),
                Transport.TCP,
                Hints.none());

        assertThat(r.protocol()).isEqualTo("unknown");
        assertThat(r.bytesReceived()).isLessThanOrEqualTo(FAST.maxBytes()).isPositive();
        assertThat(r.details()).containsEntry("received", r.bytesReceived() + " bytes");
        assertThat(r.firstBytes()).hasSize(Matching.FIRST_BYTES);
        assertThat(r.details()).containsEntry("probe", "banner"); // the first answer, cut, is the one reported
    }

    @Test
    void escapeSequencesAndNulBytesNeverReachFirstBytesRaw() throws Exception {
        Wire r = prober.probe(
                tcp(s -> {
                    write(s, "\u001b[2J\u001b]0;pwned\u0007HELLO\u0000\u0000WORLD\u009b\r\n");
                    Fakes.stayQuiet(s);
                }),
                Transport.TCP,
                Hints.none());

        assertThat(r.protocol()).isEqualTo("unknown");
        assertThat(r.firstBytes()).isEqualTo("\\x1b[2J\\x1b]0;pwned\\x07HELLO\\x00\\x00WORLD\\x9b\\r\\n");
        assertThat(r.firstBytes().chars()).noneMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0));
        assertThat(r.summary().chars()).noneMatch(c -> c < 0x20);
    }

    @Test
    void escapeSequencesInAMatchedBannerAreEscapedInDetails() throws Exception {
        Wire r = prober.probe(
                tcp(s -> {
                    write(s, "SSH-2.0-Evil_1.0 \u001b[31mred\u0000\r\n");
                    Fakes.stayQuiet(s);
                }),
                Transport.TCP,
                Hints.none());

        assertThat(r.protocol()).isEqualTo("ssh");
        assertThat(r.details().get("comment")).isEqualTo("\\x1b[31mred\\x00");
    }

    // ------------------------------------------------------------------ order

    @Test
    void processNamesPutTheirProbesFirst() {
        Prober p = Prober.withDefaults();
        assertThat(p.order(12345, Transport.TCP, new Hints(List.of(), List.of("redis-server"))))
                .first()
                .isEqualTo("redis");
        assertThat(p.order(12345, Transport.TCP, new Hints(List.of(), List.of("postgres"))))
                .startsWith("pg-ssl", "pg-startup");
        assertThat(p.order(12345, Transport.TCP, new Hints(List.of(), List.of("nginx"))))
                .first()
                .isEqualTo("http-get");
        assertThat(p.order(12345, Transport.TCP, new Hints(List.of(), List.of("python3"))))
                .first()
                .isEqualTo("http-get");
        assertThat(p.order(12345, Transport.TCP, new Hints(List.of(), List.of("sshd"))))
                .first()
                .isEqualTo("banner");
        assertThat(p.order(12345, Transport.TCP, new Hints(List.of(), List.of("mosquitto"))))
                .first()
                .isEqualTo("mqtt");
    }

    @Test
    void portsAndIanaNamesPutTheirProbesFirst() {
        Prober p = Prober.withDefaults();
        assertThat(p.order(443, Transport.TCP, Hints.none())).first().isEqualTo("tls");
        assertThat(p.order(22, Transport.TCP, Hints.none())).first().isEqualTo("banner");
        assertThat(p.order(8080, Transport.TCP, Hints.none())).first().isEqualTo("http-get");
        assertThat(p.order(40000, Transport.TCP, new Hints(List.of("https"), List.of())))
                .first()
                .isEqualTo("tls");
        assertThat(p.order(53, Transport.UDP, Hints.none())).first().isEqualTo("dns-udp");
        assertThat(p.order(123, Transport.UDP, Hints.none())).first().isEqualTo("ntp");
        assertThat(p.order(161, Transport.UDP, Hints.none())).first().isEqualTo("snmp");
    }

    @Test
    void processNameOutweighsThePort() {
        // sshd moved to port 443
        assertThat(Prober.withDefaults().order(443, Transport.TCP, new Hints(List.of("https"), List.of("sshd"))))
                .first()
                .isEqualTo("banner");
    }

    @Test
    void withoutHintsTheBannerWaitComesFirstThenHttpAndTls() {
        assertThat(Prober.withDefaults().order(40000, Transport.TCP, Hints.none()))
                .startsWith("banner", "http-get", "tls");
    }

    @Test
    void aHintedClientFirstProbeSkipsTheBannerWait() {
        assertThat(Prober.withDefaults().order(80, Transport.TCP, Hints.none())).doesNotContain("banner");
    }

    @Test
    void otherTransportsAreNotProbed() {
        Wire r = prober.probe(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), Transport.SCTP, Hints.none());
        assertThat(r.protocol()).isEqualTo("none");
        assertThat(r.error()).isEqualTo("cannot probe sctp: only tcp and udp");
    }
}
