package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.model.Transport;
import org.portlens.testkit.Needs;

/**
 * The HTTP fingerprints against the two servers of the table that send no Server header, started by
 * this test on 127.0.0.1 on a free port with one index.html: lighttpd with {@code server.tag = ""}
 * and BusyBox httpd. Debian packages lighttpd and busybox; the test skips with one line without them.
 */
class HttpFingerprintIT {

    @TempDir
    Path dir;

    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.destroyForcibly();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void lighttpdWithoutServerTag() throws Exception {
        Path lighttpd = Needs.binary("lighttpd", "lighttpd", "/usr/sbin/lighttpd");
        Path www = www();
        int port = freePort();
        Path conf = Files.writeString(
                dir.resolve("lighttpd.conf"),
                "server.document-root = \"" + www + "\"\nserver.bind = \"127.0.0.1\"\nserver.port = " + port
                        + "\nserver.tag = \"\"\nserver.errorlog = \"" + dir.resolve("error.log") + "\"\n"
                        + "index-file.names = ( \"index.html\" )\nmimetype.assign = ( \".html\" => \"text/html\" )\n");
        server = start(List.of(lighttpd.toString(), "-D", "-f", conf.toString()), port);

        Wire w = probe(port);
        assertThat(w.protocol()).as(w.summary()).isEqualTo("http");
        assertThat(w.product()).isEmpty();
        assertThat(w.details().get("fingerprint")).as(w.summary()).startsWith("likely lighttpd (");
    }

    @Test
    void busyboxHttpd() throws Exception {
        Path busybox = Needs.binary("busybox", "busybox", "/usr/bin/busybox");
        Path www = www();
        int port = freePort();
        server = start(
                List.of(busybox.toString(), "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", www.toString()), port);

        Wire w = probe(port);
        assertThat(w.protocol()).as(w.summary()).isEqualTo("http");
        assertThat(w.details().get("fingerprint")).as(w.summary()).startsWith("likely BusyBox httpd (");
    }

    private Path www() throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(
                www.resolve("index.html"), "<html><head><title>portlens</title></head><body>hi</body></html>\n");
        return www;
    }

    private static Wire probe(int port) {
        return Prober.builder()
                .options(ProbeOptions.loopback())
                .build()
                .probe(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Transport.TCP, Hints.none());
    }

    private Process start(List<String> cmd, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.out").toFile())
                .start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end && p.isAlive()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return p;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new AssertionError(
                cmd.get(0) + " did not accept on " + port + ": " + Files.readString(dir.resolve("server.out")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
