package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.linux.proc.UserDirectory;
import org.portlens.model.BindScope;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.Owner;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;
import org.portlens.model.Source;
import org.portlens.model.Transport;

/**
 * Scans a fake /proc tree built in a temporary directory, with real symlinks for fd/N, exe, cwd,
 * ns/net and self. The /proc/net lines are written in the kernel's own format
 * ({@code get_tcp4_sock}/{@code get_tcp6_sock} in net/ipv4/tcp_ipv4.c and net/ipv6/tcp_ipv6.c,
 * {@code udp4_format_sock} in net/ipv4/udp.c: same columns, same widths, little-endian hex
 * addresses as on x86_64); stat, status and cgroup follow what Linux 6.18 prints (compare the
 * recordings in src/test/resources/org/portlens/discovery/linux, made on Debian 12, kernel
 * 6.18.44-fc-v782, as root). None of it is read from the machine running the test.
 */
class LinuxSocketTableTest {

    static final String TCP_HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
    static final String TCP6_HEADER =
            "  sl  local_address                         remote_address                        st tx_queue rx_queue"
                    + " tr tm->when retrnsmt   uid  timeout inode";
    static final String UDP_HEADER =
            "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref"
                    + " pointer drops";
    static final String UDP6_HEADER =
            "  sl  local_address                         remote_address                        st tx_queue rx_queue"
                    + " tr tm->when retrnsmt   uid  timeout inode ref pointer drops";

    static final long HOST_NS = 4026531840L;
    static final long OTHER_NS = 4026532999L;
    static final long BOOT = 1795789235L;
    static final int WORKERS = 100;

    static final String ANY4 = "00000000";
    static final String LOOP4 = "0100007F";
    static final String ANY6 = "00000000000000000000000000000000";
    static final String MAPPED_LOOP4 = "0000000000000000FFFF00000100007F";

    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/bash
            www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
            alice:x:1000:1000:Alice:/home/alice:/bin/bash
            bob:x:1001:1001:Bob:/home/bob:/bin/bash
            """;

    /**
     * The host below, built once: creating files and symlinks is most of this class's time, and
     * the scans only read it. Tests that change the tree build their own copy.
     */
    @TempDir
    static Path sharedDir;

    static Fixture shared;

    @BeforeAll
    static void buildSharedTree() throws IOException {
        assumeTrue(
                ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the fixtures hold a little-endian kernel's hex addresses");
        shared = Fixture.build(sharedDir);
    }

    /** Fixtures built by single tests, removed after each. */
    private final List<Fixture> own = new ArrayList<>();

    private Fixture ownFixture(Path dir) throws IOException {
        Fixture f = Fixture.build(dir);
        own.add(f);
        return f;
    }

    /**
     * Removes the trees before JUnit does: its clean-up warns about every symlink that points out
     * of the temporary directory (/dev/null, /usr/bin/...), which a /proc tree is full of.
     */
    @AfterEach
    void removeOwnTrees() throws IOException {
        for (Fixture f : own) {
            f.delete();
        }
    }

    @AfterAll
    static void removeSharedTree() throws IOException {
        if (shared != null) {
            shared.delete();
        }
    }

    /** A fake /proc tree and passwd file, with the lines of its socket tables. */
    static final class Fixture {
        Path proc;
        Path passwd;

        private final List<String> tcp = new ArrayList<>();
        private final List<String> tcp6 = new ArrayList<>();
        private final List<String> udp = new ArrayList<>();
        private int sl;

        // ---- the kernel's line formats ----

        private String tcpLine(String local, int port, String remote, int remotePort, int state, int uid, long inode) {
            String s = String.format(
                    "%4d: %s:%04X %s:%04X %02X %08X:%08X %02X:%08X %08X %5d %8d %d 1 0000000000000000 100 0 0 10 0",
                    sl++, local, port, remote, remotePort, state, 0, 0, 0, 0, 0, uid, 0, inode);
            return local.length() == 8 ? String.format("%-149s", s) : s;
        }

        private String listen(String local, int port, int uid, long inode) {
            return tcpLine(local, port, local.length() == 8 ? ANY4 : ANY6, 0, SocketEntry.LISTEN, uid, inode);
        }

        private String udpLine(String local, int port, String remote, int remotePort, int state, int uid, long inode) {
            return String.format(
                    "%5d: %s:%04X %s:%04X %02X %08X:%08X %02X:%08X %08X %5d %8d %d 2 0000000000000000 0",
                    sl++, local, port, remote, remotePort, state, 0, 0, 0, 0, 0, uid, 0, inode);
        }

        // ---- a fixture process ----

        private static String stat(int pid, String comm, int ppid, int ttyNr, long startTicks) {
            return pid + " (" + comm + ") S " + ppid + " " + pid + " " + pid + " " + ttyNr
                    + " -1 4194560 13924 1214985 0 205 41 97 2747 2483 20 0 1 0 " + startTicks + " 35500032 2259"
                    + " 18446744073709551615 1 1 0 0 0 0 0 4096 1256 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        }

        private static String status(String name, int pid, int ppid, int uid) {
            return "Name:\t" + name + "\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t" + pid + "\nNgid:\t0\nPid:\t" + pid
                    + "\nPPid:\t" + ppid + "\nTracerPid:\t0\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid
                    + "\nGid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\nFDSize:\t64\n";
        }

        /** A process directory with stat, status, cmdline, cgroup, exe, cwd, ns/net and fd/ (0-2 on /dev/null). */
        private Path process(
                int pid,
                String comm,
                int ppid,
                int uid,
                int ttyNr,
                String exe,
                String cwd,
                String cgroup,
                long netNs,
                String... argv)
                throws IOException {
            Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
            Files.writeString(dir.resolve("stat"), stat(pid, comm, ppid, ttyNr, 8_497_900L));
            Files.writeString(dir.resolve("status"), status(comm, pid, ppid, uid));
            StringBuilder cmdline = new StringBuilder();
            for (String a : argv) {
                cmdline.append(a).append('\0');
            }
            Files.write(dir.resolve("cmdline"), cmdline.toString().getBytes(StandardCharsets.UTF_8));
            Files.writeString(dir.resolve("cgroup"), cgroup);
            Files.createSymbolicLink(dir.resolve("exe"), Path.of(exe));
            Files.createSymbolicLink(dir.resolve("cwd"), Path.of(cwd));
            Files.createDirectories(dir.resolve("ns"));
            Files.createSymbolicLink(dir.resolve("ns/net"), Path.of("net:[" + netNs + "]"));
            Path fd = Files.createDirectories(dir.resolve("fd"));
            Files.createSymbolicLink(fd.resolve("0"), Path.of("/dev/null"));
            Files.createSymbolicLink(fd.resolve("1"), Path.of("/dev/null"));
            Files.createSymbolicLink(fd.resolve("2"), Path.of("/dev/null"));
            return dir;
        }

        private void holds(int pid, int fd, long socketInode) throws IOException {
            Path fdDir = Files.createDirectories(proc.resolve(pid + "/fd"));
            Files.createSymbolicLink(fdDir.resolve(Integer.toString(fd)), Path.of("socket:[" + socketInode + "]"));
        }

        private void write(String relative, String text) throws IOException {
            Path p = proc.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        }

        private static String table(String header, List<String> lines) {
            StringBuilder sb = new StringBuilder(header).append('\n');
            for (String l : lines) {
                sb.append(l).append('\n');
            }
            return sb.toString();
        }

        private void writeTables() throws IOException {
            write("net/tcp", table(TCP_HEADER, tcp));
            write("net/tcp6", table(TCP6_HEADER, tcp6));
            write("net/udp", table(UDP_HEADER, udp));
            write("net/udp6", UDP6_HEADER + "\n");
        }

        /**
         * The host:
         * <pre>
         *   1    systemd                                  root
         *   812  nginx master   0.0.0.0:80, [::]:80 (fd 6, 7) root     system.slice/nginx.service
         *   813  nginx worker   the same two sockets (fd 6, 7) www-data  (pre-fork: two holders)
         *   850  bash on pts/0                            alice    session-3.scope
         *   900  python3 -m http.server 127.0.0.1:8000 (fd 3), child of 850, alice
         *   950  gone: fd/4 -> socket of 127.0.0.1:9000, but no stat
         *   960  fd is a regular file, not a directory
         *   1200 in another netns, 0.0.0.0:8080 in 1200/net/tcp
         *   4000 portlens itself (self)
         *   no holder: 0.0.0.0:5432 (uid 1001 bob), [::]:8443 (uid 0), ::ffff:127.0.0.1:9090 (uid 0)
         *   inode 0: udp 0.0.0.0:51820 (a kernel socket)
         * </pre>
         */
        static Fixture build(Path tmp) throws IOException {
            Fixture f = new Fixture();
            f.buildProcTree(tmp);
            return f;
        }

        private void buildProcTree(Path tmp) throws IOException {
            proc = Files.createDirectories(tmp.resolve("proc"));
            passwd = Files.writeString(tmp.resolve("passwd"), PASSWD);

            tcp.add(listen(ANY4, 80, 0, 1001));
            tcp.add(listen(LOOP4, 8000, 1000, 2001));
            tcp.add(tcpLine(LOOP4, 8000, LOOP4, 40000, SocketEntry.ESTABLISHED, 1000, 2002));
            tcp.add(tcpLine(LOOP4, 40000, LOOP4, 8000, SocketEntry.ESTABLISHED, 1000, 2003));
            tcp.add(listen(LOOP4, 9000, 0, 3001));
            tcp.add(listen(ANY4, 5432, 1001, 4001));
            tcp.add("   9: this line is not a socket");
            tcp.add("  10: 0100007F:ZZZZ 00000000:0000 0A");
            tcp6.add(listen(ANY6, 80, 0, 1002));
            tcp6.add(listen(ANY6, 8443, 0, 4002));
            tcp6.add(listen(MAPPED_LOOP4, 9090, 0, 4003));
            udp.add(udpLine(ANY4, 51820, ANY4, 0, SocketEntry.CLOSE, 0, 0));
            udp.add(udpLine(LOOP4, 5353, LOOP4, 53, SocketEntry.ESTABLISHED, 1000, 2004));
            writeTables();

            write("stat", "cpu  1 2 3 4 5 6 7 0 0 0\nintr 0\nctxt 0\nbtime " + BOOT + "\nprocesses 1\n");
            write("sys/net/ipv4/ip_local_port_range", "32768\t60999\n");
            write("sys/net/ipv6/bindv6only", "0\n");

            process(1, "systemd", 0, 0, 0, "/usr/lib/systemd/systemd", "/", "0::/init.scope\n", HOST_NS, "/sbin/init");
            process(
                    812,
                    "nginx",
                    1,
                    0,
                    0,
                    "/usr/sbin/nginx",
                    "/",
                    "0::/system.slice/nginx.service\n",
                    HOST_NS,
                    "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;");
            holds(812, 6, 1001);
            holds(812, 7, 1002);
            process(
                    813,
                    "nginx",
                    812,
                    33,
                    0,
                    "/usr/sbin/nginx",
                    "/",
                    "0::/system.slice/nginx.service\n",
                    HOST_NS,
                    "nginx: worker process");
            holds(813, 6, 1001);
            holds(813, 7, 1002);
            process(
                    850,
                    "bash",
                    1,
                    1000,
                    136 << 8,
                    "/usr/bin/bash",
                    "/home/alice",
                    "0::/user.slice/user-1000.slice/session-3.scope\n",
                    HOST_NS,
                    "-bash");
            process(
                    900,
                    "python3",
                    850,
                    1000,
                    136 << 8,
                    "/usr/bin/python3.11",
                    "/home/alice/site",
                    "0::/user.slice/user-1000.slice/session-3.scope\n",
                    HOST_NS,
                    "python3",
                    "-m",
                    "http.server",
                    "8000",
                    "--bind",
                    "127.0.0.1");
            holds(900, 3, 2001);
            holds(900, 4, 2002);
            Files.createSymbolicLink(proc.resolve("900/fd/5"), Path.of("pipe:[77001]"));
            Files.createSymbolicLink(proc.resolve("900/fd/6"), Path.of("anon_inode:[eventfd]"));

            // 950 exited between the fd scan and reading its details: the fd symlink exists, stat does not
            holds(950, 4, 3001);

            // Tests run as root, and chmod cannot hide a directory from root. An fd "directory" that is a
            // regular file makes newDirectoryStream fail with NotDirectoryException (an IOException), which
            // stands in for a descriptor table the scan cannot read.
            Files.createDirectories(proc.resolve("960"));
            Files.writeString(proc.resolve("960/fd"), "not a directory");

            process(
                    1200,
                    "node",
                    1190,
                    0,
                    0,
                    "/usr/bin/node",
                    "/app",
                    "0::/system.slice/docker-" + "3f2a9c1d5e6b" + "0123456789abcdef".repeat(3) + "0123" + ".scope\n",
                    OTHER_NS,
                    "node",
                    "server.js");
            holds(1200, 5, 5001);
            write("1200/net/tcp", table(TCP_HEADER, List.of(listen(ANY4, 8080, 0, 5001))));
            // Docker's state for it, on the file system this /proc belongs to (the tree's parent)
            String id = "3f2a9c1d5e6b" + "0123456789abcdef".repeat(3) + "0123";
            Path state = Files.createDirectories(tmp.resolve("var/lib/docker/containers/" + id));
            Files.writeString(
                    state.resolve("config.v2.json"),
                    "{\"ID\":\"" + id + "\",\"Name\":\"/shop-web-1\",\"Image\":\"sha256:"
                            + "ab".repeat(32) + "\",\"Config\":{\"Image\":\"node:20-slim\"},"
                            + "\"NetworkSettings\":{\"Ports\":{}}}");

            process(
                    4000,
                    "java",
                    850,
                    1000,
                    136 << 8,
                    "/usr/lib/jvm/bin/java",
                    "/home/alice",
                    "0::/user.slice/user-1000.slice/session-3.scope\n",
                    HOST_NS,
                    "java",
                    "-jar",
                    "portlens.jar");
            Files.createSymbolicLink(proc.resolve("self"), Path.of("4000"));
        }

        void delete() throws IOException {
            try (Stream<Path> walk = Files.walk(proc)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p); // a symlink itself, never its target
                }
            }
        }

        LinuxSocketTable table(int viewerUid) {
            return new LinuxSocketTable(new ProcRoot(proc), new UserDirectory(passwd), List.of(), viewerUid);
        }

        Discovery read(int viewerUid, Query query) {
            return table(viewerUid).read(query);
        }
    }

    private static Discovery read(int viewerUid, Query query) {
        return shared.read(viewerUid, query);
    }

    private static Listener listener(Discovery d, Transport t, String address, int port) {
        List<Listener> match = d.listeners().stream()
                .filter(l -> l.transport() == t
                        && l.local().port() == port
                        && l.local().address().equals(address))
                .toList();
        assertThat(match).as("%s %s:%d in %s", t, address, port, d.listeners()).hasSize(1);
        return match.get(0);
    }

    private static ProcessInfo known(Owner o) {
        assertThat(o).isInstanceOf(Owner.Known.class);
        return ((Owner.Known) o).process();
    }

    @Test
    void findsListenerWithItsProcess() {
        Discovery d = read(0, Query.all());
        Listener l = listener(d, Transport.TCP, "127.0.0.1", 8000);
        assertThat(l.local())
                .isEqualTo(
                        new Endpoint("127.0.0.1", 8000, false, BindScope.LOOPBACK, Endpoint.DualStack.NOT_APPLICABLE));
        assertThat(l.state()).isEqualTo(ListenerState.LISTEN);
        assertThat(l.uid()).isEqualTo(1000);
        assertThat(l.inode()).isEqualTo(2001L);
        assertThat(l.namespace().current()).isTrue();
        assertThat(l.namespace().inode()).isEqualTo(HOST_NS);
        assertThat(l.owners()).singleElement().isInstanceOf(Owner.Known.class);
        assertThat(((Owner.Known) l.owners().get(0)).fd()).isEqualTo(3);

        ProcessInfo p = known(l.owners().get(0));
        assertThat(p.pid()).isEqualTo(900);
        assertThat(p.ppid()).isEqualTo(850);
        assertThat(p.name()).isEqualTo("python3");
        assertThat(p.commandLine()).containsExactly("python3", "-m", "http.server", "8000", "--bind", "127.0.0.1");
        assertThat(p.command()).isEqualTo("python3 -m http.server 8000 --bind 127.0.0.1");
        assertThat(p.uid()).isEqualTo(1000);
        assertThat(p.user()).isEqualTo("alice");
        assertThat(p.workingDirectory()).isEqualTo("/home/alice/site");
        assertThat(p.executable()).isEqualTo("/usr/bin/python3.11");
        assertThat(p.tty()).isEqualTo("pts/0");
        assertThat(p.startTime()).isEqualTo(Instant.ofEpochSecond(BOOT + 84_979));
        assertThat(p.ancestry())
                .containsExactly(new ProcessRef(850, "bash", "-bash"), new ProcessRef(1, "systemd", "/sbin/init"));
        assertThat(p.source().kind()).isEqualTo(Source.Kind.SHELL);
        assertThat(p.source().detail()).startsWith("interactive bash on pts/0");
        assertThat(p.unreadable()).isEmpty();
    }

    @Test
    void listsEveryProcessHoldingAPreForkedSocket() {
        Discovery d = read(0, Query.all());
        Listener l = listener(d, Transport.TCP, "0.0.0.0", 80);
        assertThat(l.owners()).hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOf(Owner.Known.class));
        assertThat(l.processes()).extracting(ProcessInfo::pid).containsExactlyInAnyOrder(812, 813);
        assertThat(l.processes()).extracting(ProcessInfo::user).containsExactlyInAnyOrder("root", "www-data");
        assertThat(l.processes()).allSatisfy(p -> {
            assertThat(p.source().kind()).isEqualTo(Source.Kind.SYSTEMD_UNIT);
            assertThat(p.source().name()).isEqualTo("nginx.service");
        });
        assertThat(l.local().scope()).isEqualTo(BindScope.ALL);
    }

    @Test
    void reportsProcessThatExitedMidScanAsGone() {
        Discovery d = read(0, Query.all());
        Listener l = listener(d, Transport.TCP, "127.0.0.1", 9000);
        assertThat(l.owners()).containsExactly(new Owner.Gone(950));
        assertThat(listener(d, Transport.TCP, "127.0.0.1", 8000).processes()).hasSize(1);
    }

    @Test
    void completesScanWhenADescriptorTableCannotBeRead() {
        Discovery d = read(0, Query.all());
        // 960's fd is not a directory: counted, not fatal; every other process was read
        assertThat(d.coverage().processesVanished() + d.coverage().processesUnreadable())
                .isEqualTo(1);
        assertThat(d.coverage().processesRead()).isEqualTo(8);
        assertThat(d.listeners()).hasSize(9);
    }

    @Test
    void hidesOwnerOfOtherUsersSocketWhenNotRoot() {
        Discovery d = read(1000, Query.all());
        Listener l = listener(d, Transport.TCP, "0.0.0.0", 5432);
        assertThat(l.owners()).singleElement().isInstanceOf(Owner.Hidden.class);
        String reason = ((Owner.Hidden) l.owners().get(0)).reason();
        assertThat(reason).contains("bob").contains("uid 1001").contains("run as root");
        assertThat(d.coverage().privileged()).isFalse();
        assertThat(d.coverage().ownersHidden()).isGreaterThanOrEqualTo(1);
        assertThat(d.coverage().partial()).isTrue();
    }

    @Test
    void namesTheUserOfASocketWhoseOwnerIsHiddenFromThePasswdFile() {
        // 5432's owner cannot be seen (not root) or found (root); the kernel's uid is named all the same
        for (int viewer : new int[] {1000, 0}) {
            Listener l = listener(read(viewer, Query.all()), Transport.TCP, "0.0.0.0", 5432);
            assertThat(l.processes()).isEmpty();
            assertThat(l.uid()).isEqualTo(1001);
            assertThat(l.user()).as("viewer uid %d", viewer).isEqualTo("bob");
        }
        // the same resolution as a known owner's user
        Listener known = listener(read(0, Query.all()), Transport.TCP, "127.0.0.1", 8000);
        assertThat(known.user()).isEqualTo(known.processes().get(0).user()).isEqualTo("alice");
    }

    @Test
    void saysNoOneHoldsSocketWhenRootSeesNoHolder() {
        Discovery d = read(0, Query.all());
        assertThat(listener(d, Transport.TCP, "0.0.0.0", 5432).owners())
                .singleElement()
                .isInstanceOf(Owner.None.class);
        assertThat(d.coverage().privileged()).isTrue();
        assertThat(d.coverage().ownersHidden()).isZero();
    }

    @Test
    void saysKernelSocketForInodeZero() {
        Discovery d = read(1000, Query.all());
        Listener l = listener(d, Transport.UDP, "0.0.0.0", 51820);
        assertThat(l.state()).isEqualTo(ListenerState.UNCONN);
        assertThat(l.inode()).isZero();
        assertThat(l.owners()).singleElement().isInstanceOf(Owner.None.class);
        assertThat(((Owner.None) l.owners().get(0)).reason()).contains("inode 0");
    }

    @Test
    void marksIpv6WildcardWithoutIpv4TwinAsLikelyDualStack() {
        Listener l = listener(read(0, Query.all()), Transport.TCP, "::", 8443);
        assertThat(l.local().ipv6()).isTrue();
        assertThat(l.local().scope()).isEqualTo(BindScope.ALL);
        assertThat(l.local().dualStack()).isEqualTo(Endpoint.DualStack.LIKELY);
        assertThat(l.local().hostPort()).isEqualTo("[::]:8443");
    }

    @Test
    void marksIpv6WildcardWithIpv4TwinAsNotDualStack() {
        Discovery d = read(0, Query.all());
        Listener l = listener(d, Transport.TCP, "::", 80);
        assertThat(l.local().dualStack()).isEqualTo(Endpoint.DualStack.NO);
        assertThat(l.processes()).extracting(ProcessInfo::pid).containsExactlyInAnyOrder(812, 813);
        assertThat(listener(d, Transport.TCP, "0.0.0.0", 80).local().dualStack())
                .isEqualTo(Endpoint.DualStack.NOT_APPLICABLE);
    }

    @Test
    void marksIpv6WildcardNotDualStackWhenBindV6OnlyIsSet(@TempDir Path dir) throws IOException {
        Fixture f = ownFixture(dir);
        f.write("sys/net/ipv6/bindv6only", "1\n");
        assertThat(listener(f.read(0, Query.all()), Transport.TCP, "::", 8443)
                        .local()
                        .dualStack())
                .isEqualTo(Endpoint.DualStack.NO);
    }

    @Test
    void keepsAnOwnerWhoseStatusHasNoUidLineAndSaysWhatWasNotRead(@TempDir Path dir) throws IOException {
        Fixture f = ownFixture(dir);
        f.write("900/status", "Name:\tpython3\n");
        Listener l = listener(f.read(0, Query.all()), Transport.TCP, "127.0.0.1", 8000);
        ProcessInfo p = known(l.owners().get(0));
        assertThat(p.pid()).isEqualTo(900);
        assertThat(p.uid()).isEqualTo(-1);
        assertThat(p.unreadable()).anyMatch(u -> u.startsWith("user:"));
    }

    @Test
    void hidesWithAReasonAnOwnerWhoseStatCannotBeParsed(@TempDir Path dir) throws IOException {
        Fixture f = ownFixture(dir);
        f.write("900/stat", "garbage\n");
        Discovery d = f.read(0, Query.all());
        Listener l = listener(d, Transport.TCP, "127.0.0.1", 8000);
        assertThat(l.owners()).singleElement().isInstanceOf(Owner.Hidden.class);
        assertThat(((Owner.Hidden) l.owners().get(0)).reason())
                .contains("process 900")
                .contains("could not be parsed");
        assertThat(d.coverage().partial()).isTrue();
    }

    @Test
    void showsIpv4MappedAddressAsIpv4Loopback() {
        Listener l = listener(read(0, Query.all()), Transport.TCP, "127.0.0.1", 9090);
        assertThat(l.local().ipv6()).isTrue();
        assertThat(l.local().scope()).isEqualTo(BindScope.LOOPBACK);
        assertThat(l.local().dualStack()).isEqualTo(Endpoint.DualStack.NOT_APPLICABLE);
        assertThat(l.local().hostPort()).isEqualTo("127.0.0.1:9090");
    }

    @Test
    void readsEphemeralRange() {
        LinuxSocketTable table = shared.table(0);
        assertThat(table.ephemeralRange().orElseThrow().range()).isEqualTo(new PortRange(32768, 60999));
        assertThat(table.ephemeralRange().orElseThrow().source())
                .isEqualTo(
                        shared.proc.resolve("sys/net/ipv4/ip_local_port_range").toString());
    }

    @Test
    void hasNoEphemeralRangeWhenFileIsMissingOrBroken(@TempDir Path dir) throws IOException {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        LinuxSocketTable table =
                new LinuxSocketTable(new ProcRoot(proc), new UserDirectory(dir.resolve("passwd")), List.of(), 0);
        assertThat(table.ephemeralRange()).isEmpty();
        Path range = Files.createDirectories(proc.resolve("sys/net/ipv4")).resolve("ip_local_port_range");
        Files.writeString(range, "60999\n");
        assertThat(table.ephemeralRange()).isEmpty();
        Files.writeString(range, "60999\t32768\n");
        assertThat(table.ephemeralRange()).isEmpty();
    }

    @Test
    void countsMalformedLines() {
        Discovery d = read(0, Query.all());
        assertThat(d.coverage().malformedLines()).isEqualTo(2);
        assertThat(d.coverage().notes())
                .anySatisfy(n -> assertThat(n)
                        .startsWith("2 malformed lines skipped in")
                        .endsWith(shared.proc.resolve("net/tcp").toString()));
    }

    @Test
    void aRootlessContainerIsNamedFromTheStateInItsUsersHome(@TempDir Path dir) throws IOException {
        Fixture f = ownFixture(dir);
        String id = "a11cebadf00d" + "0123456789abcdef".repeat(3) + "4567";
        f.process(
                1400,
                "postgres",
                1390,
                1000,
                0,
                "/usr/lib/postgresql/16/bin/postgres",
                "/",
                "0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + id + ".scope/container\n",
                HOST_NS,
                "postgres");
        f.holds(1400, 7, 7001);
        List<String> lines = new ArrayList<>(f.tcp);
        lines.add(f.listen(LOOP4, 5433, 1000, 7001));
        f.write("net/tcp", Fixture.table(TCP_HEADER, lines));
        // rootless Podman's store, in alice's home (from the passwd file) on the tree's file system
        Path store = Files.createDirectories(
                dir.resolve("home/alice/.local/share/containers/storage/overlay-containers/" + id + "/userdata"));
        Files.writeString(
                store.resolveSibling("..").normalize().resolve("containers.json"),
                "[{\"id\":\"" + id + "\",\"names\":[\"db\"],\"image\":\"" + "4f".repeat(32)
                        + "\",\"metadata\":\"{\\\"image-name\\\":\\\"docker.io/library/postgres:16\\\"}\"}]");
        Files.writeString(store.resolve("config.json"), "{\"annotations\":{\"io.container.manager\":\"libpod\"}}");

        Listener l = listener(f.read(0, Query.all()), Transport.TCP, "127.0.0.1", 5433);
        assertThat(l.processes()).singleElement().satisfies(p -> {
            assertThat(p.containerName()).isEqualTo("db");
            assertThat(p.container().image()).isEqualTo("docker.io/library/postgres:16");
            assertThat(p.source().detail()).startsWith("podman container db (image docker.io/library/postgres:16");
        });
        assertThat(LinuxProcessReader.sliceUser("0::/user.slice/user-1000.slice/session-3.scope"))
                .isEqualTo(1000);
        assertThat(LinuxProcessReader.sliceUser("0::/user.slice/user@1001.service/app.slice"))
                .isEqualTo(1001);
        assertThat(LinuxProcessReader.sliceUser("0::/system.slice/docker-ab.scope"))
                .isEqualTo(-1);
        assertThat(LinuxProcessReader.sliceUser("0::/user.slice/user-99999999999.slice/x"))
                .isEqualTo(-1);
        assertThat(LinuxProcessReader.sliceUser(null)).isEqualTo(-1);
    }

    @Test
    void findsListenerInAnotherNetworkNamespace() {
        Discovery d = read(0, Query.all());
        Listener l = listener(d, Transport.TCP, "0.0.0.0", 8080);
        assertThat(l.namespace().current()).isFalse();
        assertThat(l.namespace().inode()).isEqualTo(OTHER_NS);
        assertThat(l.namespace().label()).isEqualTo("netns " + OTHER_NS);
        assertThat(l.processes()).singleElement().satisfies(p -> {
            assertThat(p.pid()).isEqualTo(1200);
            assertThat(p.source().kind()).isEqualTo(Source.Kind.CONTAINER);
            assertThat(p.source().detail()).isEqualTo("docker container shop-web-1 (image node:20-slim, 3f2a9c1d5e6b)");
            assertThat(p.source().name()).startsWith("docker:3f2a9c1d5e6b");
            assertThat(p.container()).isNotNull();
            assertThat(p.containerName()).isEqualTo("shop-web-1");
            assertThat(p.container().image()).isEqualTo("node:20-slim");
        });
    }

    @Test
    void filtersByPortAndCountsEstablishedConnections() {
        Discovery d = read(0, Query.ports(PortRange.of(8000)));
        assertThat(d.listeners()).extracting(l -> l.local().hostPort()).containsExactly("127.0.0.1:8000");
        assertThat(d.established()).isEqualTo(1);
        assertThat(d.connectedUdp()).isZero();
        Discovery udp = read(0, Query.ports(PortRange.of(5353), Transport.UDP));
        assertThat(udp.listeners()).isEmpty();
        assertThat(udp.connectedUdp()).isEqualTo(1);
    }

    @Test
    void aPortsReadStopsOnceItsSocketsAreFoundButKeepsTheForkedWorker() {
        Discovery d = read(0, Query.ports(PortRange.of(80), Transport.TCP));
        assertThat(d.listeners()).hasSize(2); // 0.0.0.0:80 and [::]:80
        for (Listener l : d.listeners()) {
            assertThat(l.processes()).extracting(ProcessInfo::pid).containsExactly(812, 813);
        }
        assertThat(d.coverage().processesSkipped())
                .as("the processes after nginx's worker, none its descendant or in nginx.service")
                .isPositive();
        assertThat(d.coverage().processesRead()
                        + d.coverage().processesSkipped()
                        + d.coverage().processesVanished()
                        + d.coverage().processesUnreadable())
                .isEqualTo(read(0, Query.all()).coverage().processesRead()
                        + read(0, Query.all()).coverage().processesVanished()
                        + read(0, Query.all()).coverage().processesUnreadable());
        assertThat(read(0, Query.all()).coverage().processesSkipped())
                .as("ls reads every process")
                .isZero();
    }

    @Test
    void filtersByTransport() {
        Discovery d = read(0, Query.ports(new PortRange(1, 65535), Transport.UDP));
        assertThat(d.listeners()).extracting(Listener::transport).containsOnly(Transport.UDP);
        assertThat(d.listeners()).extracting(l -> l.local().port()).containsExactly(51820);
    }

    @Test
    void findsEveryOwnerWhenTheFdScanRunsOnSeveralThreads(@TempDir Path dir) throws IOException {
        // enough processes (100 + the host's 10) for the scan to read descriptors on helper threads
        // when the machine has more than one core; each with only what the reader needs
        Fixture f = ownFixture(dir);
        List<String> lines = new ArrayList<>(f.tcp);
        for (int i = 0; i < WORKERS; i++) {
            int pid = 2000 + i;
            f.write(pid + "/stat", Fixture.stat(pid, "worker", 1, 0, 8_497_900L));
            f.write(pid + "/status", Fixture.status("worker", pid, 1, 0));
            f.holds(pid, 3, 60_000L + i);
            lines.add(f.listen(LOOP4, 20_000 + i, 0, 60_000L + i));
            if (i % 20 == 0) {
                f.holds(pid, 9, 1001); // also holds nginx's 0.0.0.0:80, far apart in the pid list
            }
        }
        f.write("net/tcp", Fixture.table(TCP_HEADER, lines));

        Discovery d = f.read(0, Query.ports(new PortRange(1, 65535), Transport.TCP));

        for (int i = 0; i < WORKERS; i++) {
            Listener l = listener(d, Transport.TCP, "127.0.0.1", 20_000 + i);
            assertThat(l.processes())
                    .as("port %d", 20_000 + i)
                    .singleElement()
                    .extracting(ProcessInfo::pid)
                    .isEqualTo(2000 + i);
        }
        assertThat(listener(d, Transport.TCP, "0.0.0.0", 80).processes())
                .extracting(ProcessInfo::pid)
                .containsExactly(812, 813, 2000, 2020, 2040, 2060, 2080);
        assertThat(d.coverage().processesRead()).isEqualTo(8 + WORKERS);
        assertThat(d.coverage().processesVanished()).isEqualTo(1);
    }

    @Test
    void sortsByTransportThenPort() {
        Discovery d = read(0, Query.all());
        assertThat(d.listeners())
                .extracting(l -> l.transport() + " " + l.local().hostPort())
                .containsExactly(
                        "TCP 0.0.0.0:80",
                        "TCP [::]:80",
                        "TCP 0.0.0.0:5432",
                        "TCP 127.0.0.1:8000",
                        "TCP 0.0.0.0:8080",
                        "TCP [::]:8443",
                        "TCP 127.0.0.1:9000",
                        "TCP 127.0.0.1:9090",
                        "UDP 0.0.0.0:51820");
    }
}
