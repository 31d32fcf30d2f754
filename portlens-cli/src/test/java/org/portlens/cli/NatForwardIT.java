package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.testkit.Needs;

/**
 * A container host built from the kernel's own pieces, and {@code portlens PORT} run inside its
 * "host" namespace from the packaged jar: a bridge, a veth pair into a "container" namespace with a
 * web server, real nftables DNAT rules shaped like Docker's, and a forwarder with docker-proxy's exact
 * arguments that really forwards. The whole chain, the exposure verdict and the probe of the inner
 * server are asserted; both namespaces are created and deleted by the test, and nothing of this host's
 * own (its ruleset, its links) is touched. Root only.
 */
class NatForwardIT {

    /** docker-proxy's arguments; copies bytes both ways between a client and the container. */
    private static final String PROXY = """
            import socket, sys, threading
            a = sys.argv
            host = a[a.index("-host-ip") + 1]
            port = int(a[a.index("-host-port") + 1])
            target = (a[a.index("-container-ip") + 1], int(a[a.index("-container-port") + 1]))
            def pump(src, dst):
                try:
                    while True:
                        b = src.recv(65536)
                        if not b:
                            break
                        dst.sendall(b)
                except OSError:
                    pass
                finally:
                    try:
                        dst.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
            s = socket.socket()
            s.bind((host, port))
            s.listen()
            print("ready", flush=True)
            while True:
                c, _ = s.accept()
                try:
                    u = socket.create_connection(target, timeout=5)
                except OSError:
                    c.close()
                    continue
                threading.Thread(target=pump, args=(c, u), daemon=True).start()
                threading.Thread(target=pump, args=(u, c), daemon=True).start()
            """;

    /** A web server on every address of the container, which says so once it listens. */
    private static final String SERVER = """
            import http.server, sys
            class Quiet(http.server.SimpleHTTPRequestHandler):
                def log_message(self, *a):
                    pass
            s = http.server.HTTPServer(("0.0.0.0", 80), Quiet)
            print("ready", flush=True)
            s.serve_forever()
            """;

    /** Docker's shape: local destinations jump to a chain that DNATs what did not come from the bridge. */
    private static final String RULES = """
            table ip portlens_test_nat {
              chain DOCKER {
                iifname != "br-pl" tcp dport 8080 dnat to 10.213.8.2:80
                ip daddr 127.0.0.1 tcp dport 9443 dnat to 10.213.8.2:80
                tcp dport 8090 dnat to 10.213.8.3:80
              }
              chain prerouting {
                type nat hook prerouting priority dstnat; policy accept;
                fib daddr type local jump DOCKER
              }
              chain output {
                type nat hook output priority -100; policy accept;
                fib daddr type local jump DOCKER
              }
            }
            """;

    @TempDir
    Path dir;

    private final String edge = "portlens-edge-" + ProcessHandle.current().pid();
    private final String box = "portlens-box-" + ProcessHandle.current().pid();
    private final List<Process> started = new ArrayList<>();
    private String hostRulesBefore = "";
    private boolean built;

    @BeforeEach
    void buildTheHost() throws Exception {
        Needs.root("network namespaces, a bridge, veth links and nftables rules (ip netns add, nft)");
        Needs.binary("ip", "iproute2", "/usr/bin/ip");
        Needs.binary("nft", "nftables", "/usr/sbin/nft");
        Needs.binary("python3", "python3", "/usr/bin/python3");
        hostRulesBefore = run("nft", "list", "ruleset");
        built = true;
        run("ip", "netns", "add", edge);
        run("ip", "netns", "add", box);
        run("ip", "-n", edge, "link", "set", "lo", "up");
        run("ip", "-n", box, "link", "set", "lo", "up");
        run("ip", "-n", edge, "link", "add", "br-pl", "type", "bridge");
        run("ip", "-n", edge, "link", "add", "veth-pl", "type", "veth", "peer", "name", "eth0", "netns", box);
        run("ip", "-n", edge, "link", "set", "veth-pl", "master", "br-pl");
        run("ip", "-n", edge, "addr", "add", "10.213.8.1/24", "dev", "br-pl");
        run("ip", "-n", edge, "link", "set", "br-pl", "up");
        run("ip", "-n", edge, "link", "set", "veth-pl", "up");
        run("ip", "-n", box, "addr", "add", "10.213.8.2/24", "dev", "eth0");
        run("ip", "-n", box, "link", "set", "eth0", "up");
        run("ip", "-n", box, "route", "add", "default", "via", "10.213.8.1");
        Path rules = Files.writeString(dir.resolve("rules.nft"), RULES);
        run("ip", "netns", "exec", edge, "nft", "-f", rules.toString());
        start("ip", "netns", "exec", box, "python3", "-c", SERVER);
        Path proxy = Files.writeString(dir.resolve("proxy.py"), PROXY);
        for (String[] publish : new String[][] {{"0.0.0.0", "8081"}, {"127.0.0.1", "8082"}}) {
            start(
                    "ip",
                    "netns",
                    "exec",
                    edge,
                    "bash",
                    "-c",
                    "exec -a docker-proxy /usr/bin/python3 \"$0\" \"$@\"",
                    proxy.toString(),
                    "-proto",
                    "tcp",
                    "-host-ip",
                    publish[0],
                    "-host-port",
                    publish[1],
                    "-container-ip",
                    "10.213.8.2",
                    "-container-port",
                    "80");
        }
    }

    @AfterEach
    void removeIt() throws Exception {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (!built) {
            return; // skipped before anything was made
        }
        quietly("ip", "netns", "delete", box);
        quietly("ip", "netns", "delete", edge);
        {
            assertThat(run("ip", "netns", "list"))
                    .as("the namespaces are gone")
                    .doesNotContain(edge)
                    .doesNotContain(box);
            assertThat(run("nft", "list", "ruleset"))
                    .as("this host's own rules are as they were")
                    .isEqualTo(hostRulesBefore);
        }
    }

    @Test
    void aPortNoProcessHoldsIsFollowedThroughTheNatRuleToTheContainersServer() throws Exception {
        LiveIT.Result r = inEdge("8080", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode e = r.json();
        assertThat(e.get("listeners")).isEmpty();
        JsonNode f = e.get("ruleForwards").get(0);
        assertThat(e.get("ruleForwards")).hasSize(1);
        assertThat(f.get("tool").asText()).isEqualTo("nft");
        assertThat(f.get("chain").toString()).isEqualTo("[\"DOCKER\"]");
        assertThat(f.get("target").asText()).isEqualTo("10.213.8.2:80");
        assertThat(f.get("matches").asText()).isEqualTo("any local address, not arriving on br-pl");
        assertThat(f.get("reach").asText()).isEqualTo("all");
        assertThat(f.get("netns").get("current").asBoolean()).isTrue();
        JsonNode server = f.get("servers").get(0);
        assertThat(server.get("address").asText()).isEqualTo("0.0.0.0");
        assertThat(server.get("port").asInt()).isEqualTo(80);
        assertThat(server.get("netns").get("name").asText()).isEqualTo(box);
        assertThat(server.get("owners").get(0).get("process").get("name").asText())
                .isEqualTo("python3");
        // the inner server probed at the address the rule leads to, reached over the bridge
        assertThat(f.get("probedAt").asText()).isEqualTo("10.213.8.2:80");
        assertThat(f.get("wire").get("protocol").asText()).isEqualTo("http");
        JsonNode finding = e.get("findings").get(0);
        assertThat(finding.get("kind").asText()).isEqualTo("forwarded-by-rule");
        assertThat(finding.get("exposure").get("fromNetwork").asBoolean()).isTrue();
        assertThat(e.get("findings").findValuesAsText("kind")).doesNotContain("nothing-listening");

        LiveIT.Result text = inEdge("8080", "--no-color");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out())
                .contains("Nothing is listening on 8080, but a NAT rule forwards it:")
                .contains("forwards  to 10.213.8.2:80")
                .contains("[netns " + box + "]  by python3")
                .contains("probed at 10.213.8.2:80, where the rule leads")
                .contains("8080/tcp is forwarded by a NAT rule (nft, chain DOCKER) to 10.213.8.2:80");
    }

    @Test
    void aRuleForLoopbackOnlyAndARuleToNobodyAreSaidAsSuch() throws Exception {
        JsonNode loop = inEdge("9443", "--json").json();
        assertThat(loop.get("ruleForwards").get(0).get("reach").asText()).isEqualTo("loopback");
        assertThat(loop.get("findings")
                        .get(0)
                        .get("exposure")
                        .get("fromNetwork")
                        .asBoolean())
                .isFalse();
        assertThat(loop.get("findings").get(0).get("text").asText()).contains("so only this host can use it");

        JsonNode nobody = inEdge("8090", "--json").json().get("ruleForwards").get(0);
        assertThat(nobody.get("servers")).isEmpty();
        assertThat(nobody.get("notes").get(0).asText())
                .startsWith("nothing listens on 10.213.8.3:80 in the network namespaces portlens can see");
        assertThat(nobody.get("wire").isNull()).isTrue();
        assertThat(nobody.get("notProbed").asText()).isEqualTo("nothing was seen listening where it leads");
    }

    @Test
    void aDockerProxyPortIsPublishedAsWideAsTheProxyBindsWhateverTheServerSays() throws Exception {
        JsonNode wide = inEdge("8081", "--json").json();
        JsonNode l = wide.get("listeners").get(0);
        assertThat(l.get("forward").get("program").asText()).isEqualTo("docker-proxy");
        assertThat(l.get("forward")
                        .get("servers")
                        .get(0)
                        .get("netns")
                        .get("name")
                        .asText())
                .isEqualTo(box);
        // probed through the proxy: the container's web server answers
        assertThat(l.get("wire").get("protocol").asText()).isEqualTo("http");
        JsonNode published = published(wide);
        assertThat(published.get("target").asText()).isEqualTo("10.213.8.2:80");
        assertThat(published.get("exposure").get("fromNetwork").asBoolean()).isTrue();

        // ls: the FORWARD column, the listing's forward, and the container's namespace on its own
        LiveIT.Result ls = inEdge("ls", "--no-color");
        assertThat(ls.code())
                .as("0, or 3 when some owner is hidden: " + ls.err())
                .isIn(0, 3);
        assertThat(ls.out().lines().findFirst().orElseThrow()).contains("FORWARD");
        assertThat(ls.out()).containsPattern("0\\.0\\.0\\.0:8081 +all .*→ 10\\.213\\.8\\.2:80 python3");
        JsonNode listing = inEdge("ls", "8081", "--json").json();
        assertThat(listing.get("listeners")
                        .get(0)
                        .get("forward")
                        .get("targetAddress")
                        .asText())
                .isEqualTo("10.213.8.2");
        LiveIT.Result inBox = inEdge("ls", "--namespace", box);
        assertThat(inBox.out()).contains("0.0.0.0:80 [netns " + box + "]").doesNotContain(":8081");

        JsonNode narrow = published(inEdge("8082", "--json").json());
        assertThat(narrow.get("exposure").get("scope").asText()).isEqualTo("loopback");
        assertThat(narrow.get("exposure").get("fromNetwork").asBoolean()).isFalse();
        assertThat(narrow.get("text").asText()).contains("reachable only from this host (loopback) through it");
    }

    private static JsonNode published(JsonNode explanation) {
        for (JsonNode f : explanation.get("findings")) {
            if (f.get("kind").asText().equals("published")) {
                return f;
            }
        }
        throw new AssertionError("no published finding in " + explanation.get("findings"));
    }

    /** portlens from the packaged jar, run in the "host" namespace. */
    private LiveIT.Result inEdge(String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of("ip", "netns", "exec", edge, LiveIT.javaBin(), "-jar", LiveIT.jar()));
        cmd.addAll(List.of(args));
        return LiveIT.exec(cmd);
    }

    /** Starts a program that prints "ready" once it listens, and waits for that. */
    private void start(String... command) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        started.add(p);
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as(String.join(" ", command)).isEqualTo("ready");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    private static void quietly(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.waitFor(30, TimeUnit.SECONDS);
    }
}
