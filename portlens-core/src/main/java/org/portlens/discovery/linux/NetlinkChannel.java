package org.portlens.discovery.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One {@code NETLINK_SOCK_DIAG} socket: the system calls a netlink read needs, and nothing of the
 * protocol ({@link SockDiag}). Used by one thread at a time; closed after one read.
 */
interface NetlinkChannel extends AutoCloseable {

    /**
     * Sends one request to the kernel.
     *
     * @param request the bytes from its position to its limit
     * @throws IOException with the errno when the kernel does not take it
     */
    void send(ByteBuffer request) throws IOException;

    /**
     * Receives the next datagram.
     *
     * @return its bytes, from position 0 to the limit; valid until the next call or {@link #close()}
     * @throws IOException with the errno when nothing can be received
     */
    ByteBuffer receive() throws IOException;

    /** Closes the socket; never throws. */
    @Override
    void close();

    /** Opens sock_diag sockets. Safe from any thread. */
    interface Opener {

        /**
         * A socket in portlens's own network namespace.
         *
         * @return the open socket
         * @throws IOException when it cannot be opened
         */
        NetlinkChannel open() throws IOException;

        /**
         * A socket in another network namespace: the kernel answers a netlink socket about the
         * namespace it was opened in.
         *
         * @param namespace a file that names the namespace ({@code /proc/PID/ns/net})
         * @return the open socket
         * @throws IOException when it cannot be opened there, e.g. without the privilege to enter it
         */
        NetlinkChannel openIn(Path namespace) throws IOException;
    }
}
