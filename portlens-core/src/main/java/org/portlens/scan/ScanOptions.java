package org.portlens.scan;

import java.time.Duration;

/**
 * Limits of one scan. The defaults suit loopback and a LAN.
 *
 * @param timeout     how long one port may take to answer before it counts as filtered (TCP) or
 *                    open|filtered (UDP)
 * @param maxInFlight most probes outstanding at once, over all threads; the scanners lower it further to
 *                    fit the process's open-file limit
 * @param rate        most new probes started per second over all threads; 0 for no limit
 * @param threads     most selector threads; small scans use one
 * @param retries     UDP only: how many times a silent port is probed again (TCP leaves retransmission
 *                    to the kernel)
 */
public record ScanOptions(Duration timeout, int maxInFlight, int rate, int threads, int retries) {

    /** Upper bound of {@link #threads()}: more threads than this only contend in the kernel. */
    public static final int MAX_THREADS = 64;

    public ScanOptions {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got "
                    + (timeout == null ? "none" : timeout.toMillis() + " ms"));
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
    }

    /** 1 s timeout, 4096 in flight, no rate limit, one thread per core up to 4, one UDP retry. */
    public static ScanOptions defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ScanOptions(Duration.ofSeconds(1), 4096, 0, Math.max(1, Math.min(4, cores)), 1);
    }

    public ScanOptions withTimeout(Duration t) {
        return new ScanOptions(t, maxInFlight, rate, threads, retries);
    }

    public ScanOptions withMaxInFlight(int n) {
        return new ScanOptions(timeout, n, rate, threads, retries);
    }

    public ScanOptions withRate(int perSecond) {
        return new ScanOptions(timeout, maxInFlight, perSecond, threads, retries);
    }

    public ScanOptions withThreads(int n) {
        return new ScanOptions(timeout, maxInFlight, rate, n, retries);
    }

    public ScanOptions withRetries(int n) {
        return new ScanOptions(timeout, maxInFlight, rate, threads, n);
    }
}
