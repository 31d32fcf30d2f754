package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portlens.scan.Jdks;
import org.portlens.testkit.Needs;

/**
 * The packaged jar against the live machine: listeners this test opens itself (a Java socket, a
 * {@code python3 -m http.server} child, a UDP socket, a listener inside a network namespace the
 * test creates) are found with the right pid and command line; the listing agrees with ss.
 * Everything binds to loopback.
 */
public class LiveIT {

    static final ObjectMapper JSON = new ObjectMapper();
    final List<Process> children = new ArrayList<>();
    final List<String> namespaces = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : children) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        for (String ns : namespaces) {
            new ProcessBuilder("ip", "netns", "del", ns).inheritIO().start().waitFor();
        }
    }

    record Result(int code, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    static Result portlens(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", jar()));
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    static Result exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(
                p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** A policy that expects nothing and ignores every listener but TCP {@code port}: the test's own. */
    static String onlyTcpPortPolicy(int port) {
        return "version: 1\nexpect: []\nignore:\n"
                + "  - {transport: udp, port: 1-65535}\n"
                + (port > 1 ? "  - {transport: tcp, port: 1-" + (port - 1) + "}\n" : "")
                + (port < 65535 ? "  - {transport: tcp, port: " + (port + 1) + "-65535}\n" : "");
    }

    static String jar() {
        return System.getProperty("portlens.jar", "target/portlens.jar");
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    Process startPythonHttp(int port, String... prefix) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(prefix));
        Needs.binary("python3", "python3", "/usr/bin/python3");
        cmd.addAll(List.of("python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1"));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        children.add(p);
        return p;
    }

    static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nothing listened on 127.0.0.1:" + port + " within 20 s");
    }

    static List<JsonNode> ownersOn(JsonNode listeners, String transport, int port) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode l : listeners) {
            if (l.get("transport").asText().equals(transport) && l.get("port").asInt() == port) {
                l.get("owners").forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void findsAJavaListenerOfThisTestWithItsPidAndCommandLine() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            Result r = portlens(Integer.toString(port), "--json");
            assertThat(r.code()).as(r.err()).isIn(0, 3);
            JsonNode j = r.json();
            List<JsonNode> owners = ownersOn(j.get("listeners"), "tcp", port);
            assertThat(owners).hasSize(1);
            JsonNode p = owners.get(0).get("process");
            assertThat(p.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(p.get("name").asText()).isEqualTo("java");
            assertThat(p.get("commandLine").toString()).contains("surefire").doesNotContain("http.server");
            assertThat(j.get("listeners").get(0).get("scope").asText()).isEqualTo("loopback");
            assertThat(j.get("findings").get(0).get("text").asText()).contains("reachable only from this host");
            assertThat(j.get("findings")
                            .get(0)
                            .get("holder")
                            .get("exposure")
                            .get("scope")
                            .asText())
                    .isEqualTo("loopback");
        }
    }

    @Test
    void findsAPythonHttpServerChildAndExplainsIt() throws Exception {
        int port = freePort();
        Process py = startPythonHttp(port);
        awaitListening(port);
        Result r = portlens(Integer.toString(port), "--json");
        JsonNode j = r.json();
        List<JsonNode> owners = ownersOn(j.get("listeners"), "tcp", port);
        assertThat(owners).hasSize(1);
        JsonNode p = owners.get(0).get("process");
        assertThat(p.get("pid").asLong()).isEqualTo(py.pid());
        assertThat(p.get("commandLine").toString()).contains("http.server").contains(Integer.toString(port));
        assertThat(p.get("ancestry").get(0).get("pid").asLong())
                .isEqualTo(ProcessHandle.current().pid());
        assertThat(p.get("startTime").asText()).isNotEmpty();
        assertThat(j.get("findings").toString()).contains("Python HTTP server");

        Result text = portlens(Integer.toString(port), "--no-color");
        assertThat(text.out()).contains("python3", "pid " + py.pid(), "loopback only", "Verdict");
    }

    @Test
    void findsABoundUdpSocketAsUnconnected() throws Exception {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = udp.getLocalPort();
            Result r = portlens("ls", "--udp", "--port", Integer.toString(port), "--json");
            JsonNode listeners = r.json().get("listeners");
            assertThat(listeners).hasSize(1);
            assertThat(listeners.get(0).get("state").asText()).isEqualTo("UNCONN");
            assertThat(listeners
                            .get(0)
                            .get("owners")
                            .get(0)
                            .get("process")
                            .get("pid")
                            .asLong())
                    .isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void lsTakesThePortOrRangeOnEitherSideOnBothPaths() throws Exception {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            String port = Integer.toString(udp.getLocalPort());
            String range = port + "-" + port;
            for (List<String> line : List.of(
                    List.of("ls", port, "--udp", "--json"),
                    List.of(port, "ls", "--udp", "--json"),
                    List.of("ls", range, "--udp", "--json"))) {
                for (boolean quick : new boolean[] {true, false}) {
                    List<String> cmd = new ArrayList<>(quick ? List.of() : List.of("env", "PORTLENS_NO_QUICKSTART=1"));
                    cmd.addAll(List.of(javaBin(), "-jar", jar()));
                    cmd.addAll(line);
                    JsonNode listeners = exec(cmd).json().get("listeners");
                    assertThat(listeners).as("%s", cmd).hasSize(1);
                    assertThat(listeners.get(0).get("port").asText()).isEqualTo(port);
                }
            }
        }
    }

    @Test
    void nothingListeningSaysSo() throws Exception {
        int port = freePort();
        Result r = portlens(Integer.toString(port), "--no-color");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Nothing is listening on " + port);
    }

    @Test
    void lsFiltersByPidAndProcessName() throws Exception {
        int port = freePort();
        Process py = startPythonHttp(port);
        awaitListening(port);
        Result byPid = portlens("ls", "--pid", Long.toString(py.pid()), "--json");
        assertThat(byPid.json().get("listeners")).hasSize(1);
        Result byName = portlens("ls", "--process", "http.server", "--tcp", "--json");
        assertThat(byName.json().get("listeners").findValuesAsText("port")).contains(Integer.toString(port));
        Result table = portlens("ls", "--tcp", "--scope", "loopback", "--no-color");
        assertThat(table.out()).contains("PROTO", "127.0.0.1:" + port, "python3");
        Result bad = portlens("ls", "--scope", "moon");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("moon");
    }

    @Test
    void listingAgreesWithSs() throws Exception {
        // Other processes may come and go between the two reads: compare a few times.
        Set<String> mine = Set.of();
        Set<String> theirs = Set.of();
        for (int attempt = 0; attempt < 4; attempt++) {
            Result r = portlens("ls", "--json");
            theirs = ssTuples(
                    exec(List.of(Needs.binary("ss", "iproute2", "/usr/bin/ss").toString(), "-ltnupH"))
                            .out());
            mine = tuples(r.json().get("listeners"));
            if (mine.equals(theirs)) {
                break;
            }
            Thread.sleep(300);
        }
        assertThat(mine).isNotEmpty().isEqualTo(theirs);
    }

    /** (transport, address, port, pid) from portlens JSON, current namespace only (ss sees no other). */
    static Set<String> tuples(JsonNode listeners) {
        Set<String> out = new TreeSet<>();
        for (JsonNode l : listeners) {
            if (!l.get("netns").get("current").asBoolean()) {
                continue;
            }
            String base = l.get("transport").asText() + " " + l.get("address").asText() + " "
                    + l.get("port").asInt();
            boolean any = false;
            for (JsonNode o : l.get("owners")) {
                if (o.get("status").asText().equals("known")) {
                    out.add(base + " " + o.get("process").get("pid").asInt());
                    any = true;
                }
            }
            if (!any) {
                out.add(base + " -");
            }
        }
        return out;
    }

    /** The same tuples from {@code ss -ltnupH}: {@code tcp LISTEN 0 5 127.0.0.1:8000 0.0.0.0:* users:(("python3",pid=7,fd=3))}. */
    static Set<String> ssTuples(String text) {
        Set<String> out = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            String transport = f[0];
            String local = f[4];
            int colon = local.lastIndexOf(':');
            String addr = local.substring(0, colon);
            int port = Integer.parseInt(local.substring(colon + 1));
            if (addr.startsWith("[") && addr.endsWith("]")) {
                addr = addr.substring(1, addr.length() - 1);
            }
            int pct = addr.indexOf('%');
            if (pct >= 0) {
                addr = addr.substring(0, pct);
            }
            if (addr.equals("*")) {
                addr = "::";
            }
            if (addr.startsWith("::ffff:") && addr.indexOf('.') > 0) {
                addr = addr.substring(7);
            }
            String base = transport + " " + addr + " " + port;
            Matcher m = Pattern.compile("pid=(\\d+)").matcher(line);
            boolean any = false;
            while (m.find()) {
                out.add(base + " " + m.group(1));
                any = true;
            }
            if (!any) {
                out.add(base + " -");
            }
        }
        return out;
    }

    /** Creates a network namespace named {@code prefix + pid} with its loopback up; removed after the test. */
    String newNamespace(String prefix) throws Exception {
        Needs.binary("ip", "iproute2", "/usr/sbin/ip");
        String ns = prefix + ProcessHandle.current().pid();
        assertThat(exec(List.of("ip", "netns", "add", ns)).code()).isZero();
        namespaces.add(ns);
        assertThat(exec(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"))
                        .code())
                .isZero();
        return ns;
    }

    /** Skips, with what is missing and how to get it, unless the test runs as root. */
    public static void needRoot(String forWhat) {
        Needs.root(forWhat);
    }

    @Test
    void findsAListenerInsideANetworkNamespaceTheTestCreates() throws Exception {
        needRoot("ip netns (a network namespace of the test's own)");
        String ns = newNamespace("portlens-it-");
        int port = 3640;
        Process py = startPythonHttp(port, "ip", "netns", "exec", ns);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode found = null;
        while (found == null && System.nanoTime() < deadline) {
            JsonNode listeners =
                    portlens("ls", "--tcp", "--port", "3640", "--json").json().get("listeners");
            for (JsonNode l : listeners) {
                if (l.get("netns").get("name").asText().equals(ns)) {
                    found = l;
                }
            }
            if (found == null) {
                Thread.sleep(200);
            }
        }
        assertThat(found).as("listener in netns " + ns).isNotNull();
        assertThat(found.get("netns").get("current").asBoolean()).isFalse();
        assertThat(found.get("owners").get(0).get("process").get("pid").asLong())
                .isEqualTo(py.pid());
        Result text = portlens("3640", "--tcp", "--no-color");
        assertThat(text.out()).contains("[netns " + ns + "]");
    }

    /**
     * A full sweep by the packaged jar inside a namespace this test creates (one listener, 3640), on the
     * build's JDK and on a JDK 22+ if the machine has one: the jar's manifest opens what each needs
     * (Add-Opens for 17-21, Enable-Native-Access for 22+), so both run the native engine, with the same
     * answer and no warning. On a JDK 22+ a scan below 16,384 ports stays on NIO.
     */
    @Test
    void fullScanInsideANamespaceOnEachEngine() throws Exception {
        needRoot("ip netns (a network namespace of the test's own)");
        String ns = newNamespace("portlens-scan-it-");
        startPythonHttp(3640, "ip", "netns", "exec", ns);
        String jar = Path.of(jar()).toAbsolutePath().toString();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!exec(List.of("ip", "netns", "exec", ns, javaBin(), "-jar", jar, "scan", "127.0.0.1", "-p", "3640"))
                .out()
                .contains("3640/tcp    open")) {
            assertThat(System.nanoTime())
                    .as("python listening in " + ns + " within 20 s")
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
        List<String> javas = new ArrayList<>(List.of(javaBin()));
        Path newer = Jdks.javaOfAtLeast(22);
        if (newer != null) {
            javas.add(newer.toString());
        } else {
            System.out.println("LiveIT: no JDK 22+ on this machine: the native engine's full scan is not run");
        }
        for (String java : javas) {
            Result r =
                    exec(List.of("ip", "netns", "exec", ns, java, "-jar", jar, "scan", "127.0.0.1", "-p-", "--json"));
            assertThat(r.code()).as(java + ": " + r.err()).isZero();
            assertThat(r.err()).as(java).doesNotContain("WARNING");
            JsonNode doc = r.json();
            assertThat(doc.get("engine").asText()).as(java).isEqualTo("native");
            assertThat(doc.get("portsScanned").asInt()).isEqualTo(65535);
            assertThat(doc.get("counts").get("open").asInt()).as(java).isEqualTo(1);
            assertThat(doc.get("counts").get("closed").asInt()).as(java).isEqualTo(65534);
            assertThat(doc.get("ports").get(0).get("port").asInt()).isEqualTo(3640);
            Result text = exec(List.of(
                    "ip", "netns", "exec", ns, java, "-jar", jar, "scan", "127.0.0.1", "-p", "1-20000", "--no-color"));
            assertThat(text.out())
                    .as(java)
                    .contains("20000 tcp ports of 127.0.0.1 scanned in ")
                    .contains(" ms with native sockets: 1 open, 19999 closed");
            // a small scan: worth the native engine only where binding it is cheap (JDK 17-21)
            Result small = exec(List.of(
                    "ip", "netns", "exec", ns, java, "-jar", jar, "scan", "127.0.0.1", "-p", "3000-4000", "--json"));
            boolean foreign = !java.equals(javaBin()) || Runtime.version().feature() >= 22;
            assertThat(small.json().get("engine").asText())
                    .as(java + ", 1,001 ports")
                    .isEqualTo(foreign ? "nio" : "native");
            assertThat(small.json().get("counts").get("open").asInt()).isEqualTo(1);
        }
    }

    @Test
    void withoutRootAnotherUsersListenerHasAHiddenOwnerAndExitIsThree() throws Exception {
        needRoot("setpriv to another user (the listener must belong to someone else)");
        int port = freePort();
        startPythonHttp(port);
        awaitListening(port);
        List<String> cmd = new ArrayList<>(List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                javaBin(),
                "-jar",
                Path.of(jar()).toAbsolutePath().toString(),
                Integer.toString(port),
                "--json"));
        Result r = exec(cmd);
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("partial answer").contains("run as root");
        JsonNode owners = r.json().get("listeners").get(0).get("owners");
        assertThat(owners.get(0).get("status").asText()).isEqualTo("hidden");
        assertThat(owners.get(0).get("reason").asText()).contains("user root").contains("run as root");
        assertThat(r.json().get("coverage").get("privileged").asBoolean()).isFalse();

        // the same socket (on 127.0.0.1) is outside 'ls --scope all': it cannot make that answer partial,
        // while 'ls --scope loopback' and 'ls --pid N' (a hidden owner may be that pid) stay partial
        List<String> ls = new ArrayList<>(cmd.subList(0, cmd.size() - 2));
        ls.addAll(List.of("ls", "--port", Integer.toString(port)));
        Result all = exec(concat(ls, "--scope", "all"));
        assertThat(all.code()).as(all.err()).isZero();
        assertThat(all.err()).doesNotContain("partial answer");
        Result loopback = exec(concat(ls, "--scope", "loopback"));
        assertThat(loopback.code()).as(loopback.err()).isEqualTo(3);
        assertThat(loopback.out()).contains("127.0.0.1:" + port);
        Result byPid = exec(concat(ls, "--pid", "1"));
        assertThat(byPid.code()).as(byPid.err()).isEqualTo(3);
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
