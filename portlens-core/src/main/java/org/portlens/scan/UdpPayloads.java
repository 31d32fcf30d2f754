package org.portlens.scan;

import java.nio.ByteBuffer;

/**
 * What datagram to send to a UDP port. Many UDP services ignore a datagram they cannot parse
 * (silence reads as open|filtered) but answer a request in their own protocol, which proves the
 * port open.
 *
 * <p>The JDK cannot send a zero-length datagram ({@code DatagramChannel.write} and {@code send} of an
 * empty buffer return 0 without sending anything, JDK 17), so the smallest probe is one NUL byte, and
 * an empty payload is sent as that.
 */
@FunctionalInterface
interface UdpPayloads {

    /** One NUL byte to every port: the nearest the JDK gets to nmap's empty datagram. */
    UdpPayloads MINIMAL = new UdpPayloads() {
        @Override
        public ByteBuffer payload(int port) {
            return UdpProbes.NUL;
        }
    };

    /**
     * The datagram for {@code port}; the scanner sends a duplicate of it, so one shared read-only buffer
     * may be returned for many ports.
     */
    ByteBuffer payload(int port);

    /**
     * A request that gets an answer from the usual service on a few well-known ports (53 DNS: a query for
     * the root's name servers; 123 NTP: a client request); {@link #MINIMAL} elsewhere.
     */
    static UdpPayloads wellKnown() {
        return UdpProbes.WELL_KNOWN;
    }
}
