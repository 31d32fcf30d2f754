package org.portlens.model;

import java.util.Locale;

/**
 * A transport protocol as IANA names them. Discovery covers {@link #TCP} and {@link #UDP}.
 *
 * <p>Immutable; safe from any thread.
 */
public enum Transport {
    /** Transmission Control Protocol. */
    TCP,
    /** User Datagram Protocol. */
    UDP,
    /** Stream Control Transmission Protocol: in the registry only. */
    SCTP,
    /** Datagram Congestion Control Protocol: in the registry only. */
    DCCP;

    /**
     * The lower-case name used by IANA and on the command line ({@code tcp}).
     *
     * @return {@code tcp}, {@code udp}, {@code sctp} or {@code dccp}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * True for the transports whose sockets portlens can list.
     *
     * @return true for {@link #TCP} and {@link #UDP}
     */
    public boolean discoverable() {
        return this == TCP || this == UDP;
    }

    /**
     * Parses {@code tcp}, {@code udp}, {@code sctp} or {@code dccp}, in any case.
     *
     * @param text the name, without spaces around it
     * @return the transport of that name
     * @throws IllegalArgumentException naming the value and what was expected
     */
    public static Transport parse(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "tcp":
                return TCP;
            case "udp":
                return UDP;
            case "sctp":
                return SCTP;
            case "dccp":
                return DCCP;
            default:
                throw new IllegalArgumentException("unknown transport '" + text + "': expected tcp, udp, sctp or dccp");
        }
    }
}
