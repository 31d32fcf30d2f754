package org.portlens.probe.scan;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.LockSupport;
import org.portlens.probe.scan.NativeSockets.Calls;

/**
 * One thread of a TCP sweep on raw socket calls ({@link NativeSockets}, JDK 22+). Same contract as the
 * NIO engine ({@link SweepWorker}): small batches, a bounded window, timeouts, pacing, self-connects.
 * What differs is that a socket is kept across ports:
 *
 * <ol>
 *   <li>{@code connect} on a non-blocking socket returns {@code EINPROGRESS};</li>
 *   <li>{@code poll} reports it: {@code POLLOUT} alone means connected (open, unless it connected to
 *       itself), an error or hang-up means the attempt ended;</li>
 *   <li>for an ended attempt a second {@code connect} returns its error ({@code ECONNREFUSED}: closed;
 *       unreachable or timed out: filtered) and leaves the socket unconnected, ready for the next port.</li>
 * </ol>
 *
 * A connected socket, one that timed out, or one that saw an error this class does not expect is
 * closed and replaced, so a socket is only reused from the one state Linux documents for it.
 */
final class NativeTcpWorker extends SweepThread {

    /** Longest single wait in {@code poll}, so that a stopped sweep is noticed soon. */
    private static final int MAX_WAIT_MILLIS = 50;
    private static final int SOCKADDR_MAX = 28;

    private final int family;
    private final int addrLen;
    private final byte[] target;
    private final boolean v6;

    private final ByteBuffer capture;
    private final Object captureSeg;
    private final ByteBuffer addr;
    private final Object addrSeg;
    private final ByteBuffer pollfds;
    private final Object pollSeg;
    private final ByteBuffer name;
    private final Object nameSeg;
    private final ByteBuffer nameLen;
    private final Object nameLenSeg;

    /** Per slot: its socket (-1: none yet), and while pending the port and deadline. */
    private final int[] fds;
    private final int[] slotPort;
    private final long[] slotDeadline;
    /** Slots not pending, as a stack. */
    private final int[] free;
    private int freeCount;
    /** Pending slots in the order they were started, so deadlines never decrease along it. */
    private final int[] pending;
    private int pendingCount;
    /** How many may be pending; lowered when the process runs out of descriptors or local ports. */
    private int capacity;
    private int selfConnects;

    NativeTcpWorker(Sweep sweep) {
        super(sweep);
        InetAddress a = sweep.address;
        this.v6 = a instanceof Inet6Address;
        this.family = v6 ? NativeSockets.AF_INET6 : NativeSockets.AF_INET;
        this.addrLen = v6 ? 28 : 16;
        this.target = a.getAddress();
        this.capacity = sweep.capacityPerWorker;
        this.fds = new int[capacity];
        this.slotPort = new int[capacity];
        this.slotDeadline = new long[capacity];
        this.free = new int[capacity];
        this.pending = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            fds[i] = -1;
            free[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;

        this.capture = direct(Math.max(Calls.CAPTURE_SIZE, 4));
        this.captureSeg = segment(capture);
        this.addr = direct(SOCKADDR_MAX);
        this.addrSeg = segment(addr);
        this.pollfds = direct(8 * capacity);
        this.pollSeg = segment(pollfds);
        this.name = direct(SOCKADDR_MAX);
        this.nameSeg = segment(name);
        this.nameLen = direct(4);
        this.nameLenSeg = segment(nameLen);
        encodeTarget(addr, v6, target, v6 ? ((Inet6Address) a).getScopeId() : 0);
    }

    /**
     * Writes {@code struct sockaddr_in} (16 bytes) or {@code sockaddr_in6} (28 bytes, with the scope of a
     * link-local address) for the target with port 0; {@link #setPort} fills the port in before each connect.
     */
    static void encodeTarget(ByteBuffer b, boolean v6, byte[] address, int scopeId) {
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) 0);
        }
        b.putShort(0, (short) (v6 ? NativeSockets.AF_INET6 : NativeSockets.AF_INET)); // host byte order
        int at = v6 ? 8 : 4; // sin_addr, or sin6_addr after sin6_flowinfo
        for (int i = 0; i < address.length; i++) {
            b.put(at + i, address[i]);
        }
        if (v6) {
            b.putInt(24, scopeId); // sin6_scope_id, host byte order
        }
    }

    /** Port in network byte order at offset 2, the same place in both structures. */
    static void setPort(ByteBuffer b, int port) {
        b.put(2, (byte) (port >>> 8));
        b.put(3, (byte) port);
    }

    /** The port of a {@code sockaddr_in}/{@code sockaddr_in6}. */
    static int port(ByteBuffer b) {
        return (b.get(2) & 0xff) << 8 | b.get(3) & 0xff;
    }

    /** True if {@code b} holds exactly the target's family, address and port: a socket connected to itself. */
    static boolean isSelf(ByteBuffer b, boolean v6, byte[] address, int port) {
        if (b.getShort(0) != (v6 ? NativeSockets.AF_INET6 : NativeSockets.AF_INET) || port(b) != port) {
            return false;
        }
        int at = v6 ? 8 : 4;
        for (int i = 0; i < address.length; i++) {
            if (b.get(at + i) != address[i]) {
                return false;
            }
        }
        return true;
    }

    private static ByteBuffer direct(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    private static Object segment(ByteBuffer b) {
        try {
            return Calls.SEGMENT_OF.invokeExact((java.nio.Buffer) b);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private int errno() {
        return capture.getInt(Calls.ERRNO_OFFSET);
    }

    @Override
    void work() throws IOException {
        try {
            loop();
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // a downcall handle declares Throwable; it throws nothing else
        }
    }

    private void loop() throws Throwable {
        boolean more = claimChunk();
        while ((more || pendingCount > 0) && !sweep.stopped()) {
            long now = System.nanoTime();
            int n = Math.min(capacity - pendingCount, BATCH);
            if (pacer != null && more) {
                n = pacer.take(now, n);
            }
            long deadline = now + timeoutNanos;
            for (int i = 0; i < n && more; i++) {
                if (!begin(nextPort(), deadline)) {
                    break;
                }
                more = advance();
            }
            boolean canStart = more && pendingCount < capacity && (pacer == null || pacer.ready(now));
            if (pendingCount > 0) {
                poll(canStart ? 0 : waitMillis(more));
            } else if (more && !canStart) {
                LockSupport.parkNanos(Math.min(pacer == null ? 1_000_000 : pacer.nanosUntilNext(System.nanoTime()),
                        MAX_WAIT_MILLIS * 1_000_000L));
            }
            expire(System.nanoTime());
        }
    }

    /** How long to wait in poll: until the oldest probe's deadline or the pacer's next token. */
    private int waitMillis(boolean more) {
        long now = System.nanoTime();
        long wait = slotDeadline[pending[0]] - now;
        if (more && pacer != null && pendingCount < capacity) {
            wait = Math.min(wait, pacer.nanosUntilNext(now));
        }
        return (int) Math.max(1, Math.min(MAX_WAIT_MILLIS, (wait + 999_999) / 1_000_000));
    }

    /**
     * Starts a connect to {@code port}, deciding it at once when the kernel already knows.
     *
     * @return false if no socket or local port is available now: try this port again later
     */
    private boolean begin(int port, long deadline) throws Throwable {
        int slot = free[freeCount - 1];
        int fd = fds[slot];
        if (fd < 0) {
            fd = (int) Calls.SOCKET.invokeExact(captureSeg, family,
                    NativeSockets.SOCK_STREAM | NativeSockets.SOCK_NONBLOCK | NativeSockets.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                return outOf("open a socket", errno());
            }
            fds[slot] = fd;
        }
        setPort(addr, port);
        int r = (int) Calls.CONNECT.invokeExact(captureSeg, fd, addrSeg, addrLen);
        if (r == 0) {
            decide(port, connected(slot, port));
            closeSlot(slot);
            return true;
        }
        int e = errno();
        switch (e) {
            case NativeSockets.EINPROGRESS:
            case NativeSockets.EINTR: // the attempt goes on in the background
                freeCount--;
                slotPort[slot] = port;
                slotDeadline[slot] = deadline;
                pending[pendingCount++] = slot;
                return true;
            case NativeSockets.ECONNREFUSED: // refused at once; the socket is unconnected again
                decide(port, PortState.CLOSED);
                return true;
            case NativeSockets.EAGAIN:
            case NativeSockets.EADDRNOTAVAIL:
                closeSlot(slot);
                return outOf("find a free local port", e);
            default:
                // unreachable network or host, or refused by a local firewall rule: nothing answered
                decide(port, PortState.FILTERED);
                closeSlot(slot);
                return true;
        }
    }

    /**
     * The process is out of descriptors or local ports. With probes in flight, wait for them and shrink the
     * window to what is in flight now; with none, the scan cannot go on.
     */
    private boolean outOf(String what, int errno) throws IOException {
        if (pendingCount == 0) {
            throw new IOException("cannot " + what + " for a connect to " + sweep.address.getHostAddress()
                    + " (errno " + errno + ")");
        }
        capacity = Math.max(1, pendingCount);
        return false;
    }

    private void poll(int timeoutMillis) throws Throwable {
        for (int j = 0; j < pendingCount; j++) {
            int at = 8 * j;
            pollfds.putInt(at, fds[pending[j]]);
            pollfds.putShort(at + 4, NativeSockets.POLLOUT);
            pollfds.putShort(at + 6, (short) 0);
        }
        int r = (int) Calls.POLL.invokeExact(captureSeg, pollSeg, (long) pendingCount, timeoutMillis);
        if (r < 0) {
            int e = errno();
            if (e == NativeSockets.EINTR) {
                return;
            }
            throw new IOException("poll failed (errno " + e + ")");
        }
        if (r == 0) {
            return;
        }
        int kept = 0;
        for (int j = 0; j < pendingCount; j++) {
            int slot = pending[j];
            short revents = pollfds.getShort(8 * j + 6);
            if (revents == 0 || !settle(slot, revents)) {
                pending[kept++] = slot;
            }
        }
        pendingCount = kept;
    }

    /** The attempt in {@code slot} has news; returns true if its port is decided (the slot is then free). */
    private boolean settle(int slot, short revents) throws Throwable {
        int port = slotPort[slot];
        int fd = fds[slot];
        if ((revents & NativeSockets.POLLNVAL) != 0) {
            throw new IllegalStateException("poll: descriptor " + fd + " of the probe of port " + port + " is not open");
        }
        if ((revents & (NativeSockets.POLLERR | NativeSockets.POLLHUP)) == 0) {
            decide(port, connected(slot, port));
            closeSlot(slot);
            free[freeCount++] = slot;
            return true;
        }
        // the attempt ended: a second connect returns its error and leaves the socket unconnected
        int r = (int) Calls.CONNECT.invokeExact(captureSeg, fd, addrSeg, addrLen);
        int e = r == 0 ? NativeSockets.EISCONN : errno();
        switch (e) {
            case NativeSockets.ECONNREFUSED: // a reset answered the SYN
                decide(port, PortState.CLOSED);
                break;
            case NativeSockets.ECONNRESET:
            case NativeSockets.EPIPE:
                // Linux reports these only for a reset after the handshake: the port accepted, then hung up
                decide(port, PortState.OPEN);
                closeSlot(slot);
                break;
            case NativeSockets.EALREADY:
                return false; // still under way after all: wait on
            case NativeSockets.EISCONN:
                decide(port, connected(slot, port));
                closeSlot(slot);
                break;
            case NativeSockets.ETIMEDOUT:
            case NativeSockets.EHOSTUNREACH:
            case NativeSockets.ENETUNREACH:
            case NativeSockets.EHOSTDOWN:
            case NativeSockets.ENETDOWN:
            case NativeSockets.EACCES:
            case NativeSockets.EPERM:
                decide(port, PortState.FILTERED); // as nmap: an ICMP unreachable is filtered
                break;
            default:
                decide(port, PortState.FILTERED);
                closeSlot(slot); // an unexpected state: do not reuse this socket
        }
        free[freeCount++] = slot;
        return true;
    }

    /** Open, unless the socket in {@code slot} is connected to itself (its own address and port). */
    private PortState connected(int slot, int port) throws Throwable {
        nameLen.putInt(0, SOCKADDR_MAX);
        int r = (int) Calls.GETSOCKNAME.invokeExact(fds[slot], nameSeg, nameLenSeg);
        if (r == 0 && isSelf(name, v6, target, port)) {
            selfConnects++;
            return PortState.CLOSED;
        }
        return PortState.OPEN;
    }

    /** Probes past their deadline are filtered; their sockets (still mid-handshake) are closed. */
    private void expire(long now) throws Throwable {
        int k = 0;
        while (k < pendingCount && slotDeadline[pending[k]] - now <= 0) {
            int slot = pending[k];
            decide(slotPort[slot], PortState.FILTERED);
            closeSlot(slot);
            free[freeCount++] = slot;
            k++;
        }
        if (k > 0) {
            System.arraycopy(pending, k, pending, 0, pendingCount - k);
            pendingCount -= k;
        }
    }

    private void closeSlot(int slot) throws Throwable {
        int fd = fds[slot];
        if (fd >= 0) {
            fds[slot] = -1;
            int ignored = (int) Calls.CLOSE.invokeExact(fd);
        }
    }

    @Override
    void shutdown() {
        for (int i = 0; i < fds.length; i++) {
            try {
                closeSlot(i);
            } catch (Throwable ignored) {
                // close(2) through a bound handle does not throw
            }
        }
        pendingCount = 0;
    }

    @Override
    void wakeUp() {
        // waits are at most MAX_WAIT_MILLIS; the loop checks sweep.stopped() after each
    }

    @Override
    void handOver() {
        sweep.addSelfConnects(selfConnects);
    }
}
