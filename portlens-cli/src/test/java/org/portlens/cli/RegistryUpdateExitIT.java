package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code registry update} and {@code probe --probes}: every input is bounded in bytes and time, a
 * network failure is exit 4 with the cause in words, bad input stays 2, and nothing is installed.
 * Only files and loopback servers of this test.
 */
class RegistryUpdateExitIT {

    @TempDir
    Path data;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    CliRun update(String from, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "registry";
        args[1] = "update";
        args[2] = "--from=" + from;
        args[3] = "--data-dir=" + data;
        System.arraycopy(more, 0, args, 4, more.length);
        return run(args);
    }

    /** The data directory holds nothing: no registry, no temporary file. */
    void nothingInstalled() throws IOException {
        try (Stream<Path> s = Files.list(data)) {
            assertThat(s.filter(p -> !p.getFileName().toString().startsWith("input")))
                    .isEmpty();
        }
    }

    static void oneLine(CliRun r) {
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    }

    @Test
    void aFileThatNeverEndsIsRefusedAtTheByteLimit() throws IOException {
        long start = System.nanoTime();
        CliRun r = update("/dev/zero");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains("/dev/zero holds more than 50 MB, the limit for a registry")
                .contains("unchanged");
        oneLine(r);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        nothingInstalled();
    }

    @Test
    void aHugeSparseFileIsRefusedWithoutReadingIt() throws IOException {
        Path huge = data.resolve("input-huge.xml");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(8L << 30); // 8 GiB of holes: no disk used
        }
        CliRun r = update(huge.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(huge + " holds more than 50 MB");
        oneLine(r);
        nothingInstalled();
    }

    @Test
    void aRefusedConnectionIsExitFourWithTheCauseInWords() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/r.xml";
        CliRun r = update(url);
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("cannot fetch " + url + ": connection refused by 127.0.0.1:" + port);
        oneLine(r);
        nothingInstalled();
    }

    @Test
    void aServerThatNeverAnswersIsExitFourAfterTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/r.xml";
            long start = System.nanoTime();
            CliRun r = update(url, "--timeout", "1");
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains("cannot fetch " + url + ": timed out after 1 s");
            oneLine(r);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(30)); // ended by the deadline, not hung (generous: a loaded machine)
            nothingInstalled();
        }
    }

    @Test
    void aServerThatStreamsForeverIsStoppedAndNothingIsInstalled() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/forever", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long sent = 0; sent < 200_000_000L; sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException clientGone) {
                // the client stopped reading
            }
        });
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 300; i++) {
                    out.write('<');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException clientGone) {
                // the client gave up
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            CliRun big = update(base + "/forever");
            assertThat(big.code())
                    .as("a source larger than any registry is bad input")
                    .isEqualTo(2);
            assertThat(big.err()).contains(base + "/forever holds more than 50 MB");
            oneLine(big);

            CliRun slow = update(base + "/trickle", "--timeout", "1");
            assertThat(slow.code())
                    .as("a network source too slow is the network's failure")
                    .isEqualTo(4);
            assertThat(slow.err()).contains("cannot fetch " + base + "/trickle: timed out after 1 s");
            oneLine(slow);
            nothingInstalled();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badInputStaysExitTwo() throws IOException {
        CliRun malformed = update("http://");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("not a usable URL: http://");

        CliRun missing = update(data.resolve("input-none.xml").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");

        Path notARegistry = Files.writeString(data.resolve("input-not.xml"), "hello, not a registry\n");
        CliRun wrong = update(notARegistry.toString());
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("not IANA's registry XML or CSV");
        nothingInstalled();
    }

    @Test
    void aSignatureFileIsBoundedToo() throws IOException {
        CliRun zero = run("probe", "127.0.0.1:9", "--probes", "/dev/zero");
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).contains("/dev/zero holds more than 1 MB, the limit for a signature file");
        oneLine(zero);

        Path huge = data.resolve("input-huge.probes");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(4L << 30);
        }
        CliRun sparse = run("probe", "127.0.0.1:9", "--probes", huge.toString());
        assertThat(sparse.code()).isEqualTo(2);
        assertThat(sparse.err()).contains(huge + " holds more than 1 MB");
    }
}
