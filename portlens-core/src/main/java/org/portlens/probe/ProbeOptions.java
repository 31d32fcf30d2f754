package org.portlens.probe;

import java.time.Duration;

/**
 * Limits of one identification. Defaults are tuned for loopback and a LAN; all adjustable by flag.
 * Start from {@link #defaults()} or {@link #loopback()} and change what differs:
 *
 * <pre>{@code
 * ProbeOptions o = ProbeOptions.defaults().withProbeTimeout(Duration.ofSeconds(2));
 * }</pre>
 *
 * <p>Immutable; safe from any thread.
 *
 * @param connectTimeout how long a TCP connect may take
 * @param bannerWait     how long to wait for a server that speaks first (SSH, SMTP, FTP, MySQL, VNC…)
 * @param probeTimeout   how long to wait for the answer to each probe
 * @param maxBytes       the most bytes read from any one exchange
 * @param connections    how many connections one TCP identification may hold open at once: 1 runs
 *                       the probes one after another (polite, for other hosts); more runs that many
 *                       probes side by side, each on its own connection, each probe still sent once
 */
public record ProbeOptions(
        Duration connectTimeout, Duration bannerWait, Duration probeTimeout, int maxBytes, int connections) {

    /** The most connections at once that {@link #connections()} may ask for. */
    public static final int MAX_CONNECTIONS = 128;

    /**
     * How many connections at once {@link #loopback()} allows to one listener of this host: more
     * than the built-in TCP probes (34), so that all of them go at once and a silent listener costs
     * one probe timeout.
     */
    public static final int LOOPBACK_CONNECTIONS = 48;

    /**
     * Checks every limit, naming the value that is out of range.
     *
     * @param connectTimeout positive
     * @param bannerWait     zero or more; zero does not wait
     * @param probeTimeout   positive
     * @param maxBytes       at least 64
     * @param connections    1 to {@link #MAX_CONNECTIONS}
     */
    public ProbeOptions {
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "connect timeout must be positive, got " + connectTimeout.toMillis() + " ms");
        }
        if (bannerWait.isNegative() || probeTimeout.isNegative() || probeTimeout.isZero()) {
            throw new IllegalArgumentException("probe timeouts must be positive");
        }
        if (maxBytes < 64) {
            throw new IllegalArgumentException("max bytes must be at least 64, got " + maxBytes);
        }
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException(
                    "connections at once must be 1-" + MAX_CONNECTIONS + ", got " + connections);
        }
    }

    /**
     * Sequential options: one connection at a time.
     *
     * @param connectTimeout positive
     * @param bannerWait     zero or more; zero does not wait
     * @param probeTimeout   positive
     * @param maxBytes       at least 64
     */
    public ProbeOptions(Duration connectTimeout, Duration bannerWait, Duration probeTimeout, int maxBytes) {
        this(connectTimeout, bannerWait, probeTimeout, maxBytes, 1);
    }

    /**
     * For this host's own listeners (portlens PORT): loopback answers in microseconds, and the
     * probes run side by side, so a listener that never answers costs about one probe timeout.
     *
     * @return a 300 ms connect timeout, a 150 ms banner wait, 250 ms per probe, 16 KiB read at most,
     *     and {@link #LOOPBACK_CONNECTIONS} connections at once
     */
    public static ProbeOptions loopback() {
        return new ProbeOptions(
                Duration.ofMillis(300),
                Duration.ofMillis(150),
                Duration.ofMillis(250),
                16 * 1024,
                LOOPBACK_CONNECTIONS);
    }

    /**
     * For any host: a connect may take 1 s, the banner wait is 300 ms, each probe 700 ms, 16 KiB read at most.
     *
     * @return the default options, one connection at a time
     */
    public static ProbeOptions defaults() {
        return new ProbeOptions(Duration.ofMillis(1000), Duration.ofMillis(300), Duration.ofMillis(700), 16 * 1024);
    }

    /**
     * These options with another connect timeout.
     *
     * @param connectTimeout how long a TCP connect may take
     * @return a copy with that timeout and the other limits unchanged
     * @throws IllegalArgumentException when it is not positive
     */
    public ProbeOptions withConnectTimeout(Duration connectTimeout) {
        return new ProbeOptions(connectTimeout, bannerWait, probeTimeout, maxBytes, connections);
    }

    /**
     * These options with another banner wait; zero does not wait at all.
     *
     * @param bannerWait how long to wait for a server that speaks first
     * @return a copy with that wait and the other limits unchanged
     * @throws IllegalArgumentException when it is negative
     */
    public ProbeOptions withBannerWait(Duration bannerWait) {
        return new ProbeOptions(connectTimeout, bannerWait, probeTimeout, maxBytes, connections);
    }

    /**
     * These options with another wait for each probe's answer.
     *
     * @param probeTimeout how long to wait for the answer to each probe
     * @return a copy with that timeout and the other limits unchanged
     * @throws IllegalArgumentException when it is not positive
     */
    public ProbeOptions withProbeTimeout(Duration probeTimeout) {
        return new ProbeOptions(connectTimeout, bannerWait, probeTimeout, maxBytes, connections);
    }

    /**
     * These options with another limit on the bytes read from one exchange.
     *
     * @param maxBytes the most bytes read from any one exchange
     * @return a copy with that limit and the others unchanged
     * @throws IllegalArgumentException when it is below 64
     */
    public ProbeOptions withMaxBytes(int maxBytes) {
        return new ProbeOptions(connectTimeout, bannerWait, probeTimeout, maxBytes, connections);
    }

    /**
     * These options with another number of connections at once.
     *
     * @param connections 1 for one probe after another, more to run that many side by side
     * @return a copy with that number and the other limits unchanged
     * @throws IllegalArgumentException when it is not 1 to {@link #MAX_CONNECTIONS}
     */
    public ProbeOptions withConnections(int connections) {
        return new ProbeOptions(connectTimeout, bannerWait, probeTimeout, maxBytes, connections);
    }
}
