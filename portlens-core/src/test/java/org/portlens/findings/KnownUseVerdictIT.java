package org.portlens.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.Explainer;
import org.portlens.Explanation;
import org.portlens.discovery.SocketTable;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.registry.KnownUse;
import org.portlens.registry.KnownUses;
import org.portlens.testkit.Needs;

/**
 * The verdict on real processes of this test, read through the real socket table: a Python HTTP
 * server on a port known for other software, and a copy of the Python interpreter renamed like
 * another program, are not said to be the port's known use; the same copy named as the software's
 * executable is.
 */
class KnownUseVerdictIT {

    final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code program -m http.server PORT} on loopback and waits until it accepts. */
    Process httpServer(Path program, int port) throws Exception {
        Process p = new ProcessBuilder(
                        program.toString(), "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        children.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(program + " -m http.server exited with " + p.exitValue());
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(program + " -m http.server did not listen on " + port + " in 20 s");
    }

    static Explanation explain(KnownUses uses, int port) {
        return Explainer.builder()
                .knownUses(uses)
                .socketTable(SocketTable.system())
                .build()
                .explain(PortRange.of(port), Optional.of(Transport.TCP));
    }

    static Finding holderFinding(Explanation e, int port) {
        return e.findings().stream()
                .filter(f -> f instanceof Finding.KnownUseMatch
                        || f instanceof Finding.LabelMismatch
                        || f instanceof Finding.NoRegisteredName
                        || f instanceof Finding.RegisteredService)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no finding about the holder of " + port + ": " + e.findings()));
    }

    @Test
    void aPythonHttpServerOnAPortKnownForOtherSoftwareIsNotThatSoftware() throws Exception {
        Path python = Needs.binary("python3", "python3", "/usr/bin/python3");
        KnownUses bundled = KnownUses.bundled();
        // ports whose known uses are other software than Python's http.server; the first one free here
        int port = 0;
        for (int candidate : new int[] {18080, 8888, 7077, 4040, 6006, 9100, 8161}) {
            List<KnownUse> uses = bundled.overlapping(PortRange.of(candidate), Transport.TCP);
            if (!uses.isEmpty()
                    && uses.stream().noneMatch(u -> u.software().equals("Python http.server"))
                    && free(candidate)) {
                port = candidate;
                break;
            }
        }
        if (port == 0) {
            abort("every candidate port known for other software is taken on this machine");
        }
        httpServer(python, port);

        Explanation e = explain(bundled, port);

        Finding f = holderFinding(e, port);
        assertThat(f).isNotInstanceOf(Finding.KnownUseMatch.class);
        String sentence = Sentences.of(f);
        assertThat(sentence)
                .doesNotContain("a known use does")
                .contains("the port is known for ")
                .contains("but its owner is")
                .contains("a Python HTTP server");
        assertThat(e.findings()).noneMatch(x -> x instanceof Finding.KnownUseMatch);
    }

    @Test
    void aCopiedInterpreterRenamedLikeAnotherProgramIsNotTheKnownUseButTheRealNameIs(@TempDir Path dir)
            throws Exception {
        Path python = Needs.binary("python3", "python3", "/usr/bin/python3");
        // the bundled node_exporter entry, moved to a free port so that the test owns it
        KnownUse nodeExporter = KnownUses.bundled().overlapping(PortRange.of(9100), Transport.TCP).stream()
                .filter(u -> u.software().equals("Prometheus node_exporter"))
                .findFirst()
                .orElseThrow();
        int port = freePort();
        KnownUses uses = KnownUses.parse(
                port + "\ttcp\t" + nodeExporter.software() + "\t" + nodeExporter.use() + "\t" + nodeExporter.source()
                        + "\t" + nodeExporter.identity() + "\n",
                "test.tsv");

        // "prometheus" shares a word with "Prometheus node_exporter", and is another program
        Path lookAlike = Files.copy(python.toRealPath(), dir.resolve("prometheus"));
        Process p = httpServer(lookAlike, port);
        Finding f = holderFinding(explain(uses, port), port);
        assertThat(f).isNotInstanceOf(Finding.KnownUseMatch.class);
        assertThat(Sentences.of(f))
                .contains("the port is known for Prometheus node_exporter, but its owner is not that software")
                .contains(": prometheus (pid " + p.pid() + ",");
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        int again = freePort();
        uses = KnownUses.parse(
                again + "\ttcp\t" + nodeExporter.software() + "\t" + nodeExporter.use() + "\t" + nodeExporter.source()
                        + "\t" + nodeExporter.identity() + "\n",
                "test.tsv");

        // the same bytes under the executable's real name are, by the rule, node_exporter
        Path named = Files.copy(python.toRealPath(), dir.resolve("node_exporter"));
        httpServer(named, again);
        Finding g = holderFinding(explain(uses, again), again);
        assertThat(g).isInstanceOfSatisfying(Finding.KnownUseMatch.class, k -> {
            assertThat(k.software()).isEqualTo("Prometheus node_exporter");
            assertThat(k.matchedBy()).isEqualTo("executable node_exporter");
        });
    }
}
