package org.portlens.discovery.linux;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.portlens.discovery.Query;
import org.portlens.model.Transport;

/**
 * Lists sockets by asking the kernel over sock_diag netlink ({@link SockDiag}) for the listening ones
 * only, instead of reading every socket's line in the proc files: on a host with thousands of
 * connections that is most of the cost of a read (bench/README.md). The namespaces, their names and
 * the dual-stack endpoints are {@link SocketTables}'s; a namespace that netlink cannot read (no
 * privilege to enter it, an errno, a reply cut off) is read from its proc files instead, so the result
 * is the one {@link SocketTables} gives. Immutable; safe from any thread, each read is independent.
 */
final class NetlinkLister implements SocketLister {

    private static final Transport[] TRANSPORTS = {Transport.TCP, Transport.UDP};

    private final ProcRoot root;
    private final SocketTables tables;
    private final NetlinkChannel.Opener opener;

    /**
     * @param root   the /proc tree, where other namespaces are named ({@code PID/ns/net})
     * @param tables the proc-file lister: namespaces, endpoints, and the tables of a namespace netlink misses
     * @param opener opens the sockets
     */
    NetlinkLister(ProcRoot root, SocketTables tables, NetlinkChannel.Opener opener) {
        this.root = root;
        this.tables = tables;
        this.opener = opener;
    }

    @Override
    public String name() {
        return "netlink sock_diag";
    }

    @Override
    public SocketTables.Result read(List<Integer> pids, Query query, boolean privileged) {
        return read(tables.namespaces(pids, privileged), query);
    }

    /**
     * Reads the namespaces found by {@link SocketTables#namespaces}; a namespace netlink cannot read,
     * from its proc files.
     */
    SocketTables.Result read(SocketTables.Namespaces namespaces, Query query) {
        SocketTables.Tally tally = tables.tally(query);
        for (SocketTables.Namespace n : namespaces.all()) {
            Optional<List<SockDiag.Reply>> replies = dump(n, query);
            if (replies.isEmpty()) {
                tally.readTables(n); // the same sockets, from the proc files; their notes if unreadable
                continue;
            }
            for (SockDiag.Reply r : replies.get()) {
                tally.add(n.ns(), r.listening(), r.established(), r.connectedUdp());
            }
        }
        return tally.result(namespaces.notes());
    }

    /**
     * The four dumps of one namespace (tcp, tcp6, udp, udp6; those the query asks for), all or none.
     *
     * @return empty when any of them failed
     */
    private Optional<List<SockDiag.Reply>> dump(SocketTables.Namespace n, Query query) {
        List<SockDiag.Reply> replies = new ArrayList<>(4);
        try (NetlinkChannel channel = n.pid() == 0
                ? opener.open()
                : opener.openIn(root.pidDir(n.pid()).resolve("ns/net"))) {
            int seq = 0;
            for (Transport t : TRANSPORTS) {
                if (!query.transports().contains(t)) {
                    continue;
                }
                for (boolean ipv6 : new boolean[] {false, true}) {
                    seq++;
                    SockDiag.Reply reply = new SockDiag.Reply(t, seq, query.ports());
                    channel.send(SockDiag.request(t, ipv6, query.ports(), seq));
                    while (!reply.accept(channel.receive())) {
                        // the next datagram of the dump
                    }
                    replies.add(reply);
                }
            }
            return Optional.of(replies);
        } catch (IOException | RuntimeException | LinkageError e) {
            // an errno, a refused setns, a cut-off reply, or the foreign calls failing in this JVM:
            // this namespace is read from its proc files
            return Optional.empty();
        }
    }
}
