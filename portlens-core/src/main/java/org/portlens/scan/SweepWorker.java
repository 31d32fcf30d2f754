package org.portlens.scan;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.portlens.internal.Addresses;

/**
 * One selector thread of a {@link Sweep} (the NIO engine, on every JDK): starts probes in small batches,
 * harvests what has finished, times out what has not, and never holds more than its share of the
 * in-flight window.
 *
 * <p>Probes are started in batches of {@link #BATCH} and the selector is polled after each batch,
 * so on a fast target (loopback answers a connect before the syscall returns) only a few dozen
 * sockets are open at a time, which keeps the kernel's socket allocations hot in cache; on a slow
 * target the window fills up to its capacity.
 *
 * <p>Outstanding probes sit in a ring of reusable {@link Slot}s in the order they were started. All
 * probes of one batch share a deadline and batches start in order, so deadlines never decrease along
 * the ring and only its head needs checking for a timeout. A finished probe leaves a hole that is
 * skipped when the head reaches it.
 */
abstract class SweepWorker extends SweepThread {

    /** A probe in flight. Reused: the ring allocates them once. */
    static final class Slot {
        int port;
        long deadline;
        int tries;
        /** The probe's channel; null once the probe is decided. */
        @Nullable
        SelectableChannel channel;
    }

    volatile @Nullable Selector selector;

    private final Slot[] ring;
    private int capacity;
    private int head;
    private int tail;
    private int occupied;

    /** The host scanned. */
    final InetAddress address;
    /** Its address family, which every probe's channel is opened in. */
    final ProtocolFamily family;

    SweepWorker(Sweep sweep) {
        super(sweep);
        this.address = sweep.address;
        this.family = address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        this.capacity = sweep.capacityPerWorker;
        this.ring = new Slot[capacity];
        for (int i = 0; i < capacity; i++) {
            ring[i] = new Slot();
        }
    }

    /** The selector says the probe in {@code slot} has news; decide it, or leave it to wait on. */
    abstract void ready(SelectionKey key, Slot slot) throws IOException;

    /** The probe of {@code port} on {@code channel} got no answer in time; decide it or {@link #retrack} it. */
    abstract void timedOut(SelectableChannel channel, int port, int tries, long now) throws IOException;

    /** Interrupts a blocking select so the worker sees that the sweep stopped. */
    @Override
    final void wakeUp() {
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    @Override
    final void work() throws IOException {
        Selector sel = Selector.open();
        selector = sel;
        boolean more = claimChunk();
        while ((more || occupied > 0) && !sweep.stopped()) {
            long now = System.nanoTime();
            more = startBatch(more, now, capacity - occupied); // begin() decides a probe or tracks its channel
            int selected = canStart(more, now, capacity - occupied) ? sel.selectNow() : sel.select(waitMillis(more));
            if (selected > 0) {
                harvest(sel);
            }
            expire(System.nanoTime());
        }
    }

    /** How long to block in select: until the oldest probe's deadline or the pacer's next token. */
    private long waitMillis(boolean more) {
        long now = System.nanoTime();
        long wait = Long.MAX_VALUE;
        if (occupied > 0) {
            wait = ring[head].deadline - now;
        }
        if (more && pacer != null && occupied < capacity) {
            wait = Math.min(wait, pacer.nanosUntilNext(now));
        }
        if (wait == Long.MAX_VALUE) {
            return 1;
        }
        return Math.max(1, (wait + 999_999) / 1_000_000);
    }

    private void harvest(Selector sel) throws IOException {
        Set<SelectionKey> keys = sel.selectedKeys();
        for (Iterator<SelectionKey> it = keys.iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            Slot slot = (Slot) key.attachment();
            if (slot.channel != null && slot.channel == key.channel()) {
                ready(key, slot);
            }
        }
        keys.clear();
    }

    /** Retires decided slots at the head of the ring and times out the ones past their deadline. */
    private void expire(long now) throws IOException {
        while (occupied > 0) {
            Slot s = ring[head];
            SelectableChannel ch = s.channel;
            if (ch != null && s.deadline - now > 0) {
                return;
            }
            s.channel = null;
            head = head + 1 == ring.length ? 0 : head + 1;
            occupied--;
            if (ch != null) {
                timedOut(ch, s.port, s.tries, now);
            }
        }
    }

    /** Puts a registered-to-be channel into the ring and registers it for {@code ops}. */
    final void track(int port, SelectableChannel channel, long deadline, int ops) throws IOException {
        Slot s = take(port, channel, deadline, 1);
        channel.register(selector, ops, s);
    }

    /** Gives a channel that is already registered a new deadline (UDP: probe again). */
    final void retrack(SelectableChannel channel, int port, int tries, long deadline) {
        Slot s = take(port, channel, deadline, tries);
        SelectionKey key = channel.keyFor(selector);
        if (key != null) {
            key.attach(s);
        }
    }

    private Slot take(int port, SelectableChannel channel, long deadline, int tries) {
        Slot s = ring[tail];
        tail = tail + 1 == ring.length ? 0 : tail + 1;
        occupied++;
        s.port = port;
        s.deadline = deadline;
        s.tries = tries;
        s.channel = channel;
        return s;
    }

    /** Records the state of a tracked probe and closes its channel. */
    final void decide(Slot slot, PortState state) {
        SelectableChannel ch = slot.channel;
        slot.channel = null;
        decide(slot.port, state);
        closeQuietly(ch);
    }

    /**
     * Opening a socket failed. With probes in flight, that is most likely the descriptor limit: shrink
     * the window to what is open now and wait for some to finish. With nothing in flight, give up.
     */
    private void outOfSockets(IOException e) throws IOException {
        if (occupied == 0) {
            throw e;
        }
        capacity = Math.max(1, Math.min(capacity, occupied));
    }

    /** How a worker opens one probe's channel: {@code SocketChannel::open}, {@code DatagramChannel::open}. */
    interface Opener<C extends SelectableChannel> {
        /** Opens a channel of the family. */
        C open(ProtocolFamily family) throws IOException;
    }

    /**
     * A new channel of the scan's family for the next probe, or null when the process has no socket
     * left while probes are in flight ({@link #outOfSockets}: the window shrinks, and the probe starts
     * later).
     *
     * @throws IOException with nothing in flight, or when the host lacks the address family
     */
    final <C extends SelectableChannel> @Nullable C open(Opener<C> opener) throws IOException {
        try {
            return opener.open(family);
        } catch (IOException e) {
            outOfSockets(e);
            return null;
        } catch (UnsupportedOperationException e) {
            throw noIpv6(address, e);
        }
    }

    /** The JDK found no IPv6 on this host at start-up, so it opens no IPv6 channel: say so as an I/O error. */
    static IOException noIpv6(InetAddress address, UnsupportedOperationException e) {
        return new IOException(
                "cannot scan " + Addresses.format(address) + ": IPv6 is not available on this host (" + e.getMessage()
                        + ")",
                e);
    }

    static void closeQuietly(@Nullable SelectableChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a probe socket cannot fail in a way that matters
        }
    }

    /** Closes every channel still in flight, then the selector (which releases their descriptors). */
    @Override
    final void shutdown() {
        for (Slot s : ring) {
            SelectableChannel ch = s.channel;
            s.channel = null;
            closeQuietly(ch);
        }
        Selector sel = selector;
        if (sel != null) {
            try {
                sel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
