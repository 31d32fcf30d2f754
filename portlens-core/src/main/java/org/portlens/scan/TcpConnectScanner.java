package org.portlens.scan;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.portlens.model.Transport;

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
 * <p><b>Native engine.</b> A program may also call {@link #preferNativeSockets()}: the sweep then runs on
 * raw Linux socket calls and reuses each socket across refused ports, which NIO cannot do (it closes a
 * channel whose connect failed). That cuts the kernel's work per port by about 40%. On JDK 22+ the
 * calls go through the foreign function API (native access must be enabled); on JDK 17-21 through
 * the JDK's own socket natives in {@code sun.nio.ch} (the package must be opened to portlens). Where
 * neither is possible, or the system is not Linux on amd64/aarch64, scans use NIO as before;
 * {@link ScanReport#engine()} says which engine ran. {@code bench/scan.sh} has the numbers.
 *
 * <p><b>Self-connects.</b> Scanning the local host, a connect to a free port in the ephemeral range can
 * be given that very port as its source port; TCP's simultaneous open then connects the socket to
 * itself and the port looks open. Such a connection is recognised (local address and port equal the
 * remote ones), reported {@link PortState#CLOSED}, and counted in {@link ScanReport#selfConnects()}.
 *
 * <p>Every socket is closed before {@link #scan} returns, also when it fails or is interrupted.
 */
public final class TcpConnectScanner {

    private final ScanOptions options;
    /** A fixed limit for tests; null reads the process's own at each scan. */
    private final OpenFileLimit limit;

    /** A scanner with {@link ScanOptions#defaults()}. */
    public TcpConnectScanner() {
        this(ScanOptions.defaults());
    }

    public TcpConnectScanner(ScanOptions options) {
        this(options, null);
    }

    TcpConnectScanner(ScanOptions options, OpenFileLimit limit) {
        if (options == null) {
            throw new IllegalArgumentException("scan options are required");
        }
        this.options = options;
        this.limit = limit;
    }

    public ScanOptions options() {
        return options;
    }

    /** Scans without progress reports. */
    public ScanReport scan(InetAddress host, PortSet ports) throws IOException {
        return scan(host, ports, ProgressListener.NONE);
    }

    /**
     * Scans {@code ports} of {@code host}.
     *
     * @throws IOException                    if no socket or selector can be opened at all
     * @throws java.io.InterruptedIOException if the calling thread is interrupted (sockets are closed first)
     */
    public ScanReport scan(InetAddress host, PortSet ports, ProgressListener progress) throws IOException {
        if (host == null || ports == null || progress == null) {
            throw new IllegalArgumentException("host, ports and progress listener are required");
        }
        Sweep sweep = new Sweep(host, ports, options, limit != null ? limit : OpenFileLimit.current());
        boolean nativeEngine = NativeSockets.bound();
        return sweep.run(Transport.TCP, nativeEngine ? ScanReport.Engine.NATIVE : ScanReport.Engine.NIO,
                "portlens-scan-tcp", new Factory(host.isLoopbackAddress(), nativeEngine), progress);
    }

    private static final class Factory implements Sweep.WorkerFactory {
        private final boolean loopback;
        private final boolean nativeEngine;

        Factory(boolean loopback, boolean nativeEngine) {
            this.loopback = loopback;
            this.nativeEngine = nativeEngine;
        }

        @Override
        public SweepThread newWorker(Sweep sweep) {
            return nativeEngine ? new NativeTcpWorker(sweep) : new Worker(sweep, loopback);
        }
    }

    /**
     * Asks for the native engine (see the class comment) for scans of any size, and starts binding it in
     * the background: call it early, and the binding is done by the time the first scan starts (which
     * waits for it). Only a program's entry point should opt in; a library that scans gets NIO unless
     * its program asked.
     *
     * @return false if the native engine is ruled out in this JVM; true once binding has started, which
     *         can still fail ({@link #nativeSocketsUnavailable()} says why in both cases)
     */
    public static boolean preferNativeSockets() {
        return NativeSockets.prefer(Integer.MAX_VALUE);
    }

    /**
     * Asks for the native engine for a scan of {@code ports} ports: as {@link #preferNativeSockets()}, but
     * only if the engine's binding pays off at that size. Through the JDK's internals (17-21) it binds in
     * a few ms and is faster from the first port; through {@code java.lang.foreign} (22+) binding takes
     * 70-120 ms, won back from about 16,384 ports on.
     *
     * @return false if the native engine is not used for such a scan; true once binding has started, which
     *         can still fail ({@link #nativeSocketsUnavailable()} says why in both cases)
     */
    public static boolean preferNativeSockets(int ports) {
        return NativeSockets.prefer(ports);
    }

    /**
     * Why scans in this JVM do not use the native engine (not asked for, no access to the calls, turned
     * off with {@code -Dportlens.nativeSockets=false}, a scan too small for the foreign binding, binding
     * failed), or null when they do. Waits for a binding in progress.
     */
    public static String nativeSocketsUnavailable() {
        NativeSockets.bound();
        return NativeSockets.reason();
    }

    /**
     * How the native engine calls the kernel in this JVM: {@code "java.lang.foreign"} (JDK 22+) or
     * {@code "JDK internals (sun.nio.ch)"} (JDK 17-21); null when scans use NIO. Waits for a binding in
     * progress.
     */
    public static String nativeSocketsBinding() {
        NativeSockets.bound();
        return NativeSockets.binding();
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
        return l.getPort() == remotePort && l.getAddress() != null && l.getAddress().equals(remoteAddress);
    }

    /** One selector thread of a TCP scan. */
    private static final class Worker extends SweepWorker {
        private static final int OPS = SelectionKey.OP_CONNECT | SelectionKey.OP_READ;

        private final InetAddress address;
        private final ProtocolFamily family;
        private final boolean loopback;
        private int selfConnects;

        Worker(Sweep sweep, boolean loopback) {
            super(sweep);
            this.address = sweep.address;
            this.family = address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
            this.loopback = loopback;
        }

        @Override
        boolean begin(int port, long deadline) throws IOException {
            SocketChannel ch;
            try {
                ch = SocketChannel.open(family);
            } catch (IOException e) {
                return outOfSockets(e);
            } catch (UnsupportedOperationException e) {
                throw SweepWorker.noIpv6(address, e);
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
