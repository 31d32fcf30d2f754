package org.portlens.discovery.linux;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.Query;

/**
 * The default where netlink is possible: the proc files for the first reads, and sock_diag netlink
 * ({@link NetlinkLister}) once it is bound. Binding the foreign calls costs more CPU than one read of
 * the proc files of a busy host (bench/README.md, "Listing sockets"), so a program that reads once
 * (portlens ls, portlens PORT) never binds; one that reads again (watch) starts binding on a
 * background thread at its second read and lists over netlink from the first read after that is done.
 * Safe from any thread.
 */
final class WarmingLister implements SocketLister {

    private final ProcRoot root;
    private final SocketTables proc;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicBoolean binding = new AtomicBoolean();
    private volatile @Nullable SocketLister netlink;

    /**
     * @param root the /proc tree
     * @param proc the proc-file lister, used until netlink is bound, and for good if it cannot be
     */
    WarmingLister(ProcRoot root, SocketTables proc) {
        this.root = root;
        this.proc = proc;
    }

    @Override
    public SocketTables.Result read(List<Integer> pids, Query query, boolean privileged) {
        SocketLister ready = netlink;
        if (ready != null) {
            return ready.read(pids, query, privileged);
        }
        if (reads.incrementAndGet() >= 2 && binding.compareAndSet(false, true)) {
            Thread t = new Thread(this::bind, "portlens-netlink-bind");
            t.setDaemon(true);
            t.start();
        }
        return proc.read(pids, query, privileged);
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
