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
 * New probes against real servers this test starts on 127.0.0.1, each on a free port (never its
 * well-known one): an rsync daemon ({@code rsync --daemon --no-detach}, which speaks first) and git's
 * daemon ({@code git daemon --informative-errors}, which waits for the client's pkt-line). Both come
 * with Debian's rsync and git packages; the test skips with one line when one is missing.
 */
class HelloProbesIT {

    @TempDir
    Path dir;

    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void rsyncDaemonIsRecognisedByItsGreeting() throws Exception {
        Path rsync = Needs.binary("rsync", "rsync", "/usr/bin/rsync");
        Files.createDirectories(dir.resolve("share"));
        Path conf = Files.writeString(
                dir.resolve("rsyncd.conf"),
                "use chroot = no\npid file = " + dir.resolve("rsyncd.pid") + "\n[share]\n  path = "
                        + dir.resolve("share") + "\n  read only = yes\n");
        int port = freePort();
        server = start(
                List.of(
                        rsync.toString(),
                        "--daemon",
                        "--no-detach",
                        "--address=127.0.0.1",
                        "--port=" + port,
                        "--config=" + conf,
                        "--log-file=" + dir.resolve("rsyncd.log")),
                port);

        Wire w = probe(port, Hints.none());
        assertThat(w.protocol()).as(w.summary()).isEqualTo("rsync");
        assertThat(w.details()).containsKey("protocol-version");
        assertThat(w.tried()).containsExactly("banner");
    }

    @Test
    void gitDaemonAnswersTheUploadPackRequest() throws Exception {
        Path git = Needs.binary("git", "git", "/usr/bin/git");
        int port = freePort();
        server = start(
                List.of(
                        git.toString(),
                        "daemon",
                        "--listen=127.0.0.1",
                        "--port=" + port,
                        "--reuseaddr",
                        "--informative-errors",
                        "--base-path=" + dir,
                        dir.toString()),
                port);

        // as explain would: the process holding the port is named
        Wire w = probe(port, new Hints(List.of(), List.of("git")));
        assertThat(w.protocol()).as(w.summary()).isEqualTo("git");
        assertThat(w.details().get("error")).contains("/portlens.git");
    }

    private static Wire probe(int port, Hints hints) {
        return Prober.builder()
                // one probe after another, as `portlens probe` does: each test says which step named the server
                .options(ProbeOptions.loopback().withConnections(1))
                .build()
                .probe(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Transport.TCP, hints);
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
