package org.portlens.scan;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;
import org.portlens.internal.OperatingSystem;
import org.portlens.model.Transport;
import org.portlens.scan.ScanOptions.EnginePreference;
import org.portlens.scan.spi.ScanEngine;

/**
 * A TCP connect scan: for each port, a non-blocking {@code connect} from an ordinary socket, as
 * {@code nmap -sT} does (no raw sockets, no privileges). A completed connection is {@link PortState#OPEN},
 * a refusal {@link PortState#CLOSED}, silence until the timeout {@link PortState#FILTERED}.
 *
 * <p><b>Speed.</b> The NIO engine runs one selector thread per core (up to {@link ScanOptions#threads()}), each starting
 * connects in small batches and polling its selector between them. On loopback the kernel settles a
 * connect before the syscall returns, so the cost is the syscalls of one socket per port; a refused
 * connect is read from the selector's readiness (error or hang-up) without calling
 * {@code finishConnect}, which would throw an exception per closed port, the single largest cost in
 * the JVM. For targets other than loopback, errors are still asked for their cause, so an ICMP
 * "host unreachable" is reported filtered as nmap does. A program that sweeps many ports may choose
 * {@code poll(2)} selectors first thing in {@code main}, before any network I/O, with
 * {@code -Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider} or the same system
 * property set in code: it saves another 10-15% on loopback. That choice is JVM-wide, so this library
 * never makes it.
 *
 * <p><b>Native engine.</b> Options may also ask for native sockets ({@link ScanOptions#withEngine}): the
 * sweep then runs on raw Linux socket calls and reuses each socket across refused ports, which NIO cannot
 * do (it closes a channel whose connect failed). That cuts the kernel's work per port by about 40%. On
 * JDK 22+ the calls go through the foreign function API (native access must be enabled); on JDK 17-21
 * through the JDK's own socket natives in {@code sun.nio.ch} (the package must be opened to portlens).
 * The engine sits behind the {@link ScanEngine} seam and is found with {@link ServiceLoader} when a scan
 * first asks for it; {@link #warmUp} starts its binding early. Where it cannot run, or the system is not
 * Linux on amd64/aarch64, scans use NIO as before ({@link #nativeSocketsUnavailable(int)} says why);
 * {@link ScanReport#engine()} says which engine ran. {@code bench/scan.sh} has the numbers.
 *
 * <p><b>Self-connects.</b> Scanning the local host, a connect to a free port in the ephemeral range can
 * be given that very port as its source port; TCP's simultaneous open then connects the socket to
 * itself and the port looks open. Such a connection is recognised (local address and port equal the
 * remote ones), reported {@link PortState#CLOSED}, and counted in {@link ScanReport#selfConnects()}.
 *
 * <p>Every socket is closed before {@link #scan} returns, also when it fails or is interrupted.
 *
 * <p>Thread-safe: a scanner holds only its immutable options, and several threads may scan with one
 * scanner at once (each scan has its own sockets and threads).
 */
public final class TcpConnectScanner extends PortScanner {

    /** A scanner with {@link ScanOptions#defaults()}. */
    public TcpConnectScanner() {
        this(ScanOptions.defaults());
    }

    /**
     * A scanner with the given options.
     *
     * @param options the limits and engine preference of every scan
     * @throws IllegalArgumentException when {@code options} is null
     */
    public TcpConnectScanner(ScanOptions options) {
        this(options, null);
    }

    TcpConnectScanner(ScanOptions options, @Nullable OpenFileLimit limit) {
        super(options, limit);
    }

    @Override
    ScanReport run(Sweep sweep, InetAddress host, ProgressListener progress) throws IOException {
        ScanEngine engine = engineFor(sweep.ports.length, new String[1]);
        ScanReport report = sweep.run(
                Transport.TCP,
                engine != null ? ScanReport.Engine.NATIVE : ScanReport.Engine.NIO,
                "portlens-scan-tcp",
                new Factory(host.isLoopbackAddress(), engine),
                progress);
        return engine == null ? report.withEngineNote(nioElsewhere(OperatingSystem.current())) : report;
    }

    /**
     * What a TCP scan's report says of its engine on a system where the native engine cannot run: empty
     * on Linux (where NIO is a choice or a size, not the system), else that native sockets are Linux only.
     */
    static String nioElsewhere(OperatingSystem os) {
        return os == OperatingSystem.LINUX
                ? ""
                : "native sockets are Linux only: this " + os.label() + " scan used Java NIO";
    }

    private static final class Factory implements Sweep.WorkerFactory {
        private final boolean loopback;
        /** Null for the NIO engine. */
        private final @Nullable ScanEngine engine;

        Factory(boolean loopback, @Nullable ScanEngine engine) {
            this.loopback = loopback;
            this.engine = engine;
        }

        @Override
        public SweepThread newWorker(Sweep sweep) {
            ScanEngine e = engine;
            return e != null ? new EngineThread(sweep, e) : new Worker(sweep, loopback);
        }
    }

    /**
     * Starts binding the native engine in the background for a coming scan of {@code ports} ports with
     * {@code preference}, and returns at once: call it early in a program, and the binding overlaps the
     * program's other start-up work instead of delaying the scan (which waits for it). Changes no choice: a
     * scan runs native only if its own {@link ScanOptions#engine()} asks. The binding, once done, serves
     * every scan in this JVM that asks.
     *
     * @param preference the engine the coming scan's options will ask for
     * @param ports      how many ports the coming scan has
     * @return false if such a scan will run on NIO ({@link EnginePreference#NIO}, or the native engine is
     *         ruled out here or does not pay off at that size); true once binding has started or is done,
     *         which can still fail ({@link #nativeSocketsUnavailable(int)} says why in both cases)
     * @throws IllegalArgumentException when {@code preference} is null
     */
    public static boolean warmUp(EnginePreference preference, int ports) {
        if (preference == null) {
            throw new IllegalArgumentException("engine preference is required");
        }
        if (preference == EnginePreference.NIO) {
            return false;
        }
        int size = sizeFor(preference, ports);
        for (ScanEngine e : Engines.FOUND) {
            if (e.prepare(size)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why a scan of {@code ports} ports by this scanner runs on NIO (not asked for in its options, no native
     * engine found, no access to the calls, turned off with {@code -Dportlens.nativeSockets=false}, a scan too
     * small for the foreign binding, binding failed), or empty when it runs on the native engine. Starts the
     * binding if the options ask for it and it has not started, and waits for a binding in progress.
     *
     * @param ports how many ports the scan has
     * @return the reason, in a few words, or empty when the scan runs on the native engine
     */
    public Optional<String> nativeSocketsUnavailable(int ports) {
        String[] why = new String[1];
        return engineFor(ports, why) == null ? Optional.of(why[0]) : Optional.empty();
    }

    /**
     * How the native engine calls the kernel in this JVM, e.g. {@code "java.lang.foreign"} (JDK 22+) or
     * {@code "JDK internals (sun.nio.ch)"} (JDK 17-21); empty when this scanner's options ask for NIO or no
     * engine is bound. Waits for a binding in progress; starts none.
     *
     * @return the binding's name, or empty
     */
    public Optional<String> nativeSocketsBinding() {
        if (options.engine() == EnginePreference.NIO) {
            return Optional.empty();
        }
        for (ScanEngine e : Engines.FOUND) {
            Optional<String> b = e.binding();
            if (b.isPresent()) {
                return b;
            }
        }
        return Optional.empty();
    }

    /** The port count an engine is asked to prepare for: any size when the preference is plain native. */
    private static int sizeFor(EnginePreference preference, int ports) {
        return preference == EnginePreference.NATIVE ? Integer.MAX_VALUE : ports;
    }

    /**
     * The engine a scan of {@code ports} ports runs on, or null for NIO with the reason in {@code why[0]}:
     * the first engine found that can run it.
     */
    private @Nullable ScanEngine engineFor(int ports, @Nullable String[] why) {
        if (options.engine() == EnginePreference.NIO) {
            why[0] = "not asked for (the scan options' engine preference is NIO)";
            return null;
        }
        if (Engines.FOUND.isEmpty()) {
            why[0] = "no native scan engine found (" + Engines.problem + ")";
            return null;
        }
        int size = sizeFor(options.engine(), ports);
        for (ScanEngine e : Engines.FOUND) {
            Optional<String> no = e.unavailable(size);
            if (no.isEmpty()) {
                return e;
            }
            if (why[0] == null) {
                why[0] = no.get();
            }
        }
        return null;
    }

    /**
     * The engines {@link ServiceLoader} finds, looked up once and only when a scan or a warm-up asks for
     * native sockets: a program that never does loads none of this.
     */
    private static final class Engines {
        /** Why none was found, when none was. */
        static String problem = "none registered for " + ScanEngine.class.getName();

        static final List<ScanEngine> FOUND = load();

        private static List<ScanEngine> load() {
            List<ScanEngine> found = new ArrayList<>();
            Iterator<ScanEngine> it = ServiceLoader.load(ScanEngine.class, TcpConnectScanner.class.getClassLoader())
                    .iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    found.add(it.next());
                } catch (ServiceConfigurationError e) {
                    problem = "a provider of " + ScanEngine.class.getName() + " failed to load: " + e.getMessage();
                }
            }
            return List.copyOf(found);
        }
    }

    /**
     * True when a connection's two ends are the same address and port: the socket connected to itself
     * (TCP simultaneous open). Such a port is not open; nothing is listening on it.
     */
    static boolean isSelfConnect(SocketAddress local, InetAddress remoteAddress, int remotePort) {
        if (!(local instanceof InetSocketAddress)) {
            return false;
        }
        InetSocketAddress l = (InetSocketAddress) local;
        return l.getPort() == remotePort
                && l.getAddress() != null
                && l.getAddress().equals(remoteAddress);
    }

    /** One selector thread of a TCP scan. */
    private static final class Worker extends SweepWorker {
        private static final int OPS = SelectionKey.OP_CONNECT | SelectionKey.OP_READ;

        private final boolean loopback;
        private int selfConnects;

        Worker(Sweep sweep, boolean loopback) {
            super(sweep);
            this.loopback = loopback;
        }

        @Override
        boolean begin(int port, long deadline) throws IOException {
            SocketChannel ch = open(SocketChannel::open);
            if (ch == null) {
                return false;
            }
            try {
                ch.configureBlocking(false);
                if (ch.connect(new InetSocketAddress(address, port))) {
                    decide(port, connected(ch, port));
                    closeQuietly(ch);
                    return true;
                }
            } catch (ConnectException e) {
                decide(port, PortState.CLOSED);
                closeQuietly(ch);
                return true;
            } catch (IOException e) {
                // no route, network unreachable: nothing answered for this port
                decide(port, PortState.FILTERED);
                closeQuietly(ch);
                return true;
            }
            track(port, ch, deadline, OPS);
            return true;
        }

        @Override
        void ready(SelectionKey key, Slot slot) {
            // OP_READ is only reported for a channel that is not yet connected when the socket has an
            // error or hung up (POLLERR/POLLHUP); a completed connect reports OP_CONNECT alone.
            if (loopback && (key.readyOps() & SelectionKey.OP_READ) != 0) {
                decide(slot, PortState.CLOSED);
                return;
            }
            SocketChannel ch = (SocketChannel) slot.channel;
            if (ch == null) {
                return; // decided already
            }
            PortState state;
            try {
                if (!ch.finishConnect()) {
                    return; // not settled after all: keep waiting
                }
                state = connected(ch, slot.port);
            } catch (ConnectException e) {
                state = PortState.CLOSED;
            } catch (IOException e) {
                state = PortState.FILTERED;
            }
            decide(slot, state);
        }

        @Override
        void timedOut(SelectableChannel channel, int port, int tries, long now) {
            decide(port, PortState.FILTERED);
            closeQuietly(channel);
        }

        /** A connect completed: open, unless it is a socket connected to itself. */
        private PortState connected(SocketChannel ch, int port) {
            SocketAddress local;
            try {
                local = ch.getLocalAddress();
            } catch (IOException e) {
                return PortState.OPEN;
            }
            if (isSelfConnect(local, address, port)) {
                selfConnects++;
                return PortState.CLOSED;
            }
            return PortState.OPEN;
        }

        @Override
        void handOver() {
            sweep.addSelfConnects(selfConnects);
        }
    }
}
