package org.portlens.model;

import java.util.Locale;

/**
 * Where a socket is bound, which decides who can reach it.
 *
 * <p>Immutable; safe from any thread.
 */
public enum BindScope {
    /** 127.0.0.0/8 or ::1: only this host (this network namespace) can connect. */
    LOOPBACK("loopback only"),
    /** 0.0.0.0 or ::: every interface, so the network can connect if no firewall stops it. */
    ALL("all interfaces"),
    /** One specific, non-loopback address. */
    ADDRESS("one address");

    private final String description;

    BindScope(String description) {
        this.description = description;
    }

    /**
     * The scope in a few words for a person.
     *
     * @return {@code loopback only}, {@code all interfaces} or {@code one address}
     */
    public String description() {
        return description;
    }

    /**
     * The name in lower case, as in JSON.
     *
     * @return {@code loopback}, {@code all} or {@code address}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
