package org.portlens.scan;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * One thread of a {@link Sweep}, whatever its engine: takes chunks of ports from the sweep, records each
 * port's state in the shared array, reports progress in lots, paces itself when the scan has a rate, and
 * always counts down its latch, also when it fails. {@link SweepWorker} is the engine on NIO selectors;
 * {@link NativeTcpWorker} the one on raw socket calls (Linux; see {@link NativeSockets}).
 */
abstract class SweepThread implements Runnable {

    /** Probes started between two looks at what has finished. */
    static final int BATCH = 16;
    /** Decided ports are added to the shared progress count in lots of this size. */
    private static final int PROGRESS_LOT = 128;

    final Sweep sweep;
    final byte[] states;
    /** Counted down when this worker has closed everything; set by the sweep before the thread starts. */
    @Nullable
    CountDownLatch finished;

    final long timeoutNanos;
    /** Null when the scan has no rate limit. */
    final @Nullable Pacer pacer;

    private final int[] ports;
    private int pos;
    private int end;
    private int decided;

    SweepThread(Sweep sweep) {
        this.sweep = sweep;
        this.states = sweep.states;
        this.ports = sweep.ports;
        this.timeoutNanos = sweep.options.timeout().toNanos();
        int rate = sweep.options.rate();
        this.pacer = rate == 0 ? null : new Pacer((double) rate / sweep.workerCount, System.nanoTime());
    }

    /** Probes every port handed out, until there are none left or the sweep stops. */
    abstract void work() throws IOException;

    /**
     * Starts a probe of {@code port}: decides it at once ({@link #decide}) or leaves it in flight until
     * {@code deadline}.
     *
     * @return false if it cannot start now (no descriptor or local port left): try this port again later
     */
    abstract boolean begin(int port, long deadline) throws IOException;

    /**
     * Starts one batch of probes: at most {@link #BATCH}, {@code room} (free places in the window) and what
     * the pacer allows, all with the same deadline.
     *
     * @param more whether this worker still has ports to start
     * @return whether it still has ports after the batch
     */
    final boolean startBatch(boolean more, long now, int room) throws IOException {
        int n = Math.min(room, BATCH);
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
        return more;
    }

    /** True when another batch could start at once: ports left, room in the window, and a pacer token. */
    final boolean canStart(boolean more, long now, int room) {
        return more && room > 0 && (pacer == null || pacer.ready(now));
    }

    /** Closes whatever is still open. Called once, after {@link #work()}, also when it failed. */
    abstract void shutdown();

    /** Makes a worker that is waiting notice that the sweep stopped. */
    abstract void wakeUp();

    /** Called once when the worker is done, after its sockets are closed: hand over per-worker counts. */
    void handOver() {}

    @Override
    public final void run() {
        try {
            work();
        } catch (Throwable t) {
            sweep.fail(t);
        } finally {
            try {
                shutdown();
                handOver();
            } finally {
                sweep.addDone(decided);
                decided = 0;
                if (finished != null) {
                    finished.countDown();
                }
            }
        }
    }

    /** Takes the next chunk of ports from the sweep; false when none are left (or the sweep stopped). */
    final boolean claimChunk() {
        int start = sweep.claim();
        if (start < 0) {
            return false;
        }
        pos = start;
        end = Math.min(ports.length, start + Sweep.CHUNK);
        return true;
    }

    /** The port to probe next, from the current chunk. */
    final int nextPort() {
        return ports[pos];
    }

    /** Moves past the port {@link #nextPort()} gave; false when that was the last port for this worker. */
    final boolean advance() {
        if (++pos == end) {
            return claimChunk();
        }
        return true;
    }

    /** Records the state of a port. */
    final void decide(int port, PortState state) {
        states[port] = state.code();
        if (++decided >= PROGRESS_LOT) {
            sweep.addDone(decided);
            decided = 0;
        }
    }

    /** A token bucket: at most {@code perSecond} probes a second, with a burst of at most one batch. */
    static final class Pacer {
        private final double perNano;
        private final double burst;
        private double tokens;
        private long last;

        /** Starts with one token at {@code now} (a {@link System#nanoTime()} value). */
        Pacer(double perSecond, long now) {
            this.perNano = perSecond / 1e9;
            this.burst = Math.max(1, Math.min(BATCH, perSecond / 100));
            this.tokens = 1;
            this.last = now;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
        }

        int take(long now, int wanted) {
            refill(now);
            int n = (int) Math.min(wanted, Math.floor(tokens));
            tokens -= n;
            return Math.max(0, n);
        }

        boolean ready(long now) {
            refill(now);
            return tokens >= 1;
        }

        long nanosUntilNext(long now) {
            refill(now);
            return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
        }
    }
}
