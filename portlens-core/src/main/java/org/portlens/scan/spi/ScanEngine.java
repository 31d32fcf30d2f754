package org.portlens.scan.spi;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import org.portlens.scan.PortState;

/**
 * A TCP connect engine that {@link org.portlens.scan.TcpConnectScanner} can run a sweep on instead of its
 * built-in NIO engine, for instance one on raw socket calls that reuses sockets across refused ports. The
 * scanner finds engines with {@link java.util.ServiceLoader} (a {@code META-INF/services} entry for this
 * interface, or {@code provides} in a module), only when {@link org.portlens.scan.ScanOptions#engine()} asks
 * for native sockets, and keeps NIO, with the engine's reason, when {@link #unavailable(int)} gives one.
 *
 * <p>Threads: {@link #prepare}, {@link #unavailable} and {@link #binding} may be called from any thread at
 * any time, so implementations must be thread-safe; the scanner calls {@link #newWorker} on the scanning
 * thread, and each {@link Worker} is then used by one sweep thread only.
 */
public interface ScanEngine {

    /**
     * Starts getting ready for a scan of {@code ports} ports (binding native calls, say) in the background,
     * so that it overlaps the program's other start-up work, and returns at once. Idempotent; an engine that
     * is ready, or getting ready, stays so for scans of any size.
     *
     * @param ports how many ports the coming scan has; {@link Integer#MAX_VALUE} when the program wants this
     *              engine for scans of any size, even where getting ready costs more than a small scan wins
     * @return false if the engine is ruled out for such a scan ({@link #unavailable(int)} says why); true once
     *         getting ready has started or is done, which can still fail
     */
    boolean prepare(int ports);

    /**
     * Why a scan of {@code ports} ports cannot run on this engine, or empty when it can. Prepares the engine
     * as {@link #prepare(int)} does and waits until it is ready or has failed.
     *
     * @param ports how many ports the scan has; {@link Integer#MAX_VALUE} for scans of any size
     * @return the reason, in a few words, or empty when the engine is ready for such a scan
     */
    Optional<String> unavailable(int ports);

    /**
     * How the engine reaches the kernel once ready (e.g. {@code "java.lang.foreign"}); empty before.
     *
     * @return the binding's name, or empty while the engine is not ready (or failed to get ready)
     */
    Optional<String> binding();

    /**
     * The engine's part of one thread of a sweep. Called only after {@link #unavailable(int)} came back empty.
     *
     * @param lane what the sweep offers this thread: its ports, where their states go, the pacing
     * @return a new worker for that thread alone
     */
    Worker newWorker(Lane lane);

    /**
     * What a sweep offers one of its threads. Not thread-safe: only the thread that runs the {@link Worker}
     * the lane was given to may call it.
     */
    interface Lane {

        /**
         * The host being scanned.
         *
         * @return the target address, the same for every lane of a sweep
         */
        InetAddress target();

        /**
         * How many probes this thread may have in flight at most (its share of the window and of descriptors).
         *
         * @return the limit, at least 1
         */
        int capacity();

        /**
         * True once the sweep was stopped (interrupted, or another thread failed): the worker should return.
         *
         * @return whether the sweep stopped
         */
        boolean stopped();

        /**
         * Takes the first chunk of ports for this thread; false when there are none (or the sweep stopped).
         *
         * @return whether this thread has ports to start
         */
        boolean claimChunk();

        /**
         * Starts one batch of probes through {@link Worker#begin}: at most a few, {@code room} (free places in
         * this thread's window) and what the rate limit allows, all with the same deadline.
         *
         * @param more whether this thread still has ports to start
         * @param now  {@link System#nanoTime()}
         * @param room free places in this thread's window
         * @return whether it still has ports after the batch
         * @throws IOException when {@link Worker#begin} throws it
         */
        boolean startBatch(boolean more, long now, int room) throws IOException;

        /**
         * True when another batch could start at once: ports left, room in the window, and the rate allows.
         *
         * @param more whether this thread still has ports to start
         * @param now  {@link System#nanoTime()}
         * @param room free places in this thread's window
         * @return whether {@link #startBatch} would start a probe now
         */
        boolean canStart(boolean more, long now, int room);

        /**
         * Nanoseconds until the rate limit allows the next probe (0: now), or -1 when the scan has no rate
         * limit.
         *
         * @param now {@link System#nanoTime()}
         * @return the wait in nanoseconds, 0 or more, or -1 for no rate limit
         */
        long nanosUntilNextProbe(long now);

        /**
         * Records the state of a port this thread was given.
         *
         * @param port  the port, 0-65535
         * @param state what the probe found
         */
        void decide(int port, PortState state);

        /** Counts a probe whose socket connected to itself (reported {@link PortState#CLOSED}). */
        void selfConnect();
    }

    /** One thread's probing in a sweep. Used by that thread only: need not be thread-safe. */
    interface Worker {

        /**
         * Probes every port handed out ({@link Lane#claimChunk()}, then batches through
         * {@link Lane#startBatch}) until none are left or the sweep stops.
         *
         * @throws IOException when probing fails for a reason that is no port's state (a failed poll, say): the
         *                     sweep stops and the scan fails with it
         */
        void work() throws IOException;

        /**
         * Starts a probe of {@code port}: decides it at once ({@link Lane#decide}) or leaves it in flight until
         * {@code deadline} (a {@link System#nanoTime()} value).
         *
         * @param port     the port to probe, 0-65535
         * @param deadline when the probe counts as unanswered, a {@link System#nanoTime()} value
         * @return false if it cannot start now (no descriptor or local port left): the port is tried again later
         * @throws IOException when the probe fails for a reason that is no port's state: the sweep stops
         */
        boolean begin(int port, long deadline) throws IOException;

        /** Closes whatever is still open. Called once, after {@link #work()}, also when it failed. Never throws. */
        void shutdown();
    }
}
