package org.portlens.registry;

import java.util.Locale;

/**
 * IANA's three port ranges (RFC 6335, section 6).
 *
 * <p>Immutable; safe from any thread.
 */
public enum RangeClass {
    SYSTEM(
            0,
            1023,
            "System Ports (well-known)",
            "assigned by IETF review; on Linux only root or CAP_NET_BIND_SERVICE can bind them"
                    + " (unless net.ipv4.ip_unprivileged_port_start is lowered)"),
    USER(
            1024,
            49151,
            "User Ports (registered)",
            "assigned by IANA on application, but any program may bind them; registration does not mean use"),
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

    public static RangeClass of(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        return port <= 1023 ? SYSTEM : port <= 49151 ? USER : DYNAMIC;
    }

    public int low() {
        return low;
    }

    public int high() {
        return high;
    }

    public String title() {
        return title;
    }

    public String meaning() {
        return meaning;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
