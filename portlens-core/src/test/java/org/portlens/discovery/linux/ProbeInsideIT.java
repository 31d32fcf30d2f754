package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.portlens.Explainer;
import org.portlens.Explanation;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.probe.ProbeOptions;
import org.portlens.probe.Prober;
import org.portlens.testkit.Needs;

/**
 * A listener in another network namespace, on that namespace's loopback where nothing outside can reach
 * it, probed from inside the namespace: on JDK 22+ (this IT also runs in the netlink execution's JVM)
 * portlens enters it with setns and says what the server speaks; on JDK 17 it says why it could not.
 * Root only; the namespace is the test's own and is deleted after.
 */
class ProbeInsideIT {

    private static final int PORT = 3641;

    @Test
    void aServerOnAnotherNamespacesLoopbackIsProbedFromInsideOnJdk22() throws Exception {
        Needs.root("a network namespace of the test's own (ip netns add) and entering it (setns)");
        Needs.binary("ip", "iproute2", "/usr/bin/ip");
        Needs.binary("python3", "python3", "/usr/bin/python3");
        String ns = "portlens-inside-" + ProcessHandle.current().pid() + "-"
                + Runtime.version().feature();
        run("ip", "netns", "add", ns);
        Process server = null;
        try {
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            server = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            ns,
                            "python3",
                            "-c",
                            "import http.server\n"
                                    + "class Q(http.server.SimpleHTTPRequestHandler):\n"
                                    + "    def log_message(self, *a): pass\n"
                                    + "s = http.server.HTTPServer(('127.0.0.1', " + PORT + "), Q)\n"
                                    + "print('ready', flush=True)\n"
                                    + "s.serve_forever()\n")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            assertThat(new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                            .readLine())
                    .isEqualTo("ready");

            Explanation e = Explainer.builder()
                    .socketTable(LinuxSocketTable.system())
                    .prober(Prober.builder().options(ProbeOptions.loopback()).build())
                    .build()
                    .explain(PortRange.of(PORT), Optional.of(Transport.TCP));
            Explanation.ExplainedListener x = e.listeners().stream()
                    .filter(l -> l.listener().namespace().name().equals(ns))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no listener in " + ns + ": " + e.listeners()));
            if (Runtime.version().feature() >= 22) {
                assertThat(x.notProbed()).isEmpty();
                assertThat(x.probedAt()).isEqualTo("127.0.0.1");
                assertThat(x.wire())
                        .hasValueSatisfying(w -> assertThat(w.protocol()).isEqualTo("http"));
            } else {
                assertThat(x.wire()).isEmpty();
                assertThat(x.notProbed())
                        .isEqualTo("inside another network namespace: entering another network namespace needs JDK 22"
                                + " or newer (the foreign function API)");
            }
        } finally {
            if (server != null) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
            run("ip", "netns", "delete", ns);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
