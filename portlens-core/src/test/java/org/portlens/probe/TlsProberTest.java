package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.model.Transport;
import org.portlens.probe.Fakes.Handler;
import org.portlens.probe.Fakes.TcpServer;

/**
 * TLS identification against fake servers with self-signed certificates that {@code keytool}
 * (from the running JDK) makes in a temporary directory: one valid for two days, one expired.
 */
class TlsProberTest {

    private static final char[] PASSWORD = "portlens".toCharArray();

    @TempDir
    static Path keys;

    static SSLContext valid;
    static SSLContext expired;

    /**
     * {@link ProberTest#FAST} with a longer wait for each answer: a TLS handshake on a busy machine
     * can take longer than FAST's 200 ms, which then reads as a failed handshake.
     */
    private final Prober prober = Prober.builder()
            .options(ProberTest.FAST.withProbeTimeout(Duration.ofSeconds(2)))
            .build();

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        valid = context(keytool("valid.p12", "-validity", "2"));
        expired = context(keytool("expired.p12", "-startdate", "-10d", "-validity", "1"));
    }

    private static Path keytool(String file, String... validity) throws Exception {
        Path store = keys.resolve(file);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new ArrayList<>(List.of(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "test",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=portlens.test, O=portlens",
                "-ext",
                "san=dns:portlens.test,ip:127.0.0.1",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD),
                "-keypass",
                new String(PASSWORD)));
        cmd.addAll(List.of(validity));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(Files.exists(store)).isTrue();
        return store;
    }

    private static SSLContext context(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    @AfterEach
    void closeFakes() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A TLS server offering {@code alpn}, answering HTTP/1.x GETs unless the session chose h2. */
    private InetSocketAddress tlsServer(SSLContext ctx, String[] alpn, boolean http) throws IOException {
        SSLServerSocket server = (SSLServerSocket)
                ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SSLParameters params = server.getSSLParameters();
        params.setApplicationProtocols(alpn);
        server.setSSLParameters(params);
        Handler h = s -> {
            SSLSocket tls = (SSLSocket) s;
            tls.setSoTimeout(2000);
            tls.startHandshake();
            if (!http || "h2".equals(tls.getApplicationProtocol())) {
                Fakes.stayQuiet(s);
                return;
            }
            byte[] buf = new byte[4096];
            int n = tls.getInputStream().read(buf);
            if (n > 0 && new String(buf, 0, n, StandardCharsets.ISO_8859_1).startsWith("GET / HTTP/1.")) {
                tls.getOutputStream()
                        .write(("HTTP/1.1 200 OK\r\nServer: FakeTLS/1.0\r\nConnection: close\r\n\r\n"
                                        + "<title>Secure Fake</title>")
                                .getBytes(StandardCharsets.ISO_8859_1));
                tls.getOutputStream().flush();
            }
        };
        TcpServer fake = new TcpServer(server, h);
        open.add(fake);
        return fake.address();
    }

    @Test
    void identifiesHttpsAndReportsTheSelfSignedCertificate() throws Exception {
        Instant before = Instant.now();
        Wire r = prober.probe(tlsServer(valid, new String[] {"http/1.1"}, true), Transport.TCP, Hints.none());

        assertThat(r.protocol()).isEqualTo("https");
        assertThat(r.confident()).isTrue();
        assertThat(r.product()).isEqualTo("FakeTLS");
        assertThat(r.version()).isEqualTo("1.0");
        assertThat(r.details())
                .containsEntry("status", "200 OK")
                .containsEntry("title", "Secure Fake")
                .containsEntry("alpn", "http/1.1");
        assertThat(r.tried()).last().isEqualTo("tls");
        assertThat(r.firstBytes()).startsWith("HTTP/1.1 200 OK");
        TlsInfo tls = r.tls();
        assertThat(tls).isNotNull();
        assertThat(tls.version()).startsWith("TLSv1.");
        assertThat(tls.cipher()).startsWith("TLS_");
        assertThat(tls.alpn()).isEqualTo("http/1.1");
        assertThat(tls.subject()).contains("CN=portlens.test");
        assertThat(tls.issuer()).isEqualTo(tls.subject());
        assertThat(tls.sans()).containsExactly("portlens.test", "127.0.0.1");
        assertThat(tls.selfSigned()).isTrue();
        assertThat(tls.expired()).isFalse();
        assertThat(tls.notBefore()).isBetween(before.minus(Duration.ofMinutes(5)), Instant.now());
        assertThat(Duration.between(tls.notBefore(), tls.notAfter())).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void reportsAnExpiredCertificateAsExpired() throws Exception {
        Wire r = prober.probe(
                tlsServer(expired, new String[] {"http/1.1"}, true),
                Transport.TCP,
                new Hints(List.of("https"), List.of()));

        assertThat(r.protocol()).isEqualTo("https");
        assertThat(r.tried()).containsExactly("tls");
        assertThat(r.tls().expired()).isTrue();
        assertThat(r.tls().notAfter()).isBefore(Instant.now());
    }

    @Test
    void h2SessionIsFollowedByAnHttp1SessionForStatusAndServer() throws Exception {
        Wire r = prober.probe(
                tlsServer(valid, new String[] {"h2", "http/1.1"}, true),
                Transport.TCP,
                new Hints(List.of("https"), List.of()));

        assertThat(r.protocol()).isEqualTo("https");
        assertThat(r.details()).containsEntry("alpn", "h2").containsEntry("status", "200 OK");
        assertThat(r.tls().alpn()).isEqualTo("h2");
        assertThat(r.product()).isEqualTo("FakeTLS");
    }

    @Test
    void tlsWithoutHttpInsideIsTls() throws Exception {
        Wire r = prober.probe(
                tlsServer(valid, new String[0], false), Transport.TCP, new Hints(List.of("https"), List.of()));

        assertThat(r.protocol()).isEqualTo("tls");
        assertThat(r.confident()).isTrue();
        assertThat(r.tls()).isNotNull();
        assertThat(r.tls().subject()).contains("portlens.test");
        assertThat(r.bytesReceived()).isPositive();
        assertThat(r.details()).doesNotContainKey("alpn");
    }

    @Test
    void plainHttpServerAnsweringTheClientHelloIsHttp() throws Exception {
        TcpServer plain = new TcpServer(s -> {
            byte[] req = Fakes.readRequest(s, 2000);
            if (req.length > 0) {
                s.getOutputStream()
                        .write("HTTP/1.1 400 Bad Request\r\nServer: plain\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
            }
        });
        open.add(plain);

        Wire r = prober.probe(plain.address(), Transport.TCP, new Hints(List.of("https"), List.of()));

        assertThat(r.protocol()).isEqualTo("http");
        assertThat(r.tried()).containsExactly("tls");
        assertThat(r.details()).containsEntry("status", "400 Bad Request");
        assertThat(r.tls()).isNull();
    }
}
