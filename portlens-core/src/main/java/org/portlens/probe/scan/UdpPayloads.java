package org.portlens.probe.scan;

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
public interface UdpPayloads {

    /** One NUL byte to every port: the nearest the JDK gets to nmap's empty datagram. */
    UdpPayloads MINIMAL = new UdpPayloads() {
        @Override
        public ByteBuffer payload(int port) {
            return Probes.NUL;
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
        return Probes.WELL_KNOWN;
    }

    /** The shared read-only probe buffers. */
    final class Probes {
        static final ByteBuffer NUL = ByteBuffer.wrap(new byte[1]).asReadOnlyBuffer();
        static final ByteBuffer DNS = ByteBuffer.wrap(new byte[] {
            0x50, 0x4c, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // id, RD, 1 question
            0x00, 0x00, 0x02, 0x00, 0x01, // root name, type NS, class IN
        }).asReadOnlyBuffer();
        static final ByteBuffer NTP;
        static final UdpPayloads WELL_KNOWN = new UdpPayloads() {
            @Override
            public ByteBuffer payload(int port) {
                return port == 53 ? DNS : port == 123 ? NTP : NUL;
            }
        };

        static {
            byte[] ntp = new byte[48];
            ntp[0] = (byte) 0xe3; // leap unknown, version 4, mode 3 (client)
            NTP = ByteBuffer.wrap(ntp).asReadOnlyBuffer();
        }

        private Probes() {
        }
    }
}
