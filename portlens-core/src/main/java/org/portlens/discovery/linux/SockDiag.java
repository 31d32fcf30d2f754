package org.portlens.discovery.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * The kernel's sock_diag netlink protocol for TCP and UDP sockets ({@code include/uapi/linux/netlink.h},
 * {@code sock_diag.h}, {@code inet_diag.h}): the dump request portlens sends and the reading of the
 * replies. Works on bytes alone, so it is tested on recorded replies; sending and receiving is a
 * {@link NetlinkChannel}'s job. Netlink headers and the counters of {@code struct inet_diag_msg} are in
 * the host's byte order, addresses and ports in network order. Stateless; a {@link Reply} belongs to
 * one dump on one thread.
 */
final class SockDiag {

    static final int NETLINK_SOCK_DIAG = 4;
    static final int SOCK_DIAG_BY_FAMILY = 20;
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;
    static final int NLM_F_REQUEST = 0x1;
    /** NLM_F_ROOT | NLM_F_MATCH: every socket the request's filter lets through. */
    static final int NLM_F_DUMP = 0x300;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    /** The rtattr type of a filter program in a request. */
    static final int INET_DIAG_REQ_BYTECODE = 1;

    static final int INET_DIAG_BC_S_GE = 2;
    static final int INET_DIAG_BC_S_LE = 3;

    /** struct nlmsghdr. */
    static final int HEADER = 16;
    /** struct inet_diag_req_v2. */
    static final int REQUEST = 56;
    /** struct inet_diag_msg, before its attributes. */
    static final int MESSAGE = 72;
    /**
     * Bytes to receive a datagram into: the kernel fills a dump's datagrams up to the size of the
     * reader's buffer, at most 32 KiB ({@code netlink_dump} in net/netlink/af_netlink.c), so none is cut.
     */
    static final int RECEIVE_BUFFER = 64 * 1024;

    private SockDiag() {}

    /**
     * The socket states to ask for, as the bit set of {@code idiag_states}: TCP listeners, UDP sockets
     * in TCP_CLOSE (the state of an unconnected UDP socket, bound or not); with {@code withConnections}
     * also TCP_ESTABLISHED, which is both an established TCP connection and a connected UDP socket.
     */
    static int states(Transport t, boolean withConnections) {
        int listening = 1 << (t == Transport.TCP ? SocketEntry.LISTEN : SocketEntry.CLOSE);
        return withConnections ? listening | 1 << SocketEntry.ESTABLISHED : listening;
    }

    /**
     * A dump request: {@code struct nlmsghdr}, {@code struct inet_diag_req_v2} with an empty socket id,
     * and, for a port range, a filter program that keeps sockets whose local port is in it
     * ({@code inet_diag_bc_run} in net/ipv4/inet_diag.c). Established TCP and connected UDP sockets are
     * asked for only with a range, as {@link SocketTables} counts them only then.
     *
     * @param t     tcp or udp
     * @param ipv6  AF_INET6 sockets, else AF_INET
     * @param ports the local ports to keep; empty for every port
     * @param seq   the request's sequence number, which every reply to it carries
     * @return the request, position 0, in the host's byte order
     */
    static ByteBuffer request(Transport t, boolean ipv6, Optional<PortRange> ports, int seq) {
        int filter = ports.isPresent() ? 4 + 16 : 0;
        int length = HEADER + REQUEST + filter;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putInt(length);
        b.putShort((short) SOCK_DIAG_BY_FAMILY);
        b.putShort((short) (NLM_F_REQUEST | NLM_F_DUMP));
        b.putInt(seq);
        b.putInt(0); // port id: the kernel's
        b.put((byte) (ipv6 ? AF_INET6 : AF_INET));
        b.put((byte) (t == Transport.TCP ? IPPROTO_TCP : IPPROTO_UDP));
        b.put((byte) 0); // idiag_ext: no extensions
        b.put((byte) 0);
        b.putInt(states(t, ports.isPresent()));
        b.position(b.position() + 48); // struct inet_diag_sockid: any
        if (ports.isPresent()) {
            // rtattr, then two comparisons of 8 bytes each: {code, yes, no} and a second op whose "no" is
            // the port. "yes" jumps to the next op; "no" jumps 4 bytes past the end, which rejects.
            b.putShort((short) (4 + 16));
            b.putShort((short) INET_DIAG_REQ_BYTECODE);
            b.put((byte) INET_DIAG_BC_S_GE).put((byte) 8).putShort((short) (16 + 4));
            b.putShort((short) 0).putShort((short) ports.get().low());
            b.put((byte) INET_DIAG_BC_S_LE).put((byte) 8).putShort((short) (8 + 4));
            b.putShort((short) 0).putShort((short) ports.get().high());
        }
        return b.flip();
    }

    /**
     * The replies to one dump request, datagram by datagram: the listening sockets on the request's
     * ports, and the connections counted there. A dump ends with {@code NLMSG_DONE}; an error is an
     * {@code NLMSG_ERROR} before it starts or an {@code NLMSG_DONE} carrying a negative errno.
     */
    static final class Reply {
        private final Transport transport;
        private final int seq;
        private final Optional<PortRange> ports;
        private final List<SocketEntry> listening = new ArrayList<>();
        private int established;
        private int connectedUdp;
        private boolean done;

        /**
         * @param transport what the request asked for: tcp or udp
         * @param seq       the request's sequence number; messages with another are skipped
         * @param ports     the ports the request asked for; empty for every port
         */
        Reply(Transport transport, int seq, Optional<PortRange> ports) {
            this.transport = transport;
            this.seq = seq;
            this.ports = ports;
        }

        /**
         * Reads one datagram, from its position to its limit.
         *
         * @return true once the dump has ended
         * @throws IOException when the kernel reports an error, or a message is cut off or overruns
         */
        boolean accept(ByteBuffer datagram) throws IOException {
            ByteBuffer d = datagram.duplicate().order(ByteOrder.nativeOrder());
            int at = d.position();
            int end = d.limit();
            while (!done && end - at >= HEADER) {
                int length = d.getInt(at);
                int type = d.getShort(at + 4) & 0xffff;
                if (length < HEADER || length > end - at) {
                    throw new IOException(
                            "sock_diag: message cut off: length " + length + " with " + (end - at) + " bytes left");
                }
                if (d.getInt(at + 8) == seq) {
                    message(d, at, length, type);
                }
                at += (length + 3) & ~3;
            }
            if (!done && at < end) {
                throw new IOException("sock_diag: message cut off: " + (end - at) + " bytes, less than a header");
            }
            return done;
        }

        private void message(ByteBuffer d, int at, int length, int type) throws IOException {
            switch (type) {
                case NLMSG_DONE -> {
                    // a dump that failed says so here, as a negative errno; one that ended well, 0
                    int status = length >= HEADER + 4 ? d.getInt(at + HEADER) : 0;
                    if (status < 0) {
                        throw new IOException("sock_diag: the dump failed: errno " + -status);
                    }
                    done = true;
                }
                case NLMSG_ERROR -> {
                    if (length < HEADER + 4) {
                        throw new IOException("sock_diag: error message cut off: length " + length);
                    }
                    int error = d.getInt(at + HEADER);
                    if (error != 0) { // 0 is an acknowledgement
                        throw new IOException("sock_diag: the kernel refused the request: errno " + -error);
                    }
                }
                case NLMSG_OVERRUN -> throw new IOException("sock_diag: the kernel dropped part of the dump (overrun)");
                case SOCK_DIAG_BY_FAMILY -> {
                    if (length < HEADER + MESSAGE) {
                        throw new IOException("sock_diag: socket message cut off: length " + length);
                    }
                    socket(d, at + HEADER);
                }
                default -> {
                    // NLMSG_NOOP, and types this reader does not know
                }
            }
        }

        /** One {@code struct inet_diag_msg} at {@code m}. */
        private void socket(ByteBuffer d, int m) {
            int family = d.get(m) & 0xff;
            int state = d.get(m + 1) & 0xff;
            int localPort = ((d.get(m + 4) & 0xff) << 8) | (d.get(m + 5) & 0xff);
            int remotePort = ((d.get(m + 6) & 0xff) << 8) | (d.get(m + 7) & 0xff);
            if (ports.isPresent() && !ports.get().contains(localPort)) {
                return;
            }
            boolean listens = transport == Transport.TCP
                    ? state == SocketEntry.LISTEN
                    : state == SocketEntry.CLOSE && remotePort == 0;
            if (!listens) {
                if (state == SocketEntry.ESTABLISHED) {
                    if (transport == Transport.TCP) {
                        established++;
                    } else {
                        connectedUdp++;
                    }
                }
                return;
            }
            boolean ipv6 = family == AF_INET6;
            int size = ipv6 ? 16 : 4;
            byte[] local = new byte[size];
            byte[] remote = new byte[size];
            d.get(m + 8, local);
            d.get(m + 24, remote);
            int uid = d.getInt(m + 64);
            long inode = d.getInt(m + 68) & 0xffffffffL;
            listening.add(new SocketEntry(transport, ipv6, local, localPort, remote, remotePort, state, uid, inode));
        }

        /** The listening sockets on the request's ports, in the kernel's order. */
        List<SocketEntry> listening() {
            return listening;
        }

        /** Established TCP connections on the request's ports. */
        int established() {
            return established;
        }

        /** Connected UDP sockets on the request's ports. */
        int connectedUdp() {
            return connectedUdp;
        }
    }
}
