package org.portlens.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code portlens registry update} end to end, against a real HTTP server on 127.0.0.1 (an
 * ephemeral port, in this JVM, so nothing leaves the machine): fetch, prepare, install, load.
 */
class RegistryUpdateOverHttpIT {

    private static HttpServer server;
    private static String base;
    /** The good XML, fetched and prepared once: installed as the "previous good copy" where a test needs one. */
    private static RegistryUpdate.Candidate good;
    /** Holds the "/stall" handler mid-body until the test is done with it. */
    private static final CountDownLatch RELEASE_STALL = new CountDownLatch(1);

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startServer() throws IOException {
        Map<String, byte[]> files = Map.of(
                "/good.xml", IanaFixtures.xml(),
                "/truncated.xml", IanaFixtures.truncated(200 * 1024),
                "/garbage", "\u0000\u0001GIF89a garbage, not a registry".getBytes(StandardCharsets.UTF_8),
                "/ten-records.xml", IanaFixtures.withFirstRecords(10));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/stall.xml", exchange -> {
            // headers and the first bytes of the good file, then nothing: a server that hangs mid-body
            exchange.sendResponseHeaders(200, files.get("/good.xml").length);
            OutputStream out = exchange.getResponseBody();
            out.write(files.get("/good.xml"), 0, 4096);
            out.flush();
            try {
                RELEASE_STALL.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.createContext("/forever", exchange -> {
            // streams zeros for as long as the client reads: only the byte limit stops it
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long sent = 0; sent < 200_000_000L; sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException clientGone) {
                // the client stopped reading: what the test wants
            }
        });
        server.createContext("/trickle", exchange -> {
            // one byte every 100 ms: never stalled, never done; only the time limit stops it
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 300; i++) {
                    out.write('<');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException clientGone) {
                // the client gave up: what the test wants
            }
        });
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
                byte[] page = "<html><body>404 Not Found</body></html>".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(404, page.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(page);
                }
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        good = RegistryUpdate.prepare(
                RegistryUpdate.fetch(base + "/good.xml", Duration.ofSeconds(10)),
                base + "/good.xml",
                List.of(),
                "2026-08-20T10:00:00Z");
    }

    @AfterAll
    static void stopServer() {
        RELEASE_STALL.countDown();
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** What the update command does: fetch, parse and check, then install. */
    private Path update(String url) throws IOException {
        RegistryStore store = new RegistryStore(dataDir);
        byte[] raw = RegistryUpdate.fetch(url, Duration.ofSeconds(10));
        RegistryUpdate.Candidate candidate =
                RegistryUpdate.prepare(raw, url, store.load().registry().peopleList(), RegistryUpdate.now());
        return store.install(candidate);
    }

    private List<Path> filesInRegistryDir() throws IOException {
        try (Stream<Path> s = Files.list(new RegistryStore(dataDir).file().getParent())) {
            return s.map(Path::getFileName).sorted().toList();
        }
    }

    @Test
    void installsTheRegistryServedOverHttp() throws IOException {
        RegistryStore store = new RegistryStore(dataDir);
        assertThat(store.load().origin()).isEqualTo("bundled");

        Path installed = update(base + "/good.xml");

        assertThat(installed).isEqualTo(store.file()).isRegularFile();
        RegistryStore.Active active = store.load();
        assertThat(active.origin()).isEqualTo(store.file().toString());
        assertThat(active.warning()).isEmpty();
        assertThat(active.registry().size()).isEqualTo(IanaFixtures.RECORDS);
        assertThat(active.registry().info().source()).isEqualTo(base + "/good.xml");
        assertThat(active.registry().info().sha256()).isEqualTo(RegistryUpdate.sha256(IanaFixtures.xml()));
        assertThat(active.registry().byName("netplay-port1")).hasSize(2);
        assertThat(store.previousFile()).doesNotExist();
        assertThat(filesInRegistryDir()).as("no temporary file left behind").containsExactly(Path.of("iana.bin"));
    }

    @Test
    void keepsThePreviousCopyOnSecondInstall() throws IOException {
        RegistryStore store = new RegistryStore(dataDir);
        store.install(good);
        byte[] first = Files.readAllBytes(store.file());

        update(base + "/good.xml?again");

        assertThat(store.previousFile()).hasBinaryContent(first);
        assertThat(Files.readAllBytes(store.file())).isNotEqualTo(first);
        assertThat(store.load().registry().info().source()).isEqualTo(base + "/good.xml?again");
        assertThat(RegistryCodec.decode(Files.readAllBytes(store.previousFile()))
                        .info()
                        .source())
                .isEqualTo(base + "/good.xml");
        assertThat(filesInRegistryDir()).containsExactly(Path.of("iana.bin"), Path.of("iana.bin.previous"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/truncated.xml", "/garbage", "/ten-records.xml", "/missing.xml"})
    void leavesTheInstalledCopyUntouchedWhenAnUpdateFails(String path) throws IOException {
        RegistryStore store = new RegistryStore(dataDir);
        store.install(good);
        byte[] before = Files.readAllBytes(store.file());

        assertThatThrownBy(() -> update(base + path))
                .isInstanceOfAny(RegistryFormatException.class, RegistryFetchException.class);

        assertThat(store.file()).hasBinaryContent(before);
        assertThat(store.previousFile()).doesNotExist();
        assertThat(filesInRegistryDir()).containsExactly(Path.of("iana.bin"));
        assertThat(store.load().origin()).isEqualTo(store.file().toString());
    }

    @Test
    void reportsHttpStatusAndUrl() {
        String url = base + "/missing.xml";
        assertThatThrownBy(() -> RegistryUpdate.fetch(url, Duration.ofSeconds(10)))
                .isInstanceOf(RegistryFetchException.class)
                .hasMessage("HTTP 404 from " + url + ": expected 200");
    }

    @Test
    void reportsWhyEachBadDownloadWasRefused() {
        assertThatThrownBy(() -> update(base + "/truncated.xml")).hasMessageStartingWith("not well-formed XML");
        assertThatThrownBy(() -> update(base + "/garbage")).hasMessageContaining("starts with '??GIF89a");
        assertThatThrownBy(() -> update(base + "/ten-records.xml")).hasMessageContaining("only 10 records");
    }

    @Test
    void givesUpWhenTheServerStallsMidBody() throws IOException {
        RegistryStore store = new RegistryStore(dataDir);
        store.install(good);
        byte[] before = Files.readAllBytes(store.file());
        long start = System.nanoTime();

        assertThatThrownBy(() -> RegistryUpdate.fetch(base + "/stall.xml", Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(
                        RegistryFetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(RegistryFetchException.Reason.TIMED_OUT))
                .hasMessageContaining(base + "/stall.xml")
                .hasMessageContaining("timed out after 1 s (4096 bytes received");

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("--timeout 1 s is honoured after the headers")
                .isLessThan(Duration.ofSeconds(30)); // ended by the deadline, not hung (generous: a loaded machine)
        assertThat(store.file()).hasBinaryContent(before);
    }

    @Test
    void reportsUnreachableServerNamingTheUrl() throws IOException {
        // a port that was free a moment ago: nothing listens there, the connection is refused
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/r.xml";
        assertThatThrownBy(() -> RegistryUpdate.fetch(url, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(
                        RegistryFetchException.class,
                        e -> assertThat(e.networkFailure()).isTrue())
                .hasMessage("cannot fetch " + url + ": connection refused by 127.0.0.1:" + port);
    }

    @Test
    void stopsAServerThatStreamsForeverAtTheByteLimit() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> RegistryUpdate.fetch(base + "/forever", Duration.ofSeconds(60)))
                .isInstanceOfSatisfying(
                        RegistryFetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(RegistryFetchException.Reason.TOO_LARGE))
                .hasMessageStartingWith(base + "/forever holds more than 50 MB");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void stopsAServerThatTricklesForeverAtTheTimeLimit() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> RegistryUpdate.fetch(base + "/trickle", Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(
                        RegistryFetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(RegistryFetchException.Reason.TIMED_OUT))
                .hasMessageContaining("cannot fetch " + base + "/trickle: timed out after 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(Duration.ofSeconds(30)); // ended by the deadline, not hung (generous: a loaded machine)
    }

    @Test
    void givesUpOnAServerThatNeverAnswersAfterTheTimeout() throws IOException {
        // accepts the connection (the kernel does, from the backlog) and never sends a byte
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/r.xml";
            long start = System.nanoTime();
            assertThatThrownBy(() -> RegistryUpdate.fetch(url, Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(
                            RegistryFetchException.class,
                            e -> assertThat(e.reason()).isEqualTo(RegistryFetchException.Reason.TIMED_OUT))
                    .hasMessageStartingWith("cannot fetch " + url + ": timed out after 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(30)); // ended by the deadline, not hung (generous: a loaded machine)
        }
    }
}
