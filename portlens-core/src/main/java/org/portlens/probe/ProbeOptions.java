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
 */
public record ProbeOptions(Duration connectTimeout, Duration bannerWait, Duration probeTimeout, int maxBytes) {

    /**
     * Checks every limit, naming the value that is out of range.
     *
     * @param connectTimeout positive
     * @param bannerWait     zero or more; zero does not wait
     * @param probeTimeout   positive
     * @param maxBytes       at least 64
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
    }

    /**
     * For this host's own listeners (portlens PORT): loopback answers in microseconds, so a silent
     * listener costs at most about 1.7 s instead of 5.5 s.
     *
     * @return a 300 ms connect timeout, a 150 ms banner wait, 250 ms per probe and 16 KiB read at most
     */
    public static ProbeOptions loopback() {
        return new ProbeOptions(Duration.ofMillis(300), Duration.ofMillis(150), Duration.ofMillis(250), 16 * 1024);
    }

    /**
     * For any host: a connect may take 1 s, the banner wait is 300 ms, each probe 700 ms, 16 KiB read at most.
     *
     * @return the default options
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
        return new ProbeOptions(connectTimeout, bannerWait, probeTimeout, maxBytes);
    }

    /**
     * These options with another banner wait; zero does not wait at all.
     *
     * @param bannerWait how long to wait for a server that speaks first
     * @return a copy with that wait and the other limits unchanged
     * @throws IllegalArgumentException when it is negative
     */
    public ProbeOptions withBannerWait(Duration bannerWait) {
        return new ProbeOptions(connectTimeout, bannerWait, probeTimeout, maxBytes);
    }

    /**
     * These options with another wait for each probe's answer.
     *
     * @param probeTimeout how long to wait for the answer to each probe
     * @return a copy with that timeout and the other limits unchanged
     * @throws IllegalArgumentException when it is not positive
     */
    public ProbeOptions withProbeTimeout(Duration probeTimeout) {
        return new ProbeOptions(connectTimeout, bannerWait, probeTimeout, maxBytes);
    }

    /**
     * These options with another limit on the bytes read from one exchange.
     *
     * @param maxBytes the most bytes read from any one exchange
     * @return a copy with that limit and the others unchanged
     * @throws IllegalArgumentException when it is below 64
     */
    public ProbeOptions withMaxBytes(int maxBytes) {
        return new ProbeOptions(connectTimeout, bannerWait, probeTimeout, maxBytes);
    }
}
