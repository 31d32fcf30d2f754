package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.testkit.HandOver;
import org.portlens.testkit.Needs;

/**
 * {@code portlens watch} from the packaged jar, live: sockets the test opens, hands from one
 * process to another and closes, each seen once and in order. Other listeners on this machine may
 * come and go meanwhile (other builds), so every assertion is about the test's own ports.
 */
public class WatchIT {

    static final Duration WAIT = Duration.ofSeconds(15);

    final List<Process> watchers = new ArrayList<>();

    @TempDir
    Path tmp;

    @TempDir
    Path pgDir;

    @AfterEach
    void stopWatchers() throws Exception {
        for (Process p : watchers) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** A running watcher and the JSON lines it printed so far. */
    final class Watch {
        final Process process;
        final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        final StringBuilder err = new StringBuilder();

        Watch(String... args) throws IOException {
            // --max-cpu 100: other tests may fill a namespace with thousands of sockets meanwhile,
            // and the watch would then wait longer between reads to stay under its default 2%
            List<String> cmd =
                    new ArrayList<>(List.of(LiveIT.javaBin(), "-jar", LiveIT.jar(), "watch", "--max-cpu", "100"));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).start();
            watchers.add(process);
            Thread out = new Thread(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(LiveIT.JSON.readTree(line));
                    }
                } catch (IOException e) {
                    // the watcher was stopped
                }
            });
            out.setDaemon(true);
            out.start();
            Thread errs = new Thread(() -> {
                try {
                    String text = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                    synchronized (err) {
                        err.append(text);
                    }
                } catch (IOException e) {
                    // stopped
                }
            });
            errs.setDaemon(true);
            errs.start();
        }

        /** The next line that matches, skipping others; fails after {@link #WAIT}. */
        JsonNode next(Predicate<JsonNode> wanted, String what) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode n = lines.poll(100, TimeUnit.MILLISECONDS);
                if (n != null && wanted.test(n)) {
                    return n;
                }
                if (!process.isAlive() && lines.isEmpty()) {
                    break;
                }
            }
            synchronized (err) {
                throw new AssertionError("no " + what + " from portlens watch within " + WAIT.toSeconds() + " s; alive="
                        + process.isAlive() + "; stderr: " + err);
            }
        }

        /** The lines about {@code port} that arrive within {@code quiet}. */
        List<JsonNode> more(int port, Duration quiet) throws InterruptedException {
            List<JsonNode> seen = new ArrayList<>();
            long deadline = System.nanoTime() + quiet.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode n = lines.poll(50, TimeUnit.MILLISECONDS);
                if (n != null && onPort(port).test(n)) {
                    seen.add(n);
                }
            }
            return seen;
        }
    }

    static Predicate<JsonNode> onPort(int port) {
        return n -> n.path("listener").path("port").asInt() == port;
    }

    static Predicate<JsonNode> event(String kind, int port) {
        return n -> n.path("kind").asText().equals("watch-event")
                && n.path("event").asText().equals(kind)
                && onPort(port).test(n);
    }

    static int findingPort(JsonNode n) {
        return n.path("finding").path("listener").path("port").asInt();
    }

    static int ownerPid(JsonNode listener) {
        return listener.path("owners").path(0).path("process").path("pid").asInt();
    }

    static int freePort() throws IOException {
        return LiveIT.freePort();
    }

    @Test
    void opensHandOversAndClosesAreEachSeenOnceInOrder() throws Exception {
        try (ServerSocket sentinel = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Watch w = new Watch("--jsonl", "--initial", "--interval", "0.2");
            w.next(event("present", sentinel.getLocalPort()), "present event for the test's sentinel socket");

            int port = freePort();
            HandOver h = HandOver.start(port);
            try {
                JsonNode opened = w.next(onPort(port), "event on port " + port);
                assertThat(opened.path("event").asText()).isEqualTo("opened");
                assertThat(ownerPid(opened.path("listener"))).isEqualTo(h.parentPid());
                assertThat(opened.path("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

                h.handOver();
                JsonNode changed = w.next(onPort(port), "event on port " + port);
                assertThat(changed.path("event").asText()).isEqualTo("owner-changed");
                assertThat(ownerPid(changed.path("listener"))).isEqualTo(h.childPid());
                assertThat(ownerPid(changed.path("before"))).isEqualTo(h.parentPid());
            } finally {
                h.close();
            }
            JsonNode closed = w.next(onPort(port), "event on port " + port);
            assertThat(closed.path("event").asText()).isEqualTo("closed");
            assertThat(ownerPid(closed.path("listener"))).isEqualTo(h.childPid());
            assertThat(w.more(port, Duration.ofSeconds(1)))
                    .as("each event once")
                    .isEmpty();
        }
    }

    @Test
    void auditModeReportsOnlyNewPolicyFindingsAndExecGetsEachAsJson() throws Exception {
        // every listener of this machine but the test's own port is ignored: other builds may
        // hold thousands meanwhile, and each would be a finding
        int port = freePort();
        Path policy = tmp.resolve("policy.yaml");
        Files.writeString(policy, LiveIT.onlyTcpPortPolicy(port));
        Path seen = tmp.resolve("seen");
        Files.createDirectories(seen);
        Watch w = new Watch(
                "--jsonl",
                "--audit",
                "--policy",
                policy.toString(),
                "--interval",
                "0.2",
                "--exec",
                "cat > " + seen + "/$PORTLENS_EVENT-$PORTLENS_PORT.json");
        try (ServerSocket stray = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            JsonNode f = w.next(
                    n -> n.path("kind").asText().equals("watch-finding") && findingPort(n) == port,
                    "finding for the stray socket");
            assertThat(f.path("finding").path("kind").asText()).isEqualTo("unexpected");
            assertThat(f.path("finding").path("sentence").asText()).contains("Not in the policy");
            Path hooked = seen.resolve("unexpected-" + port + ".json");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!Files.exists(hooked) || Files.size(hooked) == 0) {
                assertThat(System.nanoTime()).as("--exec wrote " + hooked).isLessThan(deadline);
                Thread.sleep(100);
            }
            JsonNode fromHook = LiveIT.JSON.readTree(Files.readString(hooked));
            assertThat(findingPort(fromHook)).isEqualTo(port);
        }
        // closing the stray resolves the finding: nothing more is said about it
        Thread.sleep(1000);
        assertThat(w.lines).noneMatch(n -> findingPort(n) == port);
    }

    @Test
    void aNamespaceThatAppearsAndVanishesIsFollowed() throws Exception {
        Needs.root("ip netns (a network namespace of the test's own)");
        Needs.binary("ip", "iproute2", "/usr/sbin/ip");
        Path python = Needs.binary("python3", "python3", "/usr/bin/python3");
        String ns = "portlens-watch-" + ProcessHandle.current().pid();
        Watch w = new Watch("--jsonl", "--initial", "--interval", "0.2");
        try (ServerSocket sentinel = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            w.next(event("present", sentinel.getLocalPort()), "present event for the sentinel");
        }
        int port = 3640;
        assertThat(LiveIT.exec(List.of("ip", "netns", "add", ns)).code()).isZero();
        Process server = null;
        try {
            assertThat(LiveIT.exec(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"))
                            .code())
                    .isZero();
            server = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            ns,
                            python.toString(),
                            "-m",
                            "http.server",
                            "3640",
                            "--bind",
                            "127.0.0.1")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            JsonNode opened = w.next(
                    n -> event("opened", port).test(n)
                            && n.path("listener")
                                    .path("netns")
                                    .path("name")
                                    .asText()
                                    .equals(ns),
                    "opened inside netns " + ns);
            assertThat(opened.path("listener").path("netns").path("current").asBoolean())
                    .isFalse();
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        } finally {
            if (server != null) {
                server.destroyForcibly();
            }
            LiveIT.exec(List.of("ip", "netns", "del", ns));
        }
        JsonNode closed = w.next(
                n -> event("closed", port).test(n)
                        && n.path("listener")
                                .path("netns")
                                .path("name")
                                .asText()
                                .equals(ns),
                "closed inside netns " + ns);
        assertThat(closed.path("listener").path("netns").path("current").asBoolean())
                .isFalse();
        assertThat(w.process.isAlive()).as("the watch goes on").isTrue();
    }

    /** A listener opened, held a moment and closed, with the watch's history; then what history says. */
    JsonNode historyOfOneListener(String... store) throws Exception {
        List<String> args = new ArrayList<>(List.of("--jsonl", "--initial", "--interval", "0.2"));
        args.addAll(List.of(store));
        Watch w = new Watch(args.toArray(new String[0]));
        try (ServerSocket sentinel = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            w.next(event("present", sentinel.getLocalPort()), "present event for the sentinel");
        }
        int port;
        try (ServerSocket mine = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = mine.getLocalPort();
            w.next(event("opened", port), "opened");
            // while it is open, portlens PORT says since when (from the history's per-port file)
            if (store[0].equals("--data-dir")) {
                LiveIT.Result now =
                        LiveIT.portlens(Integer.toString(port), "--no-probe", "--json", "--data-dir", store[1]);
                assertThat(now.json()
                                .path("listeners")
                                .path(0)
                                .path("openSince")
                                .asText())
                        .as(now.out())
                        .matches("\\d{4}-.*Z");
            }
        }
        w.next(event("closed", port), "closed");
        w.process.destroy();
        assertThat(w.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<String> history = new ArrayList<>(List.of("history", Integer.toString(port), "--json"));
        history.addAll(List.of(store));
        LiveIT.Result r = LiveIT.portlens(history.toArray(new String[0]));
        assertThat(r.code()).as(r.err()).isZero();
        return r.json();
    }

    static List<String> kindsOf(JsonNode history) {
        List<String> kinds = new ArrayList<>();
        history.path("events").forEach(e -> kinds.add(e.path("kind").asText()));
        return kinds;
    }

    @Test
    void theHistoryKeepsWhatTheWatchSawInSqlite() throws Exception {
        JsonNode h = historyOfOneListener("--data-dir", tmp.toString());
        assertThat(kindsOf(h)).as(h.toString()).containsExactly("opened", "closed");
        assertThat(Files.exists(tmp.resolve("history.db"))).isTrue();
    }

    @Test
    void theHistoryKeepsWhatTheWatchSawInPostgresql() throws Exception {
        try (org.portlens.testkit.PostgresCluster pg = org.portlens.testkit.PostgresCluster.start(pgDir)) {
            pg.createDatabase("portlens");
            JsonNode h = historyOfOneListener("--db", pg.jdbcUrl("portlens"), "--data-dir", tmp.toString());
            assertThat(kindsOf(h)).as(h.toString()).containsExactly("opened", "closed");
            assertThat(Files.exists(tmp.resolve("history.db")))
                    .as("no SQLite file beside PostgreSQL")
                    .isFalse();
        }
    }

    @Test
    void aWatcherKilledWhileWritingLeavesAHistoryThatOpensIntact() throws Exception {
        Path sqlite3 = Needs.binary("sqlite3", "sqlite3", "/usr/bin/sqlite3");
        Watch w = new Watch("--jsonl", "--interval", "0.1", "--data-dir", tmp.toString());
        Thread.sleep(1500);
        // listeners open and close as fast as the test can while the watch writes them
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int opened = 0;
        while (System.nanoTime() < until) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                opened++;
                Thread.sleep(30);
            }
        }
        assertThat(w.next(n -> n.path("event").asText().equals("opened"), "an opened event"))
                .isNotNull();
        new ProcessBuilder("kill", "-9", Long.toString(w.process.pid())).start().waitFor();
        assertThat(w.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(w.process.exitValue()).isEqualTo(137);

        LiveIT.Result check = LiveIT.exec(
                List.of(sqlite3.toString(), tmp.resolve("history.db").toString(), "PRAGMA integrity_check;"));
        assertThat(check.out().strip()).as(check.err()).isEqualTo("ok");
        LiveIT.Result count = LiveIT.exec(
                List.of(sqlite3.toString(), tmp.resolve("history.db").toString(), "SELECT count(*) FROM event;"));
        assertThat(Integer.parseInt(count.out().strip()))
                .as("%d listeners opened", opened)
                .isPositive();
    }

    @Test
    void stopsPromptlyOnSigterm() throws Exception {
        Watch w = new Watch("--jsonl", "--initial", "--interval", "0.2");
        try (ServerSocket sentinel = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            w.next(event("present", sentinel.getLocalPort()), "present event for the sentinel");
        }
        long t0 = System.nanoTime();
        w.process.destroy();
        assertThat(w.process.waitFor(8, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
        assertThat(w.process.exitValue())
                .as("a watch stopped on purpose did its job")
                .isZero();
        synchronized (w.err) {
            assertThat(w.err.toString()).doesNotContain("Exception");
        }
    }

    @Test
    void stopsByItselfAfterDuration() throws Exception {
        Process p = new ProcessBuilder(LiveIT.javaBin(), "-jar", LiveIT.jar(), "watch", "--duration", "0.5")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        watchers.add(p);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }
}
