package org.portlens.scan.nativeio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import org.portlens.internal.Addresses;
import org.portlens.scan.PortState;
import org.portlens.scan.spi.ScanEngine;

/**
 * One thread of a TCP sweep on raw socket calls ({@link SocketCalls}, bound by {@link NativeSockets}).
 * Same contract as the NIO engine: small batches, a bounded window, timeouts, pacing, self-connects
 * (the sweep's side of those is the {@link ScanEngine.Lane} it is given). What differs is that a socket
 * is kept across ports:
 *
 * <ol>
 *   <li>{@code connect} on a non-blocking socket returns {@code EINPROGRESS};</li>
 *   <li>{@code poll} reports it: {@code POLLOUT} alone means connected (open, unless it connected to
 *       itself), an error or hang-up means the attempt ended;</li>
 *   <li>for an ended attempt, {@link SocketCalls#finish} returns its error ({@code ECONNREFUSED}: closed;
 *       unreachable or timed out: filtered) and leaves the socket unconnected, ready for the next port.</li>
 * </ol>
 *
 * A connected socket, one that timed out, or one that saw an error this class does not expect is
 * closed and replaced, so a socket is only reused from the one state Linux documents for it.
 */
final class NativeTcpWorker implements ScanEngine.Worker {

    /** Longest single wait in {@code poll}, so that a stopped sweep is noticed soon. */
    private static final int MAX_WAIT_MILLIS = 50;

    private final ScanEngine.Lane lane;
    private final SocketCalls calls;
    private final ByteBuffer pollfds;

    /** Per slot, while pending: the port and deadline. */
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

    NativeTcpWorker(ScanEngine.Lane lane) {
        this.lane = lane;
        this.capacity = lane.capacity();
        this.calls = NativeSockets.newCalls(lane.target(), capacity);
        this.pollfds = calls.pollfds;
        this.slotPort = new int[capacity];
        this.slotDeadline = new long[capacity];
        this.free = new int[capacity];
        this.pending = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    @Override
    public void work() throws IOException {
        boolean more = lane.claimChunk();
        while ((more || pendingCount > 0) && !lane.stopped()) {
            long now = System.nanoTime();
            more = lane.startBatch(more, now, capacity - pendingCount);
            boolean canStart = lane.canStart(more, now, capacity - pendingCount);
            if (pendingCount > 0) {
                poll(canStart ? 0 : waitMillis(more));
            } else if (more && !canStart) {
                long next = lane.nanosUntilNextProbe(System.nanoTime());
                LockSupport.parkNanos(Math.min(next < 0 ? 1_000_000 : next, MAX_WAIT_MILLIS * 1_000_000L));
            }
            expire(System.nanoTime());
        }
    }

    /** How long to wait in poll: until the oldest probe's deadline or the pacer's next token. */
    private int waitMillis(boolean more) {
        long now = System.nanoTime();
        long wait = slotDeadline[pending[0]] - now;
        if (more && pendingCount < capacity) {
            long next = lane.nanosUntilNextProbe(now);
            if (next >= 0) {
                wait = Math.min(wait, next);
            }
        }
        return (int) Math.max(1, Math.min(MAX_WAIT_MILLIS, (wait + 999_999) / 1_000_000));
    }

    /**
     * Starts a connect to {@code port}, deciding it at once when the kernel already knows.
     *
     * @return false if no socket or local port is available now: try this port again later
     */
    @Override
    public boolean begin(int port, long deadline) throws IOException {
        int slot = free[freeCount - 1];
        int e = calls.open(slot);
        if (e != 0 && takeOpenSlot()) {
            slot = free[freeCount - 1]; // a free slot that still holds a socket: use that one
            e = 0;
        }
        if (e != 0) {
            return outOf("open a socket", e);
        }
        e = calls.connect(slot, port);
        switch (e) {
            case 0: // connected at once
                lane.decide(port, connected(slot, port));
                calls.close(slot);
                return true;
            case NativeSockets.EINPROGRESS:
            case NativeSockets.EINTR: // the attempt goes on in the background
                freeCount--;
                slotPort[slot] = port;
                slotDeadline[slot] = deadline;
                pending[pendingCount++] = slot;
                return true;
            case NativeSockets.ECONNREFUSED: // refused at once; the socket is unconnected again
                lane.decide(port, PortState.CLOSED);
                return true;
            case NativeSockets.EAGAIN:
                calls.close(slot);
                return outOf("find a free local port", e);
            case NativeSockets.EADDRNOTAVAIL:
                // no source address for the target (IPv6 off, say) or no local port left: no connect to
                // this host can start, so the scan cannot go on
                calls.close(slot);
                throw new IOException("cannot connect to " + Addresses.format(lane.target()) + " from this host ("
                        + calls.describe(e) + ")");
            default:
                // unreachable network or host, refused by a local firewall rule: nothing answered
                lane.decide(port, PortState.FILTERED);
                calls.close(slot);
                return true;
        }
    }

    /**
     * Moves a free slot that still holds a socket to the top of the free stack, if there is one: when no
     * new socket can be opened, an idle one is as good.
     */
    private boolean takeOpenSlot() {
        for (int i = freeCount - 2; i >= 0; i--) {
            if (calls.isOpen(free[i])) {
                int top = free[freeCount - 1];
                free[freeCount - 1] = free[i];
                free[i] = top;
                return true;
            }
        }
        return false;
    }

    /**
     * The process is out of descriptors or local ports. With probes in flight, wait for them and shrink the
     * window to what is in flight now; with none, the scan cannot go on.
     */
    private boolean outOf(String what, int errno) throws IOException {
        if (pendingCount == 0) {
            throw new IOException("cannot " + what + " for a connect to " + Addresses.format(lane.target()) + " ("
                    + calls.describe(errno) + ")");
        }
        capacity = Math.max(1, pendingCount);
        return false;
    }

    private void poll(int timeoutMillis) throws IOException {
        for (int j = 0; j < pendingCount; j++) {
            int at = 8 * j;
            pollfds.putInt(at, calls.fd(pending[j]));
            pollfds.putShort(at + 4, NativeSockets.POLLOUT);
            pollfds.putShort(at + 6, (short) 0);
        }
        int r = calls.poll(pendingCount, timeoutMillis);
        if (r < 0) {
            if (r == -NativeSockets.EINTR) {
                return;
            }
            throw new IOException("poll failed (errno " + -r + ")");
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
    private boolean settle(int slot, short revents) {
        int port = slotPort[slot];
        if ((revents & NativeSockets.POLLNVAL) != 0) {
            throw new IllegalStateException(
                    "poll: descriptor " + calls.fd(slot) + " of the probe of port " + port + " is not open");
        }
        if ((revents & (NativeSockets.POLLERR | NativeSockets.POLLHUP)) == 0) {
            lane.decide(port, connected(slot, port));
            calls.close(slot);
            free[freeCount++] = slot;
            return true;
        }
        int e = calls.finish(slot);
        switch (e) {
            case NativeSockets.ECONNREFUSED: // a reset answered the SYN
                lane.decide(port, PortState.CLOSED);
                break;
            case NativeSockets.EALREADY:
                return false; // still under way after all: wait on
            case 0: // connected after all
                lane.decide(port, connected(slot, port));
                calls.close(slot);
                break;
            case NativeSockets.ECONNRESET:
            case NativeSockets.EPIPE:
                // Linux reports these only for a reset after the handshake: the port accepted, then hung up
                lane.decide(port, PortState.OPEN);
                calls.close(slot);
                break;
            case NativeSockets.ETIMEDOUT:
            case NativeSockets.EHOSTUNREACH:
            case NativeSockets.ENETUNREACH:
            case NativeSockets.EHOSTDOWN:
            case NativeSockets.ENETDOWN:
            case NativeSockets.EACCES:
            case NativeSockets.EPERM:
                lane.decide(port, PortState.FILTERED); // as nmap: an ICMP unreachable is filtered
                break;
            default:
                lane.decide(port, PortState.FILTERED);
                calls.close(slot); // an unexpected state: do not reuse this socket
        }
        free[freeCount++] = slot;
        return true;
    }

    /** Open, unless the socket in {@code slot} is connected to itself (its own address and port). */
    private PortState connected(int slot, int port) {
        if (calls.selfConnected(slot, port)) {
            lane.selfConnect();
            return PortState.CLOSED;
        }
        return PortState.OPEN;
    }

    /** Probes past their deadline are filtered; their sockets (still mid-handshake) are closed. */
    private void expire(long now) {
        int k = 0;
        while (k < pendingCount && slotDeadline[pending[k]] - now <= 0) {
            int slot = pending[k];
            lane.decide(slotPort[slot], PortState.FILTERED);
            calls.close(slot);
            free[freeCount++] = slot;
            k++;
        }
        if (k > 0) {
            System.arraycopy(pending, k, pending, 0, pendingCount - k);
            pendingCount -= k;
        }
    }

    @Override
    public void shutdown() {
        for (int i = 0; i < slotPort.length; i++) {
            calls.close(i);
        }
        pendingCount = 0;
    }
}
