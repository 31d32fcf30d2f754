package org.portlens.scan;

import java.time.Duration;

/**
 * Limits of one scan, and the engine it should run on. The defaults suit loopback and a LAN. Immutable (each
 * {@code with} method returns a copy), so safe to share between threads.
 *
 * @param timeout     how long one port may take to answer before it counts as filtered (TCP) or
 *                    open|filtered (UDP)
 * @param maxInFlight most probes outstanding at once, over all threads; the scanners lower it further to
 *                    fit the process's open-file limit
 * @param rate        most new probes started per second over all threads; 0 for no limit
 * @param threads     most selector threads; small scans use one
 * @param retries     UDP only: how many times a silent port is probed again (TCP leaves retransmission
 *                    to the kernel)
 * @param engine      TCP only: whether to run on native sockets where this JVM can ({@link TcpConnectScanner})
 */
public record ScanOptions(
        Duration timeout, int maxInFlight, int rate, int threads, int retries, EnginePreference engine) {

    /**
     * Which engine a TCP scan asks for. Either native choice falls back to NIO where the native engine cannot
     * run (see {@link TcpConnectScanner#nativeSocketsUnavailable(int)}); {@link ScanReport#engine()} says which
     * ran.
     */
    public enum EnginePreference {
        /** NIO selectors, on every JDK and system: what a library gets unless its program asks for more. */
        NIO,
        /**
         * Native sockets where binding them pays off at the scan's size: from the first port on JDK 17-21 (the
         * JDK's internals bind in a few ms), from 16,384 ports on JDK 22+ (binding {@code java.lang.foreign}
         * takes 70-120 ms). What {@code portlens scan} uses.
         */
        NATIVE_IF_FASTER,
        /** Native sockets for scans of any size, wherever the engine can run. */
        NATIVE
    }

    /** Upper bound of {@link #threads()}: more threads than this only contend in the kernel. */
    public static final int MAX_THREADS = 64;

    /**
     * Checks every limit, naming the value that is out of range.
     *
     * @param timeout     positive
     * @param maxInFlight at least 1
     * @param rate        0 for no limit, else most new probes per second
     * @param threads     1 to {@link #MAX_THREADS}
     * @param retries     0 to 10
     * @param engine      the engine a TCP scan asks for
     */
    public ScanOptions {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "timeout must be positive, got " + (timeout == null ? "none" : timeout.toMillis() + " ms"));
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max in flight must be at least 1, got " + maxInFlight);
        }
        if (rate < 0) {
            throw new IllegalArgumentException("rate must be 0 (no limit) or more probes per second, got " + rate);
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be 1-" + MAX_THREADS + ", got " + threads);
        }
        if (retries < 0 || retries > 10) {
            throw new IllegalArgumentException("retries must be 0-10, got " + retries);
        }
        if (engine == null) {
            throw new IllegalArgumentException("engine preference is required");
        }
    }

    /**
     * Options on the {@link EnginePreference#NIO} engine.
     *
     * @param timeout     how long one port may take to answer; positive
     * @param maxInFlight most probes outstanding at once; at least 1
     * @param rate        most new probes started per second; 0 for no limit
     * @param threads     most selector threads, 1 to {@link #MAX_THREADS}
     * @param retries     UDP only: probes again of a silent port, 0 to 10
     */
    public ScanOptions(Duration timeout, int maxInFlight, int rate, int threads, int retries) {
        this(timeout, maxInFlight, rate, threads, retries, EnginePreference.NIO);
    }

    /**
     * 1 s timeout, 4096 in flight, no rate limit, one thread per core up to 4, one UDP retry, NIO.
     *
     * @return the default options for this machine's core count
     */
    public static ScanOptions defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ScanOptions(Duration.ofSeconds(1), 4096, 0, Math.max(1, Math.min(4, cores)), 1);
    }

    /**
     * A copy with another {@link #timeout()}.
     *
     * @param t how long one port may take to answer; positive
     * @return a copy with that timeout and the other limits unchanged
     */
    public ScanOptions withTimeout(Duration t) {
        return new ScanOptions(t, maxInFlight, rate, threads, retries, engine);
    }

    /**
     * A copy with another {@link #maxInFlight()}.
     *
     * @param n most probes outstanding at once; at least 1
     * @return a copy with that limit and the others unchanged
     */
    public ScanOptions withMaxInFlight(int n) {
        return new ScanOptions(timeout, n, rate, threads, retries, engine);
    }

    /**
     * A copy with another {@link #rate()}.
     *
     * @param perSecond most new probes started per second; 0 for no limit
     * @return a copy with that rate and the other limits unchanged
     */
    public ScanOptions withRate(int perSecond) {
        return new ScanOptions(timeout, maxInFlight, perSecond, threads, retries, engine);
    }

    /**
     * A copy with another {@link #threads()}.
     *
     * @param n most selector threads, 1 to {@link #MAX_THREADS}
     * @return a copy with that thread count and the other limits unchanged
     */
    public ScanOptions withThreads(int n) {
        return new ScanOptions(timeout, maxInFlight, rate, n, retries, engine);
    }

    /**
     * A copy with another {@link #retries()}.
     *
     * @param n how many times a silent UDP port is probed again, 0 to 10
     * @return a copy with that retry count and the other limits unchanged
     */
    public ScanOptions withRetries(int n) {
        return new ScanOptions(timeout, maxInFlight, rate, threads, n, engine);
    }

    /**
     * A copy with another {@link #engine()} preference.
     *
     * @param e the engine a TCP scan asks for
     * @return a copy with that preference and the limits unchanged
     */
    public ScanOptions withEngine(EnginePreference e) {
        return new ScanOptions(timeout, maxInFlight, rate, threads, retries, e);
    }
}
