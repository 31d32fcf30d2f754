package org.portlens.model;

/**
 * Why a socket counts as a listener: a TCP socket in LISTEN, or a bound, unconnected UDP socket.
 *
 * <p>Immutable; safe from any thread.
 */
public enum ListenerState {
    /** A TCP socket accepting connections. */
    LISTEN,
    /** A UDP socket bound to a port and connected to no peer: it takes datagrams from anyone. */
    UNCONN;

    /**
     * The state for a listener of this transport.
     *
     * @param transport the listener's transport
     * @return {@link #UNCONN} for UDP, {@link #LISTEN} for any other
     */
    public static ListenerState of(Transport transport) {
        return transport == Transport.UDP ? UNCONN : LISTEN;
    }

    /**
     * {@code LISTEN} or {@code UNCONN}, as ss prints them.
     *
     * @return the constant's name
     */
    public String label() {
        return name();
    }
}
