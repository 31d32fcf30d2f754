package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.portlens.Explainer;
import org.portlens.Explanation;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.testkit.Needs;

/**
 * A published port followed to its server, built from the kernel's own pieces: a "container" network
 * namespace the test creates, with an address of its own and a server listening
 * on every address in it, and on this side a forwarding process with docker-proxy's exact argument
 * shape (a small program started under that name) listening on loopback. Root only; the namespace is
 * deleted after.
 */
class ForwardIT {

    /** Listens on 127.0.0.1:PORT (its -host-port), like docker-proxy, and prints when it does. */
    private static final String PROXY = """
            import socket, sys, time
            a = sys.argv
            port = int(a[a.index("-host-port") + 1])
            s = socket.socket()
            s.bind(("127.0.0.1", port))
            s.listen()
            print("ready", flush=True)
            time.sleep(120)
            """;

    private static final String SERVER = """
            import socket, time
            s = socket.socket()
            s.bind(("0.0.0.0", 8080))
            s.listen()
            print("ready", flush=True)
            time.sleep(120)
            """;

    private static final String SERVER6 = """
            import socket, time
            s = socket.socket(socket.AF_INET6)
            s.bind(("::", 8081))
            s.listen()
            print("ready", flush=True)
            time.sleep(120)
            """;

    /**
     * rootlessport's shape: its mappings are not on its command line; it listens on loopback and starts a
     * child that lives in the container's namespace ({@code ip netns exec} execs into it, keeping the pid).
     */
    private static final String ROOTLESSPORT = """
            import socket, subprocess, sys, time
            s = socket.socket()
            s.bind(("127.0.0.1", int(sys.argv[1])))
            s.listen()
            child = subprocess.Popen(["ip", "netns", "exec", sys.argv[2], "sleep", "120"])
            time.sleep(0.5)
            print("ready", flush=True)
            time.sleep(120)
            """;

    private static final String SERVER_8082 = """
            import socket, time
            s = socket.socket()
            s.bind(("0.0.0.0", 8082))
            s.listen()
            print("ready", flush=True)
            time.sleep(120)
            """;

    @Test
    void rootlessportIsFollowedThroughItsChildsNamespaceToTheOnlyListenerThere() throws Exception {
        Needs.root("a network namespace of the test's own (ip netns add)");
        Needs.binary("ip", "iproute2", "/usr/bin/ip");
        Needs.binary("python3", "python3", "/usr/bin/python3");
        String ns = "portlens-rl-" + ProcessHandle.current().pid();
        Path dir = Files.createTempDirectory("portlens-rl");
        Path script = Files.writeString(dir.resolve("rootlessport.py"), ROOTLESSPORT);
        List<Process> started = new ArrayList<>();
        run("ip", "netns", "add", ns);
        try {
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            Process server = start(started, "ip", "netns", "exec", ns, "python3", "-c", SERVER);
            int published = freePort();
            Process proxy = start(
                    started,
                    "bash",
                    "-c",
                    "exec -a rootlessport /usr/bin/python3 \"$0\" \"$@\"",
                    script.toString(),
                    Integer.toString(published),
                    ns);

            LinuxSocketTable table = LinuxSocketTable.system();
            Listener held = only(table.read(Query.ports(PortRange.of(published), Transport.TCP)));
            Forward f = table.forward(held).orElseThrow(() -> new AssertionError("no forward for " + held));
            assertThat(f.program()).isEqualTo("rootlessport");
            assertThat(f.pid()).isEqualTo(proxy.pid());
            assertThat(f.targetAddress()).isEmpty();
            assertThat(f.targetPort())
                    .as("the only listener in the child's namespace")
                    .isEqualTo(8080);
            assertThat(f.servers()).singleElement().satisfies(s -> {
                assertThat(s.namespace().name()).isEqualTo(ns);
                assertThat(s.processes()).extracting(p -> (long) p.pid()).contains(server.pid());
            });
            assertThat(f.notes()).singleElement().asString().contains("is the only listener in the network namespace");

            start(started, "ip", "netns", "exec", ns, "python3", "-c", SERVER_8082);
            Forward two = table.forward(only(table.read(Query.ports(PortRange.of(published), Transport.TCP))))
                    .orElseThrow();
            assertThat(two.targetPort()).as("two candidates: no port named").isZero();
            assertThat(two.servers()).extracting(s -> s.local().port()).containsExactlyInAnyOrder(8080, 8082);
            assertThat(two.notes()).singleElement().asString().contains("2 tcp sockets listen");
        } finally {
            stopAll(started);
            run("ip", "netns", "delete", ns);
        }
    }

    @Test
    void slirp4netnsIsFollowedIntoTheNamespaceItsCommandLineNames() throws Exception {
        Needs.root("a network namespace of the test's own (ip netns add)");
        Needs.binary("ip", "iproute2", "/usr/bin/ip");
        Needs.binary("python3", "python3", "/usr/bin/python3");
        String ns = "portlens-slirp-" + ProcessHandle.current().pid();
        int published = freePort();
        List<Process> started = new ArrayList<>();
        run("ip", "netns", "add", ns);
        try {
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            Process server = start(started, "ip", "netns", "exec", ns, "python3", "-c", SERVER);
            // its command line is slirp4netns's own: options, the namespace file, the tap
            Process slirp = standIn(
                    started,
                    "slirp4netns",
                    published,
                    "--mtu",
                    "65520",
                    "-c",
                    "-e",
                    "3",
                    "--netns-type=path",
                    "/run/netns/" + ns,
                    "tap0");
            LinuxSocketTable table = LinuxSocketTable.system();
            Forward f = table.forward(only(table.read(Query.ports(PortRange.of(published), Transport.TCP))))
                    .orElseThrow();
            assertThat(f.program()).isEqualTo("slirp4netns");
            assertThat(f.pid()).isEqualTo(slirp.pid());
            assertThat(f.targetPort()).isEqualTo(8080);
            assertThat(f.servers())
                    .singleElement()
                    .satisfies(s -> assertThat(s.processes())
                            .extracting(p -> (long) p.pid())
                            .contains(server.pid()));
            assertThat(f.notes())
                    .singleElement()
                    .asString()
                    .startsWith("slirp4netns's forwards are added over its API socket, not on its command line: tcp"
                            + " 0.0.0.0:8080 is the only listener in the network namespace it serves (/run/netns/"
                            + ns + ")");
        } finally {
            stopAll(started);
            run("ip", "netns", "delete", ns);
        }
    }

    @Test
    void pastaIsFollowedIntoTheNamespaceItsCommandLineNamesToItsTargetPort() throws Exception {
        Needs.root("a network namespace of the test's own (ip netns add)");
        Needs.binary("ip", "iproute2", "/usr/bin/ip");
        Needs.binary("python3", "python3", "/usr/bin/python3");
        String ns = "portlens-pasta-" + ProcessHandle.current().pid();
        int published = freePort();
        List<Process> started = new ArrayList<>();
        run("ip", "netns", "add", ns);
        try {
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            Process server = start(started, "ip", "netns", "exec", ns, "python3", "-c", SERVER);
            start(started, "ip", "netns", "exec", ns, "python3", "-c", SERVER_8082);
            // its command line is pasta's own: -t HOST:TARGET, --netns FILE
            Process pasta = standIn(
                    started,
                    "pasta",
                    published,
                    "--config-net",
                    "-t",
                    published + ":8080",
                    "--netns",
                    "/run/netns/" + ns);
            LinuxSocketTable table = LinuxSocketTable.system();
            Forward f = table.forward(only(table.read(Query.ports(PortRange.of(published), Transport.TCP))))
                    .orElseThrow();
            assertThat(f.program()).isEqualTo("pasta");
            assertThat(f.pid()).isEqualTo(pasta.pid());
            assertThat(f.targetPort()).isEqualTo(8080);
            assertThat(f.servers())
                    .as("the target port's listener, not the namespace's other one")
                    .singleElement()
                    .satisfies(s -> assertThat(s.processes())
                            .extracting(p -> (long) p.pid())
                            .contains(server.pid()));
            assertThat(f.notes()).isEmpty();
        } finally {
            stopAll(started);
            run("ip", "netns", "delete", ns);
        }
    }

    @Test
    void aDockerProxyListenerIsFollowedToTheServerInTheContainersNamespace() throws Exception {
        Needs.root("a network namespace with an address of its own (ip netns add, ip link add)");
        Needs.binary("ip", "iproute2", "/usr/bin/ip");
        Needs.binary("python3", "python3", "/usr/bin/python3");
        String ns = "portlens-fwd-" + ProcessHandle.current().pid();
        Path dir = Files.createTempDirectory("portlens-fwd");
        Path proxy = Files.writeString(dir.resolve("proxy.py"), PROXY);
        List<Process> started = new ArrayList<>();
        run("ip", "netns", "add", ns);
        try {
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            // the container's address, on its loopback (this machine kind's kernel has no dummy links)
            run("ip", "netns", "exec", ns, "ip", "addr", "add", "10.213.7.2/32", "dev", "lo");
            run("ip", "netns", "exec", ns, "ip", "-6", "addr", "add", "fd13::2/128", "dev", "lo");
            Process server = start(started, "ip", "netns", "exec", ns, "python3", "-c", SERVER);
            Process server6 = start(started, "ip", "netns", "exec", ns, "python3", "-c", SERVER6);
            int published = freePort();
            int unpublished = freePort();
            int published6 = freePort();
            // the target written long, as a command line may: compared as portlens prints it (fd13::2)
            start(
                    started,
                    "bash",
                    "-c",
                    "exec -a docker-proxy /usr/bin/python3 \"$0\" \"$@\"",
                    proxy.toString(),
                    "-proto",
                    "tcp",
                    "-host-ip",
                    "127.0.0.1",
                    "-host-port",
                    Integer.toString(published6),
                    "-container-ip",
                    "fd13:0:0:0:0:0:0:2",
                    "-container-port",
                    "8081");
            Process docker = start(
                    started,
                    "bash",
                    "-c",
                    "exec -a docker-proxy /usr/bin/python3 \"$0\" \"$@\"",
                    proxy.toString(),
                    "-proto",
                    "tcp",
                    "-host-ip",
                    "127.0.0.1",
                    "-host-port",
                    Integer.toString(published),
                    "-container-ip",
                    "10.213.7.2",
                    "-container-port",
                    "8080");
            start(
                    started,
                    "bash",
                    "-c",
                    "exec -a docker-proxy /usr/bin/python3 \"$0\" \"$@\"",
                    proxy.toString(),
                    "-proto",
                    "tcp",
                    "-host-ip",
                    "127.0.0.1",
                    "-host-port",
                    Integer.toString(unpublished),
                    "-container-ip",
                    "10.213.7.3",
                    "-container-port",
                    "8080");

            LinuxSocketTable table = LinuxSocketTable.system();
            Listener held = only(table.read(Query.ports(PortRange.of(published), Transport.TCP)));
            Forward f = table.forward(held).orElseThrow(() -> new AssertionError("no forward for " + held));
            assertThat(f.program()).isEqualTo("docker-proxy");
            assertThat(f.pid()).isEqualTo(docker.pid());
            assertThat(f.target()).isEqualTo("10.213.7.2:8080");
            assertThat(f.servers()).singleElement().satisfies(s -> {
                assertThat(s.local().hostPort()).isEqualTo("0.0.0.0:8080");
                assertThat(s.namespace().current()).isFalse();
                assertThat(s.namespace().name()).isEqualTo(ns);
                assertThat(s.processes()).extracting(p -> (long) p.pid()).contains(server.pid());
            });
            assertThat(f.notes()).isEmpty();

            Forward nowhere = table.forward(only(table.read(Query.ports(PortRange.of(unpublished), Transport.TCP))))
                    .orElseThrow();
            assertThat(nowhere.servers()).isEmpty();
            assertThat(nowhere.notes()).singleElement().asString().startsWith("nothing listens on 10.213.7.3:8080");

            Forward six = table.forward(only(table.read(Query.ports(PortRange.of(published6), Transport.TCP))))
                    .orElseThrow();
            assertThat(six.target()).isEqualTo("[fd13::2]:8081");
            assertThat(six.servers()).singleElement().satisfies(s -> {
                assertThat(s.local().hostPort()).isEqualTo("[::]:8081");
                assertThat(s.processes()).extracting(p -> (long) p.pid()).contains(server6.pid());
            });

            Listener inside = table.read(Query.ports(PortRange.of(8080), Transport.TCP)).listeners().stream()
                    .filter(l -> l.namespace().name().equals(ns))
                    .findFirst()
                    .orElseThrow();
            assertThat(table.forward(inside))
                    .as("the server itself forwards nothing")
                    .isEmpty();

            Explanation e = Explainer.builder()
                    .socketTable(table)
                    .build()
                    .explain(PortRange.of(published), Optional.of(Transport.TCP));
            assertThat(e.listeners())
                    .singleElement()
                    .satisfies(x -> assertThat(x.forward())
                            .hasValueSatisfying(g -> assertThat(g.target()).isEqualTo("10.213.7.2:8080")));
        } finally {
            stopAll(started);
            run("ip", "netns", "delete", ns);
        }
        assertThat(new ProcessBuilder("ip", "netns", "list")
                        .start()
                        .getInputStream()
                        .readAllBytes())
                .asString()
                .as("the namespace is gone")
                .doesNotContain(ns);
    }

    /**
     * A forwarder's stand-in: a program that listens on 127.0.0.1:{@code port}, started under {@code
     * program}'s name with {@code args} as its command line (Python reads it from standard input, so that
     * no script path stands among the arguments).
     */
    private static Process standIn(List<Process> started, String program, int port, String... args) throws IOException {
        Path script = Files.writeString(
                Files.createTempDirectory("portlens-" + program).resolve("stand-in.py"),
                "import socket, time\n"
                        + "s = socket.socket()\n"
                        + "s.bind(('127.0.0.1', " + port + "))\n"
                        + "s.listen()\n"
                        + "print('ready', flush=True)\n"
                        + "time.sleep(120)\n");
        List<String> command = new ArrayList<>(
                List.of("bash", "-c", "exec -a " + program + " /usr/bin/python3 - \"$@\" < \"$0\"", script.toString()));
        command.addAll(List.of(args));
        return start(started, command.toArray(new String[0]));
    }

    private static void stopAll(List<Process> started) throws InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Listener only(Discovery d) {
        assertThat(d.listeners()).hasSize(1);
        return d.listeners().get(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts a program that prints "ready" once it listens, and waits for that. */
    private static Process start(List<Process> started, String... command) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        started.add(p);
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as(String.join(" ", command)).isEqualTo("ready");
        return p;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
