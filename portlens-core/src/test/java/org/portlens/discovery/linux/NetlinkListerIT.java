package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Query;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.testkit.Needs;

/**
 * The netlink lister against the proc-file lister on the live machine: the same rows, inode for
 * inode, for sockets this test opens (TCP and UDP, IPv4 and IPv6, loopback and wildcard) and, as root,
 * for a listener inside a network namespace the test makes, and for bench/load.py's busy host built
 * in another. Needs JDK 22+ with native access: the
 * build runs it in a failsafe execution of its own on the JDK 22+ of {@code java22.home}
 * (portlens-core/pom.xml), against the multi-release jar. Other programs on the machine open and close
 * sockets while it runs, so the two listers' reads are compared again until they agree (a few tries).
 */
class NetlinkListerIT {

    private static final List<Path> NETNS_DIRS = List.of(Path.of("/run/netns"));
    private static final List<AutoCloseable> OPEN = new ArrayList<>();
    private static NetlinkChannel.Opener opener;
    /** "TCP/port" of each listener this test opened, and what it is. */
    private static final Map<String, String> OWN = new HashMap<>();

    private static ServerSocketChannel tcp4;
    private static DatagramChannel udpConnected;

    @BeforeAll
    static void openSockets() throws IOException {
        if (Runtime.version().feature() < 22) {
            abort("needs JDK 22+ (java.lang.foreign): the build runs it on the JDK of java22.home, this is "
                    + Runtime.version());
        }
        assertThat(NetlinkSupport.possible())
                .as("JDK 22+ on Linux with --enable-native-access: META-INF/versions/22 is loaded and may bind")
                .isTrue();
        opener = NetlinkSupport.opener().orElseThrow(() -> new AssertionError("no netlink opener on JDK 22+"));

        // AF_INET sockets through NIO (java.net's own are AF_INET6, 0.0.0.0 becoming ::); AF_INET6 through java.net
        tcp4 = listen(ServerSocketChannel.open(StandardProtocolFamily.INET), "127.0.0.1", "TCP 127.0.0.1");
        listen(ServerSocketChannel.open(StandardProtocolFamily.INET), "0.0.0.0", "TCP 0.0.0.0");
        listen(ServerSocketChannel.open(StandardProtocolFamily.INET6), "::1", "TCP ::1");
        listen(ServerSocketChannel.open(StandardProtocolFamily.INET6), "::", "TCP :: dual stack");
        bind(DatagramChannel.open(StandardProtocolFamily.INET), "127.0.0.1", "UDP 127.0.0.1");
        bind(DatagramChannel.open(StandardProtocolFamily.INET6), "::", "UDP :: dual stack");
        DatagramChannel peer = bind(DatagramChannel.open(StandardProtocolFamily.INET), "127.0.0.1", "UDP 127.0.0.1");
        udpConnected =
                keep(DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0)));
        udpConnected.connect(peer.getLocalAddress());
        for (int i = 0; i < 2; i++) {
            keep(SocketChannel.open(tcp4.getLocalAddress()));
            keep(tcp4.accept());
        }
    }

    private static ServerSocketChannel listen(ServerSocketChannel c, String address, String label) throws IOException {
        keep(c).bind(new InetSocketAddress(address, 0));
        OWN.put("TCP/" + port(c), label);
        return c;
    }

    private static DatagramChannel bind(DatagramChannel c, String address, String label) throws IOException {
        keep(c).bind(new InetSocketAddress(address, 0));
        OWN.put("UDP/" + port(c), label);
        return c;
    }

    private static int port(NetworkChannel c) throws IOException {
        return ((InetSocketAddress) c.getLocalAddress()).getPort();
    }

    private static <T extends AutoCloseable> T keep(T socket) {
        OPEN.add(socket);
        return socket;
    }

    @AfterAll
    static void closeSockets() throws Exception {
        for (AutoCloseable c : OPEN) {
            c.close();
        }
    }

    private static SocketTables proc() {
        return new SocketTables(ProcRoot.system(), NETNS_DIRS);
    }

    private static NetlinkLister netlink() {
        return new NetlinkLister(ProcRoot.system(), proc(), opener);
    }

    /** Every field of every row: entry, namespace and endpoint; sorted. */
    private static Set<String> rows(SocketTables.Result r) {
        Set<String> rows = new TreeSet<>();
        for (SocketTables.Found f : r.sockets()) {
            SocketEntry e = f.entry();
            rows.add(e.inode() + " " + e.transport() + (e.ipv6() ? "6 " : " ")
                    + HexFormat.of().formatHex(e.local()) + ":" + e.localPort() + " "
                    + HexFormat.of().formatHex(e.remote()) + ":" + e.remotePort() + " state " + e.state() + " uid "
                    + e.uid() + " " + f.ns() + " " + f.local());
        }
        return rows;
    }

    /** Reads with both listers until they agree (the machine's other sockets come and go); the last pair. */
    private static SocketTables.Result[] agreeing(SocketLister netlink, Query query) throws IOException {
        SocketTables proc = proc();
        SocketTables.Result[] pair = null;
        for (int attempt = 0; attempt < 8; attempt++) {
            List<Integer> pids = ProcRoot.system().pids();
            pair = new SocketTables.Result[] {
                netlink.read(pids, query, Needs.isRoot()), proc.read(pids, query, Needs.isRoot())
            };
            if (rows(pair[0]).equals(rows(pair[1]))
                    && pair[0].established() == pair[1].established()
                    && pair[0].connectedUdp() == pair[1].connectedUdp()) {
                break;
            }
        }
        return pair;
    }

    private static void assertSame(SocketTables.Result netlink, SocketTables.Result proc) {
        assertThat(rows(netlink)).isEqualTo(rows(proc));
        assertThat(netlink.established()).isEqualTo(proc.established());
        assertThat(netlink.connectedUdp()).isEqualTo(proc.connectedUdp());
        assertThat(netlink.malformed()).isZero();
        assertThat(netlink.notes()).isEqualTo(proc.notes());
    }

    @Test
    void listsTheSameRowsAsTheProcFiles() throws IOException {
        SocketTables.Result[] r = agreeing(netlink(), Query.all());
        assertSame(r[0], r[1]);
        // the test's own listeners are among them, each once, with their endpoints
        List<String> own = new ArrayList<>();
        for (SocketTables.Found f : r[0].sockets()) {
            String label = OWN.get(f.entry().transport() + "/" + f.entry().localPort());
            if (label != null && f.ns().current()) {
                own.add(label + ": " + f.local().address() + " " + f.local().dualStack());
            }
        }
        assertThat(own)
                .containsExactlyInAnyOrder(
                        "TCP 127.0.0.1: 127.0.0.1 NOT_APPLICABLE",
                        "TCP 0.0.0.0: 0.0.0.0 NOT_APPLICABLE",
                        "TCP ::1: ::1 NOT_APPLICABLE",
                        "TCP :: dual stack: :: LIKELY",
                        "UDP 127.0.0.1: 127.0.0.1 NOT_APPLICABLE",
                        "UDP 127.0.0.1: 127.0.0.1 NOT_APPLICABLE",
                        "UDP :: dual stack: :: LIKELY");
    }

    @Test
    void countsConnectionsOnTheAskedPortsAsTheProcFilesDo() throws IOException {
        SocketTables.Result[] tcp = agreeing(netlink(), Query.ports(PortRange.of(port(tcp4))));
        assertSame(tcp[0], tcp[1]);
        assertThat(tcp[0].sockets()).hasSize(1);
        assertThat(tcp[0].established()).as("the two accepted connections").isEqualTo(2);

        SocketTables.Result[] udp = agreeing(netlink(), Query.ports(PortRange.of(port(udpConnected))));
        assertSame(udp[0], udp[1]);
        assertThat(udp[0].sockets()).isEmpty();
        assertThat(udp[0].connectedUdp()).isEqualTo(1);

        SocketTables.Result[] udpOnly = agreeing(netlink(), Query.ports(new PortRange(1, 65535), Transport.UDP));
        assertSame(udpOnly[0], udpOnly[1]);
        assertThat(udpOnly[0].sockets())
                .allSatisfy(f -> assertThat(f.entry().transport()).isEqualTo(Transport.UDP));
    }

    @Test
    void theEnvironmentChoosesAndTheDefaultMovesToNetlinkOnItsSecondRead() throws Exception {
        ProcRoot root = ProcRoot.system();
        assertThat(SocketListers.choose(root, NETNS_DIRS, "proc").name()).isEqualTo("proc files");
        assertThat(SocketListers.choose(root, NETNS_DIRS, "netlink").name()).isEqualTo("netlink sock_diag");
        SocketLister warming = SocketListers.choose(root, NETNS_DIRS, null);
        List<Integer> pids = root.pids();
        warming.read(pids, Query.all(), Needs.isRoot());
        assertThat(warming.name()).as("one read never binds").isEqualTo("proc files");
        warming.read(pids, Query.all(), Needs.isRoot());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!warming.name().equals("netlink sock_diag") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(warming.name()).isEqualTo("netlink sock_diag");
        SocketTables.Result[] r = agreeing(warming, Query.all());
        assertSame(r[0], r[1]);
    }

    @Test
    void aHostWithManySocketsIsListedOverNetlinkFromTheFirstRead() throws Exception {
        ProcRoot root = ProcRoot.system();
        SocketTables proc = new SocketTables(root, NETNS_DIRS);
        List<Integer> pids = root.pids();
        long rows = proc.rows(proc.namespaces(pids, Needs.isRoot()));
        assertThat(rows).as("this test's own sockets at least").isGreaterThanOrEqualTo(OWN.size());

        WarmingLister busy = new WarmingLister(root, proc, rows);
        SocketTables.Result first = busy.read(pids, Query.all(), Needs.isRoot());
        assertThat(busy.name())
                .as("rows at the threshold: bound before the first read")
                .isEqualTo("netlink sock_diag");
        assertThat(first.sockets()).isNotEmpty();

        WarmingLister quiet = new WarmingLister(root, proc, Long.MAX_VALUE);
        quiet.read(pids, Query.all(), Needs.isRoot());
        Thread.sleep(200);
        assertThat(quiet.name()).as("below the threshold one read never binds").isEqualTo("proc files");
    }

    @Test
    void theCountersAnnounceAboutTheRowsOfTheTables() throws IOException {
        ProcRoot root = ProcRoot.system();
        SocketTables proc = new SocketTables(root, List.of());
        SocketTables.Namespaces own = new SocketTables.Namespaces(
                List.of(proc.namespaces(List.of(), true).all().get(0)), List.of());
        long lines = 0;
        for (String f : new String[] {"net/tcp", "net/tcp6", "net/udp", "net/udp6"}) {
            lines += root.readOrEmpty(f).lines().skip(1).count();
        }
        long rows = proc.rows(own);
        // other programs open and close sockets between the reads; the counters miss nothing the files show
        assertThat(rows)
                .as("sockstat rows against %d lines", lines)
                .isBetween(lines - 50 - lines / 10, lines + 50 + lines / 10);
    }

    @Test
    void readsAListenerInsideAnotherNetworkNamespace() throws Exception {
        Needs.root("entering a network namespace (ip netns add, setns)");
        Needs.binary("ip", "iproute2", "/usr/bin/ip");
        Needs.binary("python3", "python3", "/usr/bin/python3");
        String name = "portlens-nl-test-" + ProcessHandle.current().pid();
        run("ip", "netns", "add", name);
        Process listener = null;
        try {
            run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
            listener = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            name,
                            "python3",
                            "-c",
                            "import socket,sys,time\n"
                                    + "s=socket.socket(socket.AF_INET6); s.bind(('::',0)); s.listen()\n"
                                    + "u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); u.bind(('127.0.0.1',0))\n"
                                    + "print(s.getsockname()[1], u.getsockname()[1], flush=True)\n"
                                    + "time.sleep(120)\n")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String[] ports = new BufferedReader(
                            new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))
                    .readLine()
                    .split(" ");
            int tcpPort = Integer.parseInt(ports[0]);
            int udpPort = Integer.parseInt(ports[1]);

            // the namespace's own socket, straight from a netlink socket opened inside it
            long pythonPid = listener.descendants()
                    .filter(p -> p.info().command().orElse("").contains("python3"))
                    .findFirst()
                    .map(ProcessHandle::pid)
                    .orElse(listener.pid());
            try (NetlinkChannel c = opener.openIn(Path.of("/proc/" + pythonPid + "/ns/net"))) {
                SockDiag.Reply reply = new SockDiag.Reply(Transport.TCP, 1, Optional.empty());
                c.send(SockDiag.request(Transport.TCP, true, Optional.empty(), 1));
                while (!reply.accept(c.receive())) {
                    // more datagrams
                }
                assertThat(reply.listening()).extracting(SocketEntry::localPort).containsExactly(tcpPort);
            }

            SocketTables.Result[] r = agreeing(netlink(), Query.all());
            assertSame(r[0], r[1]);
            assertThat(r[0].sockets())
                    .filteredOn(f -> f.ns().name().equals(name))
                    .extracting(f -> f.entry().transport() + " " + f.local().address() + ":"
                            + f.local().port() + " " + f.ns().current())
                    .containsExactlyInAnyOrder("TCP :::" + tcpPort + " false", "UDP 127.0.0.1:" + udpPort + " false");
        } finally {
            if (listener != null) {
                listener.descendants().forEach(ProcessHandle::destroyForcibly);
                listener.destroyForcibly();
                listener.waitFor(10, TimeUnit.SECONDS);
            }
            run("ip", "netns", "delete", name);
        }
    }

    @Test
    void agreesWithTheProcFilesOnTheBenchsBusyHost() throws Exception {
        Needs.root("a network namespace for the busy host (ip netns add)");
        Needs.binary("ip", "iproute2", "/usr/bin/ip");
        Needs.binary("python3", "python3", "/usr/bin/python3");
        Path load = Path.of("..", "bench", "load.py").toAbsolutePath().normalize();
        assertThat(load)
                .as("bench/load.py, the busy-host generator of bench/run.sh")
                .exists();
        String name = "portlens-nl-busy-" + ProcessHandle.current().pid();
        Path ready = Files.createTempDirectory("portlens-busy").resolve("ready.json");
        run("ip", "netns", "add", name);
        Process host = null;
        try {
            run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
            // a smaller busy host than the bench's: 600 TCP listeners, 200 UDP sockets, 1,000 connections
            host = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            name,
                            "python3",
                            load.toString(),
                            "hold",
                            "--scenario",
                            "busy",
                            "--procs",
                            "20",
                            "--listeners",
                            "600",
                            "--udp",
                            "200",
                            "--conns",
                            "1000",
                            "--port",
                            "3640",
                            "--ready-file",
                            ready.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(ready) && host.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ready).as("load.py hold is ready").exists();

            SocketTables.Result[] all = agreeing(netlink(), Query.all());
            assertSame(all[0], all[1]);
            assertThat(all[0].sockets())
                    .filteredOn(f -> f.ns().name().equals(name))
                    .as("the busy host's listeners and UDP sockets, read in its namespace")
                    .hasSizeGreaterThanOrEqualTo(600 + 200);

            // below the ephemeral range, so that none of the load's kernel-chosen ports can be it
            SocketTables.Result[] port = agreeing(netlink(), Query.ports(PortRange.of(3640)));
            assertSame(port[0], port[1]);
            assertThat(port[0].sockets())
                    .filteredOn(f -> f.ns().name().equals(name))
                    .extracting(f -> f.local().address() + ":" + f.local().port() + " " + f.ns().name())
                    .containsExactly("127.0.0.1:3640 " + name);
        } finally {
            if (host != null) {
                host.descendants().forEach(ProcessHandle::destroyForcibly);
                host.destroyForcibly();
                host.waitFor(10, TimeUnit.SECONDS);
            }
            run("ip", "netns", "delete", name);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    @Test
    void withoutNativeAccessTheChoiceIsProcFilesAndSilent() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ListerChild.class.getName(),
                        "netlink")
                .start();
        p.getOutputStream().close();
        ByteBuffer err = ByteBuffer.wrap(p.getErrorStream().readAllBytes());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.strip()).isEqualTo("proc files");
        assertThat(StandardCharsets.UTF_8.decode(err).toString()).as("stderr").isEmpty();
    }
}
