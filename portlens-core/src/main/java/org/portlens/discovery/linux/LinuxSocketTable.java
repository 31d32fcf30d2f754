package org.portlens.discovery.linux;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.internal.Addresses;
import org.portlens.model.BindScope;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.Transport;
import org.portlens.discovery.linux.proc.Status;
import org.portlens.discovery.linux.proc.UserDirectory;

/**
 * Linux sockets from /proc: the socket tables of every network namespace a process is in, and the
 * owners found by reading each process's file descriptors.
 */
public final class LinuxSocketTable implements SocketTable {

    private static final String[][] FILES = {{"tcp", "tcp"}, {"tcp6", "tcp"}, {"udp", "udp"}, {"udp6", "udp"}};

    private final ProcRoot root;
    private final UserDirectory users;
    private final List<Path> netnsDirs;
    private final int viewerUid;

    /**
     * @param root      the /proc tree
     * @param users     user names
     * @param netnsDirs directories of named network namespaces ({@code /run/netns})
     * @param viewerUid the effective uid portlens runs as (0 sees everything)
     */
    public LinuxSocketTable(ProcRoot root, UserDirectory users, List<Path> netnsDirs, int viewerUid) {
        this.root = root;
        this.users = users;
        this.netnsDirs = List.copyOf(netnsDirs);
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
        return new LinuxSocketTable(root, UserDirectory.system(), List.of(Path.of("/run/netns"), Path.of("/var/run/docker/netns")), uid);
    }

    /** One socket found in a namespace's tables. */
    private record Found(SocketEntry entry, NetNamespace ns) {
    }

    @Override
    public Discovery read(Query query) {
        List<String> notes = new ArrayList<>();
        List<Integer> pids;
        try {
            pids = root.pids();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list processes in " + root.path() + ": " + e.getMessage(), e);
        }
        boolean privileged = viewerUid == 0;

        // 0. Start reading every process's descriptors now, on the other cores, while this thread
        //    reads the socket tables: both are mostly kernel time (bench/README.md).
        FdScanner fdScanner = new FdScanner(pids);
        fdScanner.start();

        // 1. Network namespaces: ours, and every other one a readable process is in.
        long currentNs = nsInode(root.path().resolve("self/ns/net"));
        Map<Long, Integer> otherNs = new LinkedHashMap<>();
        int nsHidden = 0;
        for (int pid : pids) {
            long ns;
            try {
                ns = parseNsLink(root.readLink(pid, "ns/net"));
            } catch (AccessDeniedException e) {
                nsHidden++;
                continue;
            } catch (IOException e) {
                continue;
            }
            if (ns != 0 && ns != currentNs) {
                otherNs.putIfAbsent(ns, pid);
            }
        }
        Map<Long, String> names = namespaceNames();

        // 2. Socket tables.
        List<Found> found = new ArrayList<>();
        int[] counts = new int[3]; // established, connected udp, malformed
        NetNamespace current = new NetNamespace(currentNs, names.getOrDefault(currentNs, ""), true);
        readTables("net/", current, query, found, counts, notes);
        for (Map.Entry<Long, Integer> e : otherNs.entrySet()) {
            NetNamespace ns = new NetNamespace(e.getKey(), names.getOrDefault(e.getKey(), ""), false);
            readTables(e.getValue() + "/net/", ns, query, found, counts, notes);
        }
        if (nsHidden > 0 && !privileged) {
            notes.add("the network namespaces of " + nsHidden + " processes of other users could not be read;"
                    + " listeners inside other namespaces may be missing (run as root to see them)");
        }

        // 3. Owners: match the descriptors read meanwhile against the sockets found.
        Map<Long, List<int[]>> owners = new HashMap<>();
        for (Found f : found) {
            if (f.entry().inode() != 0) {
                owners.put(f.entry().inode(), new ArrayList<>(1));
            }
        }
        if (owners.isEmpty()) {
            fdScanner.cancel(); // nothing to look for: don't wait for the rest of the descriptors
        }
        FdScan[] parts = fdScanner.finish();
        int scanned = 0;
        int unreadable = 0;
        int vanished = 0;
        List<Integer> unreadablePids = new ArrayList<>();
        for (FdScan part : parts) {
            scanned += part.scanned;
            unreadable += part.unreadable;
            vanished += part.vanished;
            for (int p : part.unreadablePids) {
                if (unreadablePids.size() < 5) {
                    unreadablePids.add(p);
                }
            }
            for (int i = 0; i < part.size; i++) {
                List<int[]> holders = owners.get(part.inodes[i]);
                if (holders != null) {
                    holders.add(new int[] {(int) (part.pidFds[i] >>> 32), (int) part.pidFds[i]});
                }
            }
        }
        for (List<int[]> holders : owners.values()) {
            holders.sort(Comparator.comparingInt((int[] h) -> h[0]).thenComparingInt(h -> h[1]));
        }
        if (unreadable > 0 && !privileged) {
            notes.add(unreadable + " processes of other users could not be read; run as root to see what they hold");
        } else if (unreadable > 0) {
            notes.add("the descriptors of " + unreadable + " process(es) could not be read even as root (pid "
                    + joinPids(unreadablePids, unreadable) + "): the kernel or a security policy (sandbox, LSM) denied it");
        }

        // 4. Listeners, with owners and reasons.
        LinuxProcessReader reader = new LinuxProcessReader(root, users);
        String bindV6Only = readQuietly("sys/net/ipv6/bindv6only").strip();
        // (namespace, transport, port) of every IPv4 socket: an IPv6 wildcard twin of one is IPv6-only
        java.util.Set<String> ipv4Ports = new java.util.HashSet<>();
        for (Found f : found) {
            if (!f.entry().ipv6()) {
                ipv4Ports.add(twinKey(f.ns(), f.entry()));
            }
        }
        List<Listener> listeners = new ArrayList<>(found.size());
        int hidden = 0;
        int ownersGone = 0;
        for (Found f : found) {
            SocketEntry e = f.entry();
            List<Owner> list = new ArrayList<>();
            List<int[]> holders = e.inode() == 0 ? List.of() : owners.getOrDefault(e.inode(), List.of());
            for (int[] h : holders) {
                try {
                    list.add(new Owner.Known(reader.read(h[0]), h[1]));
                } catch (NoSuchFileException gone) {
                    list.add(new Owner.Gone(h[0]));
                    ownersGone++;
                } catch (IOException unreadableProcess) {
                    list.add(new Owner.Hidden(unreadableProcess.getMessage()));
                    hidden++;
                }
            }
            if (list.isEmpty()) {
                Owner o = noOwner(e, unreadable, unreadablePids, privileged);
                if (o instanceof Owner.Hidden) {
                    hidden++;
                }
                list.add(o);
            }
            listeners.add(new Listener(e.transport(), endpoint(e, f.ns(), ipv4Ports, bindV6Only),
                    ListenerState.of(e.transport()), e.uid(), e.inode(), f.ns(), list));
        }
        listeners.sort(Comparator.comparing((Listener l) -> l.transport())
                .thenComparingInt(l -> l.local().port())
                .thenComparing(l -> l.local().address())
                .thenComparing(l -> !l.namespace().current())
                .thenComparingLong(l -> l.namespace().inode()));
        if (ownersGone > 0) {
            notes.add(ownersGone + " owner process(es) exited between reading their descriptors and their details");
        }
        Coverage coverage = new Coverage(privileged, scanned, unreadable, vanished, hidden, ownersGone, counts[2], notes);
        return new Discovery(listeners, counts[0], counts[1], coverage);
    }

    private void readTables(String dir, NetNamespace ns, Query query, List<Found> found, int[] counts, List<String> notes) {
        for (String[] file : FILES) {
            Transport t = Transport.parse(file[1]);
            if (!query.transports().contains(t)) {
                continue;
            }
            String text;
            try {
                text = root.read(dir + file[0]);
            } catch (NoSuchFileException e) {
                continue; // no IPv6 in this kernel or namespace; or the process left
            } catch (IOException e) {
                notes.add("could not read " + root.path().resolve(dir + file[0]) + ": " + e.getMessage());
                continue;
            }
            ProcNetParser.Result r = ProcNetParser.parse(text, t, file[0].endsWith("6"),
                    port -> query.ports() == null || query.ports().contains(port));
            for (SocketEntry e : r.entries()) {
                found.add(new Found(e, ns));
            }
            if (query.ports() != null) {
                counts[0] += r.established();
                counts[1] += r.connectedUdp();
            }
            counts[2] += r.malformed();
            if (r.malformed() > 0) {
                notes.add(r.malformed() + " malformed lines skipped in " + root.path().resolve(dir + file[0]));
            }
        }
    }

    /** What one thread found reading descriptors: every socket fd as (inode, pid << 32 | fd). */
    private static final class FdScan {
        long[] inodes = new long[256];
        long[] pidFds = new long[256];
        int size;
        final List<Integer> unreadablePids = new ArrayList<>();
        int scanned;
        int unreadable;
        int vanished;

        void add(long inode, int pid, int fd) {
            if (size == inodes.length) {
                inodes = java.util.Arrays.copyOf(inodes, size * 2);
                pidFds = java.util.Arrays.copyOf(pidFds, size * 2);
            }
            inodes[size] = inode;
            pidFds[size] = ((long) pid << 32) | (fd & 0xffffffffL);
            size++;
        }
    }

    /**
     * Reads every process's descriptors on as many threads as there are cores, the calling thread
     * joining in {@link #finish()}. readlink on tens of thousands of fds is most of a busy host's
     * scan, and it overlaps with reading /proc/net.
     */
    private final class FdScanner {
        private final List<Integer> pids;
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean cancelled;
        private final List<Thread> threads = new ArrayList<>();
        private final List<FdScan> parts = java.util.Collections.synchronizedList(new ArrayList<>());

        FdScanner(List<Integer> pids) {
            this.pids = pids;
        }

        void start() {
            int cores = Runtime.getRuntime().availableProcessors();
            int helpers = Math.min(cores, 8) - 1;
            if (pids.size() < 64) {
                helpers = 0; // a quiet host: threads cost more than they save
            }
            for (int i = 0; i < helpers; i++) {
                Thread t = new Thread(this::work, "portlens-fd-scan-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        void cancel() {
            cancelled = true;
        }

        FdScan[] finish() {
            if (!cancelled) {
                work();
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading file descriptors", e);
                }
            }
            return parts.toArray(new FdScan[0]);
        }

        private void work() {
            FdScan part = new FdScan();
            int i;
            while (!cancelled && (i = next.getAndIncrement()) < pids.size()) {
                scanFds(pids.get(i), part);
            }
            parts.add(part);
        }
    }

    /** Reads one process's descriptors, keeping every socket. */
    private void scanFds(int pid, FdScan part) {
        Path fdDir = root.pidDir(pid).resolve("fd");
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (AccessDeniedException e) {
                    // listing allowed, reading links not (another user, or a sandbox denies even root)
                    part.unreadable++;
                    part.unreadablePids.add(pid);
                    return;
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                long inode = socketInode(target);
                if (inode > 0) {
                    String name = fd.getFileName().toString();
                    part.add(inode, pid, ProcRoot.isDigits(name) ? Integer.parseInt(name) : -1);
                }
            }
            part.scanned++;
        } catch (AccessDeniedException e) {
            part.unreadable++;
            part.unreadablePids.add(pid);
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            part.vanished++; // the process exited (ENOENT while listing surfaces as DirectoryIteratorException)
        }
    }

    /** {@code socket:[12345]} → 12345; anything else → -1. */
    static long socketInode(String target) {
        if (!target.startsWith("socket:[") || !target.endsWith("]")) {
            return -1;
        }
        try {
            return Long.parseLong(target, 8, target.length() - 1, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code net:[4026531840]} → 4026531840; anything else → 0. */
    static long parseNsLink(String target) {
        int open = target.indexOf('[');
        int close = target.indexOf(']');
        if (open < 0 || close < open) {
            return 0;
        }
        try {
            return Long.parseLong(target.substring(open + 1, close));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long nsInode(Path link) {
        try {
            return parseNsLink(Files.readSymbolicLink(link).toString());
        } catch (IOException e) {
            return 0;
        }
    }

    private Map<Long, String> namespaceNames() {
        Map<Long, String> names = new HashMap<>();
        for (Path dir : netnsDirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    try {
                        Object ino = Files.getAttribute(p, "unix:ino");
                        if (ino instanceof Long) {
                            names.putIfAbsent((Long) ino, p.getFileName().toString());
                        }
                    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                        // not a mounted namespace file
                    }
                }
            } catch (IOException e) {
                // unreadable: namespaces stay unnamed
            }
        }
        return names;
    }

    private static String joinPids(List<Integer> pids, int total) {
        StringBuilder sb = new StringBuilder();
        for (int p : pids) {
            sb.append(sb.length() == 0 ? "" : ", ").append(p);
        }
        return total > pids.size() ? sb + ", …" : sb.toString();
    }

    private Owner noOwner(SocketEntry e, int unreadable, List<Integer> unreadablePids, boolean privileged) {
        if (e.inode() == 0) {
            return new Owner.None("a kernel socket (inode 0): no process holds it (e.g. WireGuard, VXLAN, NFS)");
        }
        if (!privileged && e.uid() != viewerUid) {
            return new Owner.Hidden("owned by a process of user " + users.name(e.uid()) + " (uid " + e.uid()
                    + "); run as root to see it");
        }
        if (!privileged && unreadable > 0) {
            return new Owner.Hidden("not held by any process portlens could read; " + unreadable
                    + " processes of other users could not be read; run as root to see them");
        }
        if (unreadable > 0) {
            return new Owner.Hidden("not held by any readable process; the descriptors of pid "
                    + joinPids(unreadablePids, unreadable) + " could not be read even as root (denied by the kernel"
                    + " or a security policy), so one of them may hold it");
        }
        return new Owner.None("no process holds it: a kernel socket, a socket being closed, or one held by a"
                + " process in a PID namespace portlens cannot see");
    }

    private static String twinKey(NetNamespace ns, SocketEntry e) {
        return ns.inode() + "/" + e.transport() + "/" + e.localPort();
    }

    private Endpoint endpoint(SocketEntry e, NetNamespace ns, java.util.Set<String> ipv4Ports, String bindV6Only) {
        byte[] a = e.local();
        String text = Addresses.format(a);
        BindScope scope = Addresses.isWildcard(a) ? BindScope.ALL
                : Addresses.isLoopback(a) ? BindScope.LOOPBACK : BindScope.ADDRESS;
        Endpoint.DualStack dual = Endpoint.DualStack.NOT_APPLICABLE;
        if (e.ipv6() && a.length == 16 && Addresses.isWildcard(a)) {
            boolean ipv4Twin = ipv4Ports.contains(twinKey(ns, e));
            dual = ipv4Twin || bindV6Only.equals("1") ? Endpoint.DualStack.NO : Endpoint.DualStack.LIKELY;
        }
        return new Endpoint(text, e.localPort(), e.ipv6(), scope, dual);
    }

    @Override
    public org.portlens.model.EphemeralRange ephemeralRange() {
        String text = readQuietly("sys/net/ipv4/ip_local_port_range").strip();
        String[] f = org.portlens.internal.Text.splitWhitespace(text);
        if (f.length != 2) {
            return null;
        }
        try {
            return new org.portlens.model.EphemeralRange(
                    new org.portlens.model.PortRange(Integer.parseInt(f[0]), Integer.parseInt(f[1])),
                    root.path().resolve("sys/net/ipv4/ip_local_port_range").toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String readQuietly(String relative) {
        try {
            return root.read(relative);
        } catch (IOException e) {
            return "";
        }
    }
}
