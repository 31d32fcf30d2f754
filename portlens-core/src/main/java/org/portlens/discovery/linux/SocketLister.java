package org.portlens.discovery.linux;

import java.util.List;
import org.portlens.discovery.Query;

/**
 * Lists the sockets of every network namespace a process is in, without their owners: the proc
 * files ({@link SocketTables}), or the kernel's sock_diag netlink interface where the JDK can call
 * it. Implementations are immutable and safe from any thread; each read is independent.
 */
interface SocketLister {

    /**
     * Reads the sockets of every namespace one of {@code pids} is in.
     *
     * @param pids       the visible processes, whose {@code ns/net} links name the namespaces
     * @param query      which transports and ports to keep
     * @param privileged whether portlens runs as root (then no note about unreadable namespaces)
     * @return the listening sockets, counts and notes
     */
    SocketTables.Result read(List<Integer> pids, Query query, boolean privileged);

    /** How this lister reads: {@code proc files} or {@code netlink sock_diag}, for debug output. */
    String name();
}
