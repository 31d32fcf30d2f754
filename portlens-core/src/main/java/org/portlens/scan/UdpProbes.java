package org.portlens.scan;

import java.nio.ByteBuffer;

/** The shared read-only datagrams of {@link UdpPayloads}. */
final class UdpProbes {

    static final ByteBuffer NUL = ByteBuffer.wrap(new byte[1]).asReadOnlyBuffer();
    /** A DNS query for the root's name servers: any DNS server answers it, if only to refuse. */
    static final ByteBuffer DNS = ByteBuffer.wrap(new byte[] {
                0x50, 0x4c, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // id, RD, 1 question
                0x00, 0x00, 0x02, 0x00, 0x01, // root name, type NS, class IN
            })
            .asReadOnlyBuffer();
    /** An NTP client request: leap unknown, version 4, mode 3. */
    static final ByteBuffer NTP = ntp();

    static final UdpPayloads WELL_KNOWN = new UdpPayloads() {
        @Override
        public ByteBuffer payload(int port) {
            return port == 53 ? DNS : port == 123 ? NTP : NUL;
        }
    };

    private UdpProbes() {}

    private static ByteBuffer ntp() {
        byte[] b = new byte[48];
        b[0] = (byte) 0xe3;
        return ByteBuffer.wrap(b).asReadOnlyBuffer();
    }
}
