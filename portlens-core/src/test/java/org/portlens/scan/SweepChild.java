package org.portlens.scan;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.portlens.scan.ScanOptions.EnginePreference;

/**
 * Runs a scan in its own JVM, so that a test can run it inside a network namespace
 * ({@code ip netns exec NS java -cp ... SweepChild ...}): Java cannot enter a namespace itself.
 * Like `portlens scan` it opts in to poll selectors first (setting the provider property itself, as a
 * program does), so the sweeps run the way the command
 * line runs them (the in-JVM tests cover the JDK's default, epoll). Prints machine-readable lines:
 * {@code open P} per open port (over all rounds), {@code count STATE N} (last round), {@code self N}
 * (all rounds), {@code fds BEFORE AFTER}, {@code elapsed MS}, {@code selector poll|other},
 * {@code engine nio|native} (last round) and {@code native REASON} (why not native, or "in use"); when the
 * scan fails with an IOException, only {@code error CLASS: MESSAGE}, and exit status 3.
 * With {@code -Dportlens.test.engine=native} or {@code prefer} its scans ask for the native engine at any
 * size, warmed up first ({@code native} also fails unless it got it); with {@code sized}, where it pays off
 * for a scan of as many ports as SPEC (what {@code portlens scan} asks for).
 *
 * <pre>SweepChild tcp|udp HOST SPEC [TIMEOUT_MS [ROUNDS]]</pre>
 */
public final class SweepChild {

    private SweepChild() {}

    public static void main(String[] args) {
        try {
            sweep(args);
        } catch (IOException e) {
            // a scan that cannot run at all: one line for the test, exit 3
            System.out.println("error " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.out.flush();
            System.exit(3);
        }
    }

    private static void sweep(String[] args) throws IOException {
        boolean poll = preferPollSelector();
        String engine = System.getProperty("portlens.test.engine", "nio");
        boolean udp = args[0].equals("udp");
        InetAddress host = InetAddress.getByName(args[1]);
        PortSet ports = PortSet.parse(args[2]);
        EnginePreference preference = engine.equals("nio") || udp
                ? EnginePreference.NIO
                : engine.equals("sized") ? EnginePreference.NATIVE_IF_FASTER : EnginePreference.NATIVE;
        ScanOptions options = ScanOptions.defaults().withEngine(preference);
        if (preference != EnginePreference.NIO) {
            boolean ok = TcpConnectScanner.warmUp(preference, ports.size());
            if (engine.equals("native") && !ok) {
                throw new IllegalStateException("native engine unavailable: "
                        + new TcpConnectScanner(options)
                                .nativeSocketsUnavailable(ports.size())
                                .orElse(""));
            }
        }
        if (args.length > 3) {
            options = options.withTimeout(Duration.ofMillis(Long.parseLong(args[3])));
        }
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        // one warm-up scan first, so that descriptors the JDK opens once (selector plumbing, jars) are counted
        // before, not as a leak
        scan(udp, host, PortSet.of(ports.first()), options);
        long fdsBefore = openFds();
        TreeSet<Integer> open = new TreeSet<>();
        int self = 0;
        ScanReport last = null;
        long elapsed = 0;
        for (int i = 0; i < rounds; i++) {
            last = scan(udp, host, ports, options);
            for (PortResult r : last.open()) {
                open.add(r.port());
            }
            self += last.selfConnects();
            elapsed += last.elapsedMillis();
        }
        long fdsAfter = openFds();
        StringBuilder sb = new StringBuilder();
        for (int p : open) {
            sb.append("open ").append(p).append('\n');
        }
        for (PortState s : PortState.values()) {
            sb.append("count ")
                    .append(s.name())
                    .append(' ')
                    .append(last.count(s))
                    .append('\n');
        }
        sb.append("self ").append(self).append('\n');
        sb.append("fds ").append(fdsBefore).append(' ').append(fdsAfter).append('\n');
        sb.append("elapsed ").append(elapsed).append('\n');
        sb.append("selector ").append(poll ? "poll" : "other").append('\n');
        sb.append("engine ").append(last.engine().label()).append('\n');
        String why = new TcpConnectScanner(options)
                .nativeSocketsUnavailable(ports.size())
                .orElse("in use");
        sb.append("native ").append(why).append('\n');
        System.out.print(sb);
        System.out.flush();
    }

    /**
     * What a program's {@code main} does to choose {@code poll(2)} selectors (the library leaves that
     * JVM-wide choice to programs): sets the provider property before any channel is opened. True if it
     * took effect.
     */
    static boolean preferPollSelector() {
        String property = "java.nio.channels.spi.SelectorProvider";
        String poll = "sun.nio.ch.PollSelectorProvider";
        if (System.getProperty(property) == null) {
            System.setProperty(property, poll);
        }
        return SelectorProvider.provider().getClass().getName().equals(poll);
    }

    private static ScanReport scan(boolean udp, InetAddress host, PortSet ports, ScanOptions options)
            throws IOException {
        return udp ? new UdpScanner(options).scan(host, ports) : new TcpConnectScanner(options).scan(host, ports);
    }

    static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /**
     * The sockets this process holds, by their link targets ({@code socket:[INODE]}). A scan that leaks
     * leaves a socket that was not there before; comparing sets, not counts, is not fooled by sockets
     * that other code in the JVM closes meanwhile (an HTTP client's selector, a test server's).
     */
    static Set<String> openSockets() throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : s.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:")) {
                        out.add(target);
                    }
                } catch (IOException e) {
                    // closed between the listing and the read: not held any more
                }
            }
        }
        return out;
    }
}
