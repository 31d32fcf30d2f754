package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.portlens.testkit.Needs;

/**
 * {@code portlens PORT} on a terminal (a pseudo-terminal made by util-linux's {@code script}) prints
 * what it knows before the probes at once, and the wire when the probes end; piped, the answer is
 * the usual one, all at once, with the wire in each listener's block. The listener is this test's
 * own: it accepts and never says a word, so its probes take about one probe timeout.
 */
class StreamedAnswerIT {

    private static String jar() {
        return Path.of(System.getProperty("portlens.jar", "target/portlens.jar"))
                .toAbsolutePath()
                .toString();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A listener of this JVM that accepts every connection and stays silent. */
    private static ServerSocket silentListener(List<Socket> held) throws Exception {
        ServerSocket server = new ServerSocket(0, 64, InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    held.add(server.accept());
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void onATerminalTheOwnersPrintBeforeTheProbesEndAndTheWireFollows() throws Exception {
        Needs.binary("script", "bsdutils", "/usr/bin/script");
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket server = silentListener(held)) {
            String cmd =
                    "'" + java() + "' -jar '" + jar() + "' " + server.getLocalPort() + " --tcp --probe-timeout 1500";
            Process p = new ProcessBuilder("/usr/bin/script", "-qec", cmd, "/dev/null")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            InputStream in = p.getInputStream();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            long probingAt = -1;
            long wireAt = -1;
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) >= 0) {
                seen.write(buf, 0, n);
                String text = seen.toString(StandardCharsets.UTF_8);
                if (probingAt < 0 && text.contains("probing the listeners")) {
                    probingAt = System.nanoTime();
                }
                if (wireAt < 0 && text.contains("What it speaks")) {
                    wireAt = System.nanoTime();
                }
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = seen.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("Listening here", "What it speaks", "Verdict", "Check by hand");
            assertThat(out.indexOf("Listening here")).isLessThan(out.indexOf("probing the listeners"));
            assertThat(out.indexOf("probing the listeners")).isLessThan(out.indexOf("What it speaks"));
            assertThat(out).contains("no response to any probe");
            assertThat(probingAt).as(out).isPositive();
            // the owners were on the screen while the probes (1.5 s each, side by side) still ran
            assertThat(TimeUnit.NANOSECONDS.toMillis(wireAt - probingAt))
                    .as(out)
                    .isGreaterThan(700);
        }
    }

    @Test
    void pipedTheAnswerKeepsTheWireInEachListenersBlock() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket server = silentListener(held)) {
            Process p = new ProcessBuilder(java(), "-jar", jar(), Integer.toString(server.getLocalPort()), "--tcp")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out).contains("Listening here", "      wire      ", "Verdict");
            assertThat(out).doesNotContain("What it speaks", "probing the listeners");
        }
    }
}
