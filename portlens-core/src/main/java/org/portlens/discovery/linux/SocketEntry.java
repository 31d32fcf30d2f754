package org.portlens.discovery.linux;

import org.portlens.model.Transport;

/**
 * One line of /proc/net/{tcp,tcp6,udp,udp6}. The address arrays are the parser's own, not copied:
 * nothing may change them.
 *
 * @param transport   tcp or udp
 * @param ipv6        from a tcp6/udp6 file
 * @param local       local address bytes, network order (4 or 16)
 * @param localPort   local port
 * @param remote      remote address bytes
 * @param remotePort  remote port (0 when unconnected)
 * @param state       the kernel's TCP state number (0x0A listen, 0x01 established, 0x07 close)
 * @param uid         the socket's uid
 * @param inode       the socket's inode (0 for some kernel sockets)
 */
record SocketEntry(
        Transport transport,
        boolean ipv6,
        byte[] local,
        int localPort,
        byte[] remote,
        int remotePort,
        int state,
        int uid,
        long inode) {

    static final int ESTABLISHED = 0x01;
    static final int CLOSE = 0x07;
    static final int LISTEN = 0x0A;

    /** A TCP listener, or a UDP socket with no peer (UDP "listening"). */
    boolean listening() {
        return transport == Transport.TCP ? state == LISTEN : state == CLOSE && remotePort == 0;
    }
}
