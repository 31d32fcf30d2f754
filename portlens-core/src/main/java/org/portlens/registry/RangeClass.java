package org.portlens.registry;

import java.util.Locale;

/**
 * IANA's three port ranges (RFC 6335, section 6).
 *
 * <p>Immutable; safe from any thread.
 */
public enum RangeClass {
    /** Ports 0-1023. */
    SYSTEM(
            0,
            1023,
            "System Ports (well-known)",
            "assigned by IETF review; on Linux only root or CAP_NET_BIND_SERVICE can bind them"
                    + " (unless net.ipv4.ip_unprivileged_port_start is lowered)"),
    /** Ports 1024-49151. */
    USER(
            1024,
            49151,
            "User Ports (registered)",
            "assigned by IANA on application, but any program may bind them; registration does not mean use"),
    /** Ports 49152-65535. */
    DYNAMIC(
            49152,
            65535,
            "Dynamic and/or Private Ports",
            "never assigned by IANA; operating systems pick outgoing (ephemeral) ports here");

    private final int low;
    private final int high;
    private final String title;
    private final String meaning;

    RangeClass(int low, int high, String title, String meaning) {
        this.low = low;
        this.high = high;
        this.title = title;
        this.meaning = meaning;
    }

    /**
     * The range a port falls in.
     *
     * @param port the port, 0-65535
     * @return the range that holds it
     * @throws IllegalArgumentException for a port outside 0-65535
     */
    public static RangeClass of(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        return port <= 1023 ? SYSTEM : port <= 49151 ? USER : DYNAMIC;
    }

    /**
     * The first port of the range.
     *
     * @return 0, 1024 or 49152
     */
    public int low() {
        return low;
    }

    /**
     * The last port of the range.
     *
     * @return 1023, 49151 or 65535
     */
    public int high() {
        return high;
    }

    /**
     * IANA's name for the range.
     *
     * @return such as {@code "User Ports (registered)"}
     */
    public String title() {
        return title;
    }

    /**
     * What the range means for who may bind its ports and how IANA assigns them.
     *
     * @return one line for a person
     */
    public String meaning() {
        return meaning;
    }

    /**
     * The name in lower case, as in JSON.
     *
     * @return {@code system}, {@code user} or {@code dynamic}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
