package org.portlens.discovery.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.discovery.linux.proc.Status;
import org.portlens.discovery.linux.proc.UserDirectory;
import org.portlens.internal.Text;
import org.portlens.model.Coverage;
import org.portlens.model.EphemeralRange;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.PortRange;

/**
 * Linux sockets from /proc: the socket tables of every network namespace a process is in, and the
 * owners found by reading each process's file descriptors. Safe for concurrent use: each read is
 * independent.
 */
public final class LinuxSocketTable implements SocketTable {

    private static final String PORT_RANGE = "sys/net/ipv4/ip_local_port_range";

    private static final Comparator<Listener> ORDER = Comparator.comparing((Listener l) -> l.transport())
            .thenComparingInt(l -> l.local().port())
            .thenComparing(l -> l.local().address())
            .thenComparing(l -> !l.namespace().current())
            .thenComparingLong(l -> l.namespace().inode());

    private final ProcRoot root;
    private final UserDirectory users;
    private final SocketLister tables;
    private final int viewerUid;

    /**
     * @param root      the /proc tree
     * @param users     user names
     * @param netnsDirs directories of named network namespaces ({@code /run/netns})
     * @param viewerUid the effective uid portlens runs as (0 sees everything, -1 when unknown)
     */
    LinuxSocketTable(ProcRoot root, UserDirectory users, List<Path> netnsDirs, int viewerUid) {
        this(root, users, new SocketTables(root, netnsDirs), viewerUid);
    }

    /**
     * @param root      the /proc tree
     * @param users     user names
     * @param tables    where the sockets are listed from
     * @param viewerUid the effective uid portlens runs as (0 sees everything, -1 when unknown)
     */
    LinuxSocketTable(ProcRoot root, UserDirectory users, SocketLister tables, int viewerUid) {
        this.root = root;
        this.users = users;
        this.tables = tables;
        this.viewerUid = viewerUid;
    }

    /** The live system, as the user running portlens sees it. */
    public static LinuxSocketTable system() {
        ProcRoot root = ProcRoot.system();
        int uid;
        try {
            uid = Status.parse(root.read("self/status")).euid();
        } catch (IOException | RuntimeException e) {
            uid = -1;
        }
        List<Path> netnsDirs = List.of(Path.of("/run/netns"), Path.of("/var/run/docker/netns"));
        return new LinuxSocketTable(root, UserDirectory.system(), SocketListers.best(root, netnsDirs), uid);
    }

    @Override
    public Discovery read(Query query) {
        List<Integer> pids;
        try {
            pids = root.pids();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list processes in " + root.path() + ": " + e.getMessage(), e);
        }
        boolean privileged = viewerUid == 0;

        // The descriptors are read on the other cores while this thread reads the socket tables:
        // both are mostly kernel time (bench/README.md).
        FdIndex.Scan fdScan = FdIndex.start(root, pids);
        SocketTables.Result found = tables.read(pids, query, privileged);
        FdIndex fds = fdScan.finish(found.inodes());

        OwnerResolver owners = new OwnerResolver(root, users, fds, viewerUid);
        List<Listener> listeners = new ArrayList<>(found.sockets().size());
        for (SocketTables.Found f : found.sockets()) {
            SocketEntry e = f.entry();
            listeners.add(new Listener(
                    e.transport(),
                    f.local(),
                    ListenerState.of(e.transport()),
                    e.uid(),
                    users.name(e.uid()),
                    e.inode(),
                    f.ns(),
                    owners.owners(e)));
        }
        listeners.sort(ORDER);

        List<String> notes = new ArrayList<>(found.notes());
        notes.addAll(owners.notes());
        Coverage coverage = new Coverage(
                privileged,
                fds.scanned(),
                fds.unreadable(),
                fds.vanished(),
                owners.hidden(),
                owners.gone(),
                found.malformed(),
                notes);
        return new Discovery(listeners, found.established(), found.connectedUdp(), coverage);
    }

    /**
     * The range in /proc/sys/net/ipv4/ip_local_port_range.
     *
     * @return the range, or empty when the file is missing or does not hold two ports, low first
     */
    @Override
    public Optional<EphemeralRange> ephemeralRange() {
        String[] f = Text.splitWhitespace(root.readOrEmpty(PORT_RANGE));
        if (f.length != 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new EphemeralRange(
                    new PortRange(Integer.parseInt(f[0]), Integer.parseInt(f[1])),
                    root.path().resolve(PORT_RANGE).toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
