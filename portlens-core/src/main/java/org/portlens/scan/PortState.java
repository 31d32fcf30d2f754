package org.portlens.scan;

import org.jspecify.annotations.Nullable;

/** What a scan learned about one port, in nmap's words. Immutable, like every enum. */
public enum PortState {
    /** TCP: the connection was accepted. UDP: the port answered. */
    OPEN("open"),
    /** TCP: refused (a reset, or ICMP port unreachable). UDP: ICMP port unreachable came back. */
    CLOSED("closed"),
    /** No answer within the timeout (TCP), or an ICMP error other than "port unreachable" (TCP and UDP). */
    FILTERED("filtered"),
    /** UDP only: silence, which an open service that ignored the probe and a firewall that dropped it both give. */
    OPEN_FILTERED("open|filtered");

    private static final PortState[] VALUES = values();

    private final String label;

    PortState(String label) {
        this.label = label;
    }

    /**
     * The lower-case name nmap prints ({@code open|filtered}).
     *
     * @return {@code open}, {@code closed}, {@code filtered} or {@code open|filtered}
     */
    public String label() {
        return label;
    }

    /** The compact code the scanners store per port: 0 means "not scanned". */
    byte code() {
        return (byte) (ordinal() + 1);
    }

    /** The state for a {@link #code()}; null for 0. */
    static @Nullable PortState ofCode(byte code) {
        return code == 0 ? null : VALUES[code - 1];
    }
}
