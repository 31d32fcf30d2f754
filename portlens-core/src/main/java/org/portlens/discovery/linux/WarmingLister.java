package org.portlens.discovery.linux;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.Query;

/**
 * The default where netlink is possible: the proc files, or sock_diag netlink ({@link NetlinkLister})
 * once it pays. Binding the foreign calls costs about as much CPU as one read of the proc files of a
 * host with some {@value #NETLINK_FROM} sockets in its tables (bench/README.md, "Listing sockets"), so:
 *
 * <ul>
 *   <li>a read of namespaces whose sockstat counters announce at least {@value #NETLINK_FROM} rows binds
 *       at once, on the reading thread, and lists over netlink (a one-shot {@code portlens ls} on a very
 *       busy host: the kernel then skips the connections instead of printing them for us to parse);
 *   <li>otherwise the proc files; a program that reads again (watch) starts binding on a background
 *       thread at its second read and lists over netlink from the first read after that is done.
 * </ul>
 *
 * Safe from any thread.
 */
final class WarmingLister implements SocketLister {

    /** Rows in the tables (connections included) from which one read is cheaper over netlink, binding included. */
    static final long NETLINK_FROM = 50_000;

    private final ProcRoot root;
    private final SocketTables proc;
    private final long netlinkFrom;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicBoolean binding = new AtomicBoolean();
    private volatile @Nullable NetlinkLister netlink;

    /**
     * @param root the /proc tree
     * @param proc the proc-file lister, used until netlink is bound, and for good if it cannot be
     */
    WarmingLister(ProcRoot root, SocketTables proc) {
        this(root, proc, NETLINK_FROM);
    }

    /**
     * @param netlinkFrom rows from which a read binds netlink at once (tests lower it)
     */
    WarmingLister(ProcRoot root, SocketTables proc, long netlinkFrom) {
        this.root = root;
        this.proc = proc;
        this.netlinkFrom = netlinkFrom;
    }

    @Override
    public SocketTables.Result read(List<Integer> pids, Query query, boolean privileged) {
        SocketTables.Namespaces namespaces = proc.namespaces(pids, privileged);
        NetlinkLister ready = netlink;
        if (ready == null && proc.rows(namespaces) >= netlinkFrom) {
            binding.set(true);
            bind(); // the background binding, if one started, finds the same opener: it is made once per JVM
            ready = netlink;
        }
        if (ready != null) {
            return ready.read(namespaces, query);
        }
        if (reads.incrementAndGet() >= 2 && binding.compareAndSet(false, true)) {
            Thread t = new Thread(this::bind, "portlens-netlink-bind");
            t.setDaemon(true);
            t.start();
        }
        return proc.read(namespaces, query);
    }

    private void bind() {
        NetlinkSupport.opener().ifPresent(o -> netlink = new NetlinkLister(root, proc, o));
    }

    /** The lister in use now: {@code proc files} until netlink is bound, then {@code netlink sock_diag}. */
    @Override
    public String name() {
        SocketLister ready = netlink;
        return ready != null ? ready.name() : proc.name();
    }
}
