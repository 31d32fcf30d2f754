package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portlens.cli.LiveIT.awaitListening;
import static org.portlens.cli.LiveIT.freePort;
import static org.portlens.cli.LiveIT.portlens;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.testkit.Needs;

/**
 * {@code portlens baseline} and {@code portlens audit} from the packaged jar against the live
 * machine, with listeners this test opens itself: a socket the policy does not allow, a Python
 * server restarted with a new pid, and a socket bound wider than its entry allows.
 */
public class AuditIT {

    @TempDir
    Path dir;

    final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopChildren() throws Exception {
        for (Process p : children) {
            stop(p);
        }
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    Process python(int port) throws Exception {
        Needs.binary("python3", "python3", "/usr/bin/python3");
        Process p = new ProcessBuilder("python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        children.add(p);
        awaitListening(port);
        return p;
    }

    static List<JsonNode> findingsOn(JsonNode audit, int port) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : audit.get("findings")) {
            JsonNode l = f.get("listener");
            JsonNode e = f.get("expect");
            if ((l.isObject() && l.get("port").asInt() == port)
                    || (e.isObject() && e.get("port").asText().equals(Integer.toString(port)))) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void aLoopbackSocketThePolicyDoesNotAllowIsAFindingWithExitCode1() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\nexpect: []\n");
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();

            LiveIT.Result r = portlens("audit", "--policy", policy.toString(), "--json");

            assertThat(r.code()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains("finding(s) against the policy");
            List<JsonNode> ours = findingsOn(r.json(), port);
            assertThat(ours).hasSize(1);
            assertThat(ours.get(0).get("kind").asText()).isEqualTo("unexpected");
            assertThat(ours.get(0).get("sentence").asText())
                    .startsWith("Not in the policy: tcp 127.0.0.1:" + port + " is held by a Java program")
                    .contains("pid " + ProcessHandle.current().pid())
                    .endsWith("reachable only from this host (loopback).");

            LiveIT.Result text = portlens("audit", "--policy", policy.toString(), "--no-color");
            assertThat(text.code()).isEqualTo(1);
            assertThat(text.out()).contains("UNEXPECTED  tcp 127.0.0.1:" + port, "command   ", "source    ");

            LiveIT.Result sarif = portlens("audit", "--policy", policy.toString(), "--sarif");
            assertThat(sarif.code()).isEqualTo(1);
            assertThat(LiveIT.JSON
                            .readTree(sarif.out())
                            .get("runs")
                            .get(0)
                            .get("results")
                            .toString())
                    .contains("127.0.0.1:" + port);
        }
    }

    @Test
    void eachFindingSaysWhatItsListenerSpeaksUnlessNoProbe() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\nexpect: []\n");
        int port = LiveIT.freePort();
        python(port);

        LiveIT.Result r = portlens("audit", "--policy", policy.toString(), "--json");

        assertThat(r.code()).as(r.err()).isEqualTo(1);
        List<JsonNode> ours = findingsOn(r.json(), port);
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0).path("wire").path("protocol").asText()).isEqualTo("http");
        LiveIT.Result text = portlens("audit", "--policy", policy.toString(), "--no-color");
        assertThat(text.out()).contains("  wire      http  SimpleHTTP");

        LiveIT.Result quick = portlens("audit", "--policy", policy.toString(), "--json", "--no-probe");
        assertThat(findingsOn(quick.json(), port).get(0).get("wire").isNull()).isTrue();
    }

    @Test
    void aServerRestartedWithANewPidMeetsItsBaseline() throws Exception {
        int port = freePort();
        Process first = python(port);
        Path policy = dir.resolve("policy.yaml");
        LiveIT.Result baseline = portlens("baseline", "-o", policy.toString());
        assertThat(baseline.code()).as(baseline.err()).isIn(0, 3);
        String written = Files.readString(policy);
        assertThat(written)
                .contains("http.server " + port + " --bind 127.0.0.1 (pid " + first.pid() + " at the time")
                .contains("    port: " + port + "\n    bind: loopback\n");
        stop(first);
        Process second = python(port);
        assertThat(second.pid()).isNotEqualTo(first.pid());

        // the whole host against its baseline: nothing about this server, whatever other programs
        // on this machine opened or closed meanwhile (their findings, not this server's)
        LiveIT.Result whole = portlens("audit", "--policy", policy.toString(), "--json");
        assertThat(whole.code()).as(whole.err()).isIn(0, 1);
        assertThat(findingsOn(whole.json(), port)).as(whole.out()).isEmpty();

        // the baseline's entry for this server alone, the rest of the host ignored as a person would
        // edit it: exactly clean, exit code 0
        Path mine = dir.resolve("mine.yaml");
        Files.writeString(
                mine,
                "version: 1\nexpect:\n" + entryFor(written, port) + "ignore:\n"
                        + "  - port: 0-" + (port - 1) + "\n    netns: any\n"
                        + "  - port: " + (port + 1) + "-65535\n    netns: any\n"
                        + "  - transport: udp\n    port: " + port + "\n    netns: any\n");
        LiveIT.Result audit = portlens("audit", "--policy", mine.toString(), "--json");
        assertThat(audit.code()).as(audit.out() + audit.err()).isEqualTo(0);
        assertThat(audit.json().get("clean").asBoolean()).isTrue();
        assertThat(audit.json().get("checked").asInt()).isEqualTo(1);
        assertThat(audit.err()).isEmpty();
    }

    /** The lines of the baseline's expect entry for a port, its comments included. */
    static String entryFor(String baseline, int port) {
        StringBuilder current = new StringBuilder();
        boolean inEntry = false;
        boolean matched = false;
        for (String line : baseline.split("\n", -1)) {
            boolean comment = line.startsWith("  #");
            boolean item = line.startsWith("  - ");
            boolean field = line.startsWith("    ");
            if (inEntry && !field) {
                if (matched) {
                    return current.toString();
                }
                current.setLength(0);
                inEntry = false;
            }
            if (comment || item || (field && inEntry)) {
                current.append(line).append('\n');
                inEntry |= item;
                matched |= inEntry && line.equals("    port: " + port);
            } else {
                current.setLength(0);
            }
        }
        throw new AssertionError("no entry for port " + port + " in\n" + baseline);
    }

    @Test
    void loopbackExpectedButBoundToAllInterfacesIsWiderExposure() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("0.0.0.0", 0), 5);
            int port = server.getLocalPort();
            Path policy = dir.resolve("policy.yaml");
            Files.writeString(
                    policy,
                    "expect:\n  - transport: tcp\n    port: " + port + "\n    bind: loopback\n    executable: java\n");

            LiveIT.Result r = portlens("audit", "--policy", policy.toString(), "--json");

            assertThat(r.code()).as(r.err()).isEqualTo(1);
            List<JsonNode> ours = findingsOn(r.json(), port);
            assertThat(ours).hasSize(1);
            assertThat(ours.get(0).get("kind").asText()).isEqualTo("wider-exposure");
            assertThat(ours.get(0).get("expect").get("line").asInt()).isEqualTo(2);
            assertThat(ours.get(0).get("sentence").asText())
                    // Java binds 0.0.0.0 as a dual-stack IPv6 socket, [::]
                    .startsWith("Bound wider than the policy allows: tcp " + port
                            + " may listen on loopback only, but tcp ")
                    .contains(":" + port + " is held by a Java program")
                    .endsWith("reachable from the network (all interfaces).");
        }
    }
}
