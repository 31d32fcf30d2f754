package org.portlens.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.portlens.testkit.Needs;

/**
 * Full-range sweeps, which may only ever run inside a network namespace this test creates: there
 * the only listeners are the ones it starts, and nothing leaves the namespace's own loopback. The
 * scanner runs in a child JVM started with {@code ip netns exec} ({@link SweepChild}); the
 * listeners are one python3 process, also started in the namespace. Needs root and iproute2; the
 * namespace and every process in it are removed afterwards, also when a test fails.
 */
class NetnsSweepIT {

    /** 30 TCP listeners: well-known ports, both ends of the range, several inside the ephemeral range. */
    static final List<Integer> TCP_PORTS = List.of(
            1, 7, 21, 22, 25, 53, 80, 110, 143, 443, 631, 993, 1080, 3306, 3640, 5432, 6379, 8080, 9200, 27017, 32768,
            33333, 40000, 44321, 50000, 55555, 60999, 61000, 65000, 65535);
    /** UDP echo listeners, answered by the same process. */
    static final List<Integer> UDP_PORTS = List.of(53, 123, 5353, 40000, 65535);

    /**
     * Binds the given TCP ports (accepting and closing connections, so accept queues never fill) and UDP
     * ports (echoing datagrams) on 127.0.0.1, prints "ready", and exits when its stdin closes.
     */
    static final String LISTENERS = """
            import os, selectors, socket, sys, threading
            tcp = [int(p) for p in sys.argv[1].split(",") if p]
            udp = [int(p) for p in sys.argv[2].split(",") if p]
            sel = selectors.DefaultSelector()
            for p in tcp:
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", p)); s.listen(1024); s.setblocking(False)
                sel.register(s, selectors.EVENT_READ, "tcp")
            for p in udp:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(("127.0.0.1", p)); s.setblocking(False)
                sel.register(s, selectors.EVENT_READ, "udp")
            def watch_stdin():
                sys.stdin.read()
                os._exit(0)
            threading.Thread(target=watch_stdin, daemon=True).start()
            print("ready", flush=True)
            while True:
                for key, _ in sel.select():
                    try:
                        if key.data == "tcp":
                            c, _ = key.fileobj.accept(); c.close()
                        else:
                            data, peer = key.fileobj.recvfrom(2048); key.fileobj.sendto(data, peer)
                    except OSError:
                        pass
            """;

    static Netns ns;
    static Process listeners;

    @BeforeAll
    static void startNamespace(@TempDir Path dir) throws Exception {
        Needs.root("a network namespace of the test's own (ip netns add)");
        Needs.binary("ip", "iproute2", "/usr/sbin/ip");
        Needs.binary("python3", "python3", "/usr/bin/python3");
        ns = Netns.create("it"); // as root with iproute2 the namespace must work: a failure stands
        // lift ICMP rate limits in this namespace only (see UdpScanner); the loopback is exempt on recent
        // kernels anyway
        ns.exec("sysctl", "-q", "-w", "net.ipv4.icmp_ratelimit=0", "net.ipv4.icmp_ratemask=0");
        Path script = dir.resolve("listeners.py");
        Files.writeString(script, LISTENERS);
        listeners = ns.start(List.of("python3", script.toString(), csv(TCP_PORTS), csv(UDP_PORTS)));
        Netns.awaitLine(listeners, "ready");
    }

    @AfterAll
    static void removeNamespace() throws IOException {
        if (listeners != null) {
            try (OutputStream stdin = listeners.getOutputStream()) {
                stdin.flush(); // closing stdin ends the listeners cleanly; close() below kills them anyway
            }
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void fullTcpSweepFindsExactlyTheListeners() throws Exception {
        Map<String, String> out = child("tcp", "127.0.0.1", "-", 1000, 1);
        assertThat(openPorts(out)).containsExactlyElementsOf(new TreeSet<>(TCP_PORTS));
        assertThat(out.get("count OPEN")).isEqualTo("30");
        assertThat(out.get("count CLOSED")).isEqualTo(Integer.toString(65535 - 30));
        assertThat(out.get("count FILTERED")).isEqualTo("0");
        assertThat(fds(out)[1]).as("descriptors after the sweep").isEqualTo(fds(out)[0]);
        assertThat(out.get("selector"))
                .as("the child's choice of poll selectors took effect")
                .isEqualTo("poll");
    }

    @Test
    void fullUdpSweepFindsTheEchoersAndEveryClosedPort() throws Exception {
        Map<String, String> out = child("udp", "127.0.0.1", "-", 1000, 1);
        assertThat(openPorts(out)).containsExactlyElementsOf(new TreeSet<>(UDP_PORTS));
        assertThat(out.get("count CLOSED")).isEqualTo(Integer.toString(65535 - UDP_PORTS.size()));
        assertThat(out.get("count OPEN_FILTERED")).isEqualTo("0");
        assertThat(fds(out)[1]).isEqualTo(fds(out)[0]);
    }

    /**
     * In a namespace of its own with no listener at all and an ephemeral range of only 200 ports, 20
     * sweeps of that range make the kernel hand out the target port as the source port now and then
     * (about one connect in 200): each such socket connects to itself. None may be reported open.
     */
    @Test
    void selfConnectsInTheEphemeralRangeAreNeverReportedOpen() throws Exception {
        try (Netns empty = Netns.create("eph")) {
            empty.exec("sysctl", "-q", "-w", "net.ipv4.ip_local_port_range=40000 40199");
            Map<String, String> out = child(empty, "tcp", "127.0.0.1", "40000-40199", 1000, 20);
            assertThat(openPorts(out)).as("open ports in an empty namespace").isEmpty();
            assertThat(out.get("count CLOSED")).isEqualTo("200");
            assertThat(Integer.parseInt(out.get("self")))
                    .as("self-connects caught and reported closed")
                    .isPositive();
            System.out.println("NetnsSweepIT: " + out.get("self")
                    + " self-connects in 20 sweeps of 200 ephemeral ports," + " all reported closed");
            assertThat(fds(out)[1]).isEqualTo(fds(out)[0]);

            Map<String, String> udp = child(empty, "udp", "127.0.0.1", "40000-40199", 500, 5);
            assertThat(openPorts(udp))
                    .as("open UDP ports in an empty namespace")
                    .isEmpty();
            assertThat(udp.get("count CLOSED")).isEqualTo("200");
        }
    }

    /** The native engine's sweep of the same namespace, on each binding: same open set, every socket closed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("nativeJvms")
    void fullTcpSweepOnTheNativeEngineFindsExactlyTheListeners(Jvm jvm) throws Exception {
        Map<String, String> out = child(ns, jvm, "tcp", "127.0.0.1", "-", 1000, 1);
        assertThat(out.get("engine")).isEqualTo("native");
        assertThat(openPorts(out)).containsExactlyElementsOf(new TreeSet<>(TCP_PORTS));
        assertThat(out.get("count CLOSED")).isEqualTo(Integer.toString(65535 - 30));
        assertThat(out.get("count FILTERED")).isEqualTo("0");
        assertThat(fds(out)[1]).as("descriptors after the sweep").isEqualTo(fds(out)[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nativeJvms")
    void selfConnectsAreNeverReportedOpenByTheNativeEngine(Jvm jvm) throws Exception {
        try (Netns empty = Netns.create("eph6")) {
            empty.exec("sysctl", "-q", "-w", "net.ipv4.ip_local_port_range=40000 40199");
            Map<String, String> out = child(empty, jvm, "tcp", "127.0.0.1", "40000-40199", 1000, 20);
            assertThat(out.get("engine")).isEqualTo("native");
            assertThat(openPorts(out)).as("open ports in an empty namespace").isEmpty();
            assertThat(out.get("count CLOSED")).isEqualTo("200");
            assertThat(Integer.parseInt(out.get("self")))
                    .as("self-connects caught and reported closed")
                    .isPositive();
            assertThat(fds(out)[1]).isEqualTo(fds(out)[0]);
        }
    }

    /**
     * Binding java.lang.foreign costs 70-120 ms: on a JDK 22+, asked for a scan of 1,000 ports, the engine
     * stays on NIO and says why; asked for all 65,535 it binds and runs native.
     */
    @Test
    void onJdk22OnlyALargeScanBindsTheForeignCalls() throws Exception {
        List<String> flags = new ArrayList<>(NATIVE_FLAGS.subList(0, 3));
        flags.add("-Dportlens.test.engine=sized");
        Jvm sized = new Jvm("sized on a JDK 22+", null, flags);
        Map<String, String> small = child(ns, sized, "tcp", "127.0.0.1", "1-1000", 1000, 1);
        assertThat(small.get("engine")).isEqualTo("nio");
        assertThat(small.get("native")).startsWith("a scan of 1000 ports does not win back the 70-120 ms");
        Map<String, String> large = child(ns, sized, "tcp", "127.0.0.1", "-", 1000, 1);
        assertThat(large.get("engine")).isEqualTo("native");
        assertThat(large.get("native")).isEqualTo("in use");
        assertThat(openPorts(large)).containsExactlyElementsOf(new TreeSet<>(TCP_PORTS));
    }

    /**
     * Routes that answer a connect with an error at once: "unreachable" (EHOSTUNREACH) and "prohibit"
     * (EACCES). Every engine must call every port filtered, as nmap does, and not give up.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("allJvms")
    void unreachableAndProhibitedRoutesAreFiltered(Jvm jvm) throws Exception {
        try (Netns routes = Netns.create("rt")) {
            routes.exec("ip", "route", "add", "unreachable", "10.77.0.0/16");
            routes.exec("ip", "route", "add", "prohibit", "10.78.0.0/16");
            for (String host : List.of("10.77.0.1", "10.78.0.1")) {
                Map<String, String> out = child(routes, jvm, "tcp", host, "1-300", 1000, 1);
                assertThat(out.get("count FILTERED")).as(host).isEqualTo("300");
                assertThat(Long.parseLong(out.get("elapsed")))
                        .as("decided at once, no timeouts")
                        .isLessThan(900);
                assertThat(fds(out)[1]).isEqualTo(fds(out)[0]);
            }
        }
    }

    /**
     * With IPv6 off on the namespace's loopback, no connect to ::1 can even start: every engine fails the
     * scan with an error that says IPv6 or the address is not available, rather than calling 100 ports
     * filtered (or crashing on an unchecked exception, as the NIO engine once did).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("allJvms")
    void aScanOfAnAddressThisHostCannotUseFailsSayingSo(Jvm jvm) throws Exception {
        try (Netns noV6 = Netns.create("no6")) {
            noV6.exec("sysctl", "-q", "-w", "net.ipv6.conf.lo.disable_ipv6=1");
            String error = childError(noV6, jvm, "tcp", "::1", "1-100");
            assertThat(error).startsWith("IOException: cannot").contains("not available");
        }
    }

    /**
     * A JVM to run {@link SweepChild} on: its java (null: the newest JDK 22+, the test skipping if there
     * is none), and extra flags.
     */
    record Jvm(String name, Path java, List<String> flags) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Path BUILD_JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    static final List<String> NATIVE_FLAGS = List.of(
            "--add-opens",
            "java.base/sun.nio.ch=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "-Dportlens.test.engine=native");
    static final Jvm BUILD = new Jvm("NIO on the build's JDK", BUILD_JAVA, List.of());
    static final Jvm BUILD_NATIVE = new Jvm("native on the build's JDK", BUILD_JAVA, NATIVE_FLAGS);
    static final Jvm NEW_NATIVE = new Jvm("native on a JDK 22+", null, NATIVE_FLAGS);

    static List<Jvm> nativeJvms() {
        return List.of(BUILD_NATIVE, NEW_NATIVE);
    }

    static List<Jvm> allJvms() {
        return List.of(BUILD, BUILD_NATIVE, NEW_NATIVE);
    }

    static Path jdk22() throws IOException {
        return Jdks.javaOfAtLeast(22);
    }

    private Map<String, String> child(String proto, String host, String spec, int timeoutMs, int rounds)
            throws Exception {
        return child(ns, BUILD, proto, host, spec, timeoutMs, rounds);
    }

    private static Map<String, String> child(
            Netns where, String proto, String host, String spec, int timeoutMs, int rounds) throws Exception {
        return child(where, BUILD, proto, host, spec, timeoutMs, rounds);
    }

    /** Runs {@link SweepChild} in {@code where}; returns its lines as "key[ key2]" to value, e.g. "count OPEN" to "30". */
    private static Map<String, String> child(
            Netns where, Jvm jvm, String proto, String host, String spec, int timeoutMs, int rounds) throws Exception {
        String[] run = run(where, jvm, proto, host, spec, timeoutMs, rounds);
        String text = run[1];
        assertThat(run[0]).as("child exit status; output:\n" + text).isEqualTo("0");
        Map<String, String> out = new HashMap<>();
        StringBuilder open = new StringBuilder();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split(" ");
            if (f[0].equals("open")) {
                open.append(f[1]).append(',');
            } else if (f[0].equals("count")) {
                out.put("count " + f[1], f[2]);
            } else if (f.length >= 2) {
                out.put(f[0], line.substring(f[0].length() + 1).strip());
            }
        }
        out.put("open", open.toString());
        return out;
    }

    /** Runs {@link SweepChild} expecting the scan to fail (exit 3); returns its "error" line. */
    private static String childError(Netns where, Jvm jvm, String proto, String host, String spec) throws Exception {
        String[] run = run(where, jvm, proto, host, spec, 1000, 1);
        assertThat(run[0]).as("child exit status; output:\n" + run[1]).isEqualTo("3");
        for (String line : run[1].split("\n")) {
            if (line.startsWith("error ")) {
                return line.substring("error ".length());
            }
        }
        throw new AssertionError("no error line in:\n" + run[1]);
    }

    /** Runs {@link SweepChild} in {@code where}; returns its exit status and standard output. */
    private static String[] run(Netns where, Jvm jvm, String proto, String host, String spec, int timeoutMs, int rounds)
            throws Exception {
        Path java = jvm.java;
        if (java == null) {
            java = jdk22();
            assumeTrue(java != null, "no JDK 22+ under /usr/lib/jvm and no PORTLENS_TEST_JDK: native engine not run");
        }
        String cp = location(SweepChild.class) + File.pathSeparator + location(TcpConnectScanner.class);
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        cmd.addAll(jvm.flags);
        cmd.addAll(List.of(
                "-cp",
                cp,
                SweepChild.class.getName(),
                proto,
                host,
                spec,
                Integer.toString(timeoutMs),
                Integer.toString(rounds)));
        Process p = where.start(cmd);
        byte[] stdout = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        return new String[] {Integer.toString(p.exitValue()), new String(stdout, StandardCharsets.UTF_8)};
    }

    private static List<Integer> openPorts(Map<String, String> out) {
        List<Integer> ports = new ArrayList<>();
        for (String p : out.get("open").split(",")) {
            if (!p.isEmpty()) {
                ports.add(Integer.parseInt(p));
            }
        }
        return ports;
    }

    private static long[] fds(Map<String, String> out) {
        String[] f = out.get("fds").split(" ");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }

    private static String csv(List<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
