package org.portlens.discovery.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.ListenerFeed;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.discovery.command.ListenerOrder;
import org.portlens.discovery.linux.forward.Forwarder;
import org.portlens.discovery.linux.forward.ForwarderCommandLine;
import org.portlens.discovery.linux.forward.NatForward;
import org.portlens.discovery.linux.forward.NatRuleReader;
import org.portlens.discovery.linux.proc.Stat;
import org.portlens.discovery.linux.proc.Status;
import org.portlens.discovery.linux.proc.UserDirectory;
import org.portlens.internal.Addresses;
import org.portlens.internal.Text;
import org.portlens.model.BindScope;
import org.portlens.model.Coverage;
import org.portlens.model.EphemeralRange;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.RuleForward;
import org.portlens.model.RuleForwards;
import org.portlens.model.Transport;

/**
 * Linux sockets from /proc: the socket tables of every network namespace a process is in, and the
 * owners found by reading each process's file descriptors. Safe for concurrent use: each read is
 * independent.
 */
public final class LinuxSocketTable implements SocketTable {

    private static final String PORT_RANGE = "sys/net/ipv4/ip_local_port_range";

    private static final Comparator<Listener> ORDER = ListenerOrder.INSTANCE;

    private final ProcRoot root;
    private final UserDirectory users;
    private final SocketLister tables;
    private final int viewerUid;
    private final @Nullable NamespaceRules nat;

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
        this(root, users, tables, viewerUid, null);
    }

    /**
     * @param root      the /proc tree
     * @param users     user names
     * @param tables    where the sockets are listed from
     * @param viewerUid the effective uid portlens runs as (0 sees everything, -1 when unknown)
     * @param nat       where NAT rules are read from; null for a table that reads none (a recorded tree)
     */
    LinuxSocketTable(
            ProcRoot root, UserDirectory users, SocketLister tables, int viewerUid, @Nullable NamespaceRules nat) {
        this.root = root;
        this.users = users;
        this.tables = tables;
        this.viewerUid = viewerUid;
        this.nat = nat;
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
        return new LinuxSocketTable(
                root,
                UserDirectory.system(),
                SocketListers.best(root, netnsDirs),
                uid,
                new NamespaceRules(root, new SocketTables(root, netnsDirs), NatRuleReader.SYSTEM));
    }

    @Override
    public Discovery read(Query query) {
        List<Integer> pids = pids();
        // The descriptors are read on the other cores while this thread reads the socket tables:
        // both are mostly kernel time (bench/README.md).
        FdIndex.Scan fdScan = FdIndex.start(root, pids);
        SocketTables.Result found = tables.read(pids, query, viewerUid == 0);
        // one port: stop reading descriptors once its few sockets are found (and their holders' kin read)
        FdIndex fds =
                query.ports().isPresent() ? fdScan.finishOnceFound(found.inodes()) : fdScan.finish(found.inodes());
        return resolve(found, fds).discovery();
    }

    /**
     * A feed that reads the socket list each time but the descriptors of every process only when
     * a socket it has not seen appears, a process it knew as an owner no longer holds what it held,
     * a process has started while a socket has no known holder, or {@link #FULL_SCAN_EVERY} reads
     * have passed (a descriptor handed to another process while
     * its first holder lives on is noticed then).
     */
    @Override
    public ListenerFeed feed(Query query) {
        return new CachingFeed(query);
    }

    /** Reads between two full descriptor scans of a {@link #feed}, whatever else happens. */
    static final int FULL_SCAN_EVERY = 60;

    private List<Integer> pids() {
        try {
            return root.pids();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list processes in " + root.path() + ": " + e.getMessage(), e);
        }
    }

    /** The listeners of a read and the holders each socket's owners were read from. */
    private record Resolved(
            Discovery discovery, Map<Long, List<Owner>> owners, Map<Long, List<FdIndex.Holder>> holders) {}

    /** The listeners of {@code found} with their owners from {@code fds}. */
    private Resolved resolve(SocketTables.Result found, FdIndex fds) {
        OwnerResolver owners = new OwnerResolver(root, users, fds, viewerUid);
        Map<Long, List<Owner>> byInode = new HashMap<>();
        Map<Long, List<FdIndex.Holder>> holders = new HashMap<>();
        List<Listener> listeners = new ArrayList<>(found.sockets().size());
        for (SocketTables.Found f : found.sockets()) {
            SocketEntry e = f.entry();
            List<Owner> o = owners.owners(e);
            if (e.inode() != 0) {
                byInode.put(e.inode(), o);
                holders.put(e.inode(), fds.holders(e.inode()));
            }
            listeners.add(listener(f, o));
        }
        listeners.sort(ORDER);
        List<String> notes = new ArrayList<>(found.notes());
        notes.addAll(owners.notes());
        Coverage coverage = new Coverage(
                viewerUid == 0,
                fds.scanned(),
                fds.unreadable(),
                fds.vanished(),
                owners.hidden(),
                owners.gone(),
                found.malformed(),
                notes,
                fds.skipped());
        return new Resolved(
                new Discovery(listeners, found.established(), found.connectedUdp(), coverage), byInode, holders);
    }

    private Listener listener(SocketTables.Found f, List<Owner> owners) {
        SocketEntry e = f.entry();
        return new Listener(
                e.transport(),
                f.local(),
                ListenerState.of(e.transport()),
                e.uid(),
                users.name(e.uid()),
                e.inode(),
                f.ns(),
                owners);
    }

    /** {@link #feed}: remembers the owners of each socket inode between reads. */
    final class CachingFeed implements ListenerFeed {
        private final Query query;
        private Map<Long, List<Owner>> owners = Map.of();
        private Map<Long, List<FdIndex.Holder>> holders = Map.of();
        private @Nullable Coverage coverage;
        private Set<Integer> scannedPids = Set.of();
        private int sinceFullScan;
        private int fullScans;

        CachingFeed(Query query) {
            this.query = query;
        }

        @Override
        public Discovery next() {
            List<Integer> pids = pids();
            SocketTables.Result found = tables.read(pids, query, viewerUid == 0);
            Coverage last = coverage;
            if (last != null && ++sinceFullScan < FULL_SCAN_EVERY && stillHeld(found, pids)) {
                List<Listener> listeners = new ArrayList<>(found.sockets().size());
                for (SocketTables.Found f : found.sockets()) {
                    long inode = f.entry().inode();
                    List<Owner> o = inode == 0 ? null : owners.get(inode);
                    listeners.add(listener(f, o != null ? o : List.of(OwnerResolver.KERNEL_SOCKET)));
                }
                listeners.sort(ORDER);
                return new Discovery(listeners, found.established(), found.connectedUdp(), last);
            }
            Resolved r = resolve(found, FdIndex.start(root, pids).finish(found.inodes()));
            owners = r.owners();
            holders = r.holders();
            coverage = r.discovery().coverage();
            scannedPids = new HashSet<>(pids);
            sinceFullScan = 0;
            fullScans++;
            return r.discovery();
        }

        /** How many reads so far read every process's descriptors. */
        int fullScans() {
            return fullScans;
        }

        /**
         * Whether every socket was seen before and every process known to hold one still does:
         * checked with one descriptor link per holding process, not per socket. A socket whose
         * holder was not found (a process that started during the last full scan, or one that
         * cannot be read) counts as seen only while no process has started since that scan.
         */
        private boolean stillHeld(SocketTables.Result found, List<Integer> pids) {
            Map<Integer, FdIndex.Holder> onePerPid = new HashMap<>();
            Map<Integer, Long> inodeOf = new HashMap<>();
            boolean ownerless = false;
            for (SocketTables.Found f : found.sockets()) {
                long inode = f.entry().inode();
                if (inode == 0) {
                    continue;
                }
                List<FdIndex.Holder> h = holders.get(inode);
                if (h == null) {
                    return false; // a socket not seen before
                }
                ownerless |= h.isEmpty();
                for (FdIndex.Holder holder : h) {
                    if (onePerPid.putIfAbsent(holder.pid(), holder) == null) {
                        inodeOf.put(holder.pid(), inode);
                    }
                }
            }
            if (ownerless && !scannedPids.containsAll(pids)) {
                return false; // a new process may hold what no process was seen holding
            }
            for (Map.Entry<Integer, FdIndex.Holder> e : onePerPid.entrySet()) {
                FdIndex.Holder h = e.getValue();
                try {
                    if (h.fd() < 0
                            || !root.readLink(h.pid(), "fd/" + h.fd())
                                    .equals("socket:[" + inodeOf.get(e.getKey()) + "]")) {
                        return false;
                    }
                } catch (IOException gone) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The forward of a listener held by docker-proxy, pasta or passt: the target its command line names
     * for the listener's port, and the listeners that hold that target in any namespace this table sees
     * (bound to the target's address, or to every address of a namespace that owns it, from the
     * namespace's fib_trie and if_inet6 read through one of the listener's owners).
     */
    @Override
    public Optional<Forward> forward(Listener listener) {
        return forward(listener, null);
    }

    /**
     * The forwards of the listeners a forwarder holds, their servers looked for among {@code every}: the
     * listeners of one read of every port (as {@code portlens ls} has), so that nothing is read again.
     */
    @Override
    public Map<Listener, Forward> forwards(List<Listener> listeners, List<Listener> every) {
        Map<Listener, Forward> out = new LinkedHashMap<>();
        for (Listener l : listeners) {
            forward(l, every).ifPresent(f -> out.put(l, f));
        }
        return out;
    }

    /** The forward of {@code listener}, its servers among {@code every}, or from a new read when null. */
    private Optional<Forward> forward(Listener listener, @Nullable List<Listener> every) {
        for (ProcessInfo p : listener.processes()) {
            Optional<Forwarder> parsed = ForwarderCommandLine.parse(p.commandLine());
            if (parsed.isEmpty()) {
                continue;
            }
            Forwarder f = parsed.get();
            String program = f.program().name().toLowerCase(Locale.ROOT).replace('_', '-');
            int port = listener.local().port();
            if (f.program() == Forwarder.Program.ROOTLESSPORT) {
                return Optional.of(rootlessport(listener, p, every));
            }
            if (f.program() == Forwarder.Program.SLIRP4NETNS && f.forwards().isEmpty()) {
                return Optional.of(slirp4netns(listener, p, every));
            }
            for (Forwarder.PortForward pf : f.forwards()) {
                if (pf.transport() != listener.transport() || !pf.listenPorts().contains(port)) {
                    continue;
                }
                int target = Math.min(
                        pf.targetPorts().high(),
                        pf.targetPorts().low() + (port - pf.listenPorts().low()));
                List<String> notes = new ArrayList<>(f.notes());
                if (pf.targetAddress().isEmpty()) {
                    long ns = f.program() == Forwarder.Program.PASTA ? pastaNamespace(p) : 0;
                    List<Listener> servers = new ArrayList<>();
                    if (ns != 0) {
                        List<Listener> all = every != null
                                ? every
                                : read(Query.ports(PortRange.of(target), pf.transport()))
                                        .listeners();
                        for (Listener l : all) {
                            if (l.namespace().inode() == ns
                                    && l.transport() == pf.transport()
                                    && l.local().port() == target) {
                                servers.add(l);
                            }
                        }
                        if (servers.isEmpty()) {
                            notes.add("nothing listens on port " + target + " in the network namespace " + program
                                    + " serves");
                        }
                    } else {
                        notes.add(program + " forwards into the network namespace it serves, which its command line"
                                + " does not name" + (viewerUid == 0 ? "" : ", or which could not be read"));
                    }
                    return Optional.of(new Forward(program, p.pid(), pf.transport(), "", target, servers, notes));
                }
                String address = printed(pf.targetAddress());
                List<Listener> servers = servers(
                        listener.inode(),
                        listener.transport(),
                        address,
                        target,
                        every != null
                                ? every
                                : read(Query.ports(PortRange.of(target), listener.transport()))
                                        .listeners());
                if (servers.isEmpty()) {
                    notes.add("nothing listens on " + Addresses.hostPort(address, target)
                            + " in the network namespaces portlens can see"
                            + (viewerUid == 0 ? "" : " (run as root to see them all)"));
                }
                return Optional.of(new Forward(program, p.pid(), pf.transport(), address, target, servers, notes));
            }
            List<String> notes = new ArrayList<>(f.notes());
            notes.add("its command line names no forward of "
                    + listener.transport().label() + " port " + port);
            return Optional.of(new Forward(program, p.pid(), listener.transport(), "", 0, List.of(), notes));
        }
        return Optional.empty();
    }

    /**
     * Where rootlessport (rootless Podman's port forwarder) sends a port: its mappings come from Podman on
     * a pipe, not its command line, but its child ({@code rootlessport-child}, a child process in another
     * network namespace) lives in the container's network namespace and connects there. The listeners of that namespace (the transport's) are the
     * candidates; when there is one, it is the server and its port the target.
     */
    private Forward rootlessport(Listener listener, ProcessInfo p, @Nullable List<Listener> every) {
        String program = "rootlessport";
        List<String> notes = new ArrayList<>();
        int child = -1;
        long ns = 0;
        for (int pid : pids()) {
            try {
                Stat st = Stat.parse(root.read(pid + "/stat"));
                // the child re-executes /proc/self/exe (comm "exe"): known by being in another namespace
                if (st.ppid() == p.pid()) {
                    long inode = ProcLinks.namespaceInode(root.readLink(pid, "ns/net"));
                    if (inode != 0 && inode != listener.namespace().inode()) {
                        child = pid;
                        ns = inode;
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // exited, or not readable: not the child looked for
            }
        }
        if (child < 0) {
            notes.add("rootlessport is handed its port mappings by Podman on a pipe, and its child"
                    + " (rootlessport-child, in the container's network namespace) was not found"
                    + (viewerUid == 0 ? "" : ": run as root to see it"));
            return new Forward(program, p.pid(), listener.transport(), "", 0, List.of(), notes);
        }
        return intoNamespace(
                listener,
                p,
                program,
                ns,
                "the network namespace of its child rootlessport-child (pid " + child + ")",
                "rootlessport's mappings are not on its command line",
                every);
    }

    /**
     * Where slirp4netns sends a port it holds on the host (Podman's {@code port_handler=slirp4netns}): into
     * the namespace its command line names (a PID, or with {@code --netns-type=path} a namespace file,
     * read through the process's own root since it is often a mount of a rootless user's), to a port
     * added at run time over its API socket, which the command line does not name.
     */
    private Forward slirp4netns(Listener listener, ProcessInfo p, @Nullable List<Listener> every) {
        String program = "slirp4netns";
        List<String> argv = p.commandLine();
        boolean path = argv.contains("--netns-type=path");
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.startsWith("-")) {
                if (SLIRP_VALUES.contains(a)) {
                    i++; // its value
                } else if (a.equals("--netns-type") && i + 1 < argv.size()) {
                    path = argv.get(++i).equals("path");
                }
                continue;
            }
            positional.add(a);
        }
        long ns = 0;
        String target = positional.isEmpty() ? "" : positional.get(0);
        try {
            if (path && target.startsWith("/")) {
                Object ino = Files.getAttribute(
                        root.pidDir(p.pid()).resolve("root").resolve(target.substring(1)), "unix:ino");
                ns = ino instanceof Long l ? l : 0;
            } else if (!path && target.matches("\\d{1,10}")) {
                ns = ProcLinks.namespaceInode(root.readLink(Integer.parseInt(target), "ns/net"));
            }
        } catch (IOException | RuntimeException e) {
            ns = 0;
        }
        if (ns == 0) {
            return new Forward(
                    program,
                    p.pid(),
                    listener.transport(),
                    "",
                    0,
                    List.of(),
                    List.of("the network namespace slirp4netns serves ('" + target + "') could not be read"
                            + (viewerUid == 0 ? "" : ": run as root")));
        }
        return intoNamespace(
                listener,
                p,
                program,
                ns,
                "the network namespace it serves (" + target + ")",
                "slirp4netns's forwards are added over its API socket, not on its command line",
                every);
    }

    /**
     * The network namespace pasta serves, from its command line: {@code --netns PATH} (a namespace file,
     * read through pasta's own root: often a rootless user's mount), {@code --netns NAME} (under
     * /run/netns), or a PID as its last argument; 0 when none is named or it cannot be read.
     */
    private long pastaNamespace(ProcessInfo p) {
        List<String> argv = p.commandLine();
        String netns = "";
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--netns") && i + 1 < argv.size()) {
                netns = argv.get(i + 1);
            } else if (a.startsWith("--netns=")) {
                netns = a.substring("--netns=".length());
            }
        }
        try {
            if (netns.isEmpty()) {
                String last = argv.isEmpty() ? "" : argv.get(argv.size() - 1);
                return last.matches("\\d{1,10}")
                        ? ProcLinks.namespaceInode(root.readLink(Integer.parseInt(last), "ns/net"))
                        : 0;
            }
            String file = netns.startsWith("/") ? netns.substring(1) : "run/netns/" + netns;
            Object ino = Files.getAttribute(root.pidDir(p.pid()).resolve("root").resolve(file), "unix:ino");
            return ino instanceof Long l ? l : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** slirp4netns's options that take their value as the next argument. */
    private static final Set<String> SLIRP_VALUES = Set.of(
            "-e",
            "--exit-fd",
            "-r",
            "--ready-fd",
            "-m",
            "--mtu",
            "-a",
            "--api-socket",
            "--cidr",
            "--userns-path",
            "--outbound-addr",
            "--outbound-addr6",
            "--macaddress",
            "--target-type");

    /**
     * A forward into network namespace {@code ns}, to a port its forwarder's command line does not name:
     * the listeners of that namespace (the listener's transport) are the candidates, and when there is
     * one it is the server and its port the target.
     */
    private Forward intoNamespace(
            Listener listener,
            ProcessInfo p,
            String program,
            long ns,
            String where,
            String why,
            @Nullable List<Listener> every) {
        List<String> notes = new ArrayList<>();
        List<Listener> candidates = new ArrayList<>();
        List<Listener> all = every != null
                ? every
                : read(new Query(EnumSet.of(listener.transport()), Optional.empty()))
                        .listeners();
        for (Listener l : all) {
            if (l.namespace().inode() == ns && l.transport() == listener.transport() && l.inode() != listener.inode()) {
                candidates.add(l);
            }
        }
        if (candidates.size() == 1) {
            notes.add(why + ": " + candidates.get(0).transport().label() + " "
                    + candidates.get(0).local().hostPort() + " is the only listener in " + where);
            return new Forward(
                    program,
                    p.pid(),
                    listener.transport(),
                    "",
                    candidates.get(0).local().port(),
                    candidates,
                    notes);
        }
        notes.add(
                candidates.isEmpty()
                        ? "nothing listens in " + where
                        : why + ", and " + candidates.size() + " "
                                + listener.transport().label() + " sockets listen in " + where
                                + ": one of them serves it");
        return new Forward(program, p.pid(), listener.transport(), "", 0, candidates, notes);
    }

    /**
     * An address from a command line as portlens prints addresses (RFC 5952: {@code fd00::2} for
     * {@code fd00:0:0::2}, the form listeners and namespaces' addresses are compared in); anything
     * that is not an IP literal as it is.
     */
    private static String printed(String address) {
        try {
            return Addresses.isLiteral(address) ? Addresses.format(Addresses.literal(address)) : address;
        } catch (IllegalArgumentException e) {
            return address;
        }
    }

    /** The listeners on {@code address:port} in any namespace, among {@code candidates}, but the socket {@code skip}. */
    private List<Listener> servers(
            long skip, Transport transport, String address, int port, List<Listener> candidates) {
        Map<Long, Set<String>> local = new HashMap<>();
        List<Listener> out = new ArrayList<>();
        for (Listener l : candidates) {
            if (l.inode() == skip || l.transport() != transport || l.local().port() != port) {
                continue;
            }
            if (l.local().address().equals(address)) {
                out.add(l);
            } else if (l.local().scope() == BindScope.ALL
                    && local.computeIfAbsent(l.namespace().inode(), ns -> addressesOf(l))
                            .contains(address)) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * Runs the work on a thread that has entered the listener's network namespace through one of its
     * owners' {@code /proc/PID/ns/net} (setns, through the foreign function API: JDK 22+, as root).
     */
    @Override
    public <T> T inNamespaceOf(Listener listener, Callable<T> work) throws IOException {
        if (listener.namespace().current()) {
            return SocketTable.super.inNamespaceOf(listener, work);
        }
        if (viewerUid != 0) {
            throw new IOException("entering another network namespace needs root");
        }
        if (listener.processes().isEmpty()) {
            throw new IOException("no process of that namespace was seen to enter it through");
        }
        return NetlinkSupport.callIn(
                root.pidDir(listener.processes().get(0).pid()).resolve("ns/net"), work);
    }

    /** At most this many rule forwards are followed to their servers in one answer. */
    static final int MAX_RULE_FORWARDS = 8;

    /**
     * The NAT rules forwarding the ports, in every namespace this table sees (nft, or iptables-save where
     * nft is missing), each followed to the listeners that serve its target. Reading rules needs root
     * (CAP_NET_ADMIN); as another user the answer is a note saying so.
     */
    @Override
    public RuleForwards ruleForwards(PortRange ports, Optional<Transport> transport) {
        if (nat == null) {
            return RuleForwards.NONE;
        }
        if (viewerUid != 0) {
            return new RuleForwards(
                    List.of(),
                    List.of("not read: nft and iptables-save need root (CAP_NET_ADMIN); run as root to see"
                            + " ports forwarded by Docker's, Podman's or kube-proxy's rules"));
        }
        List<RuleForward> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int skipped = 0;
        for (NamespaceRules.Read r : nat.read(pids())) {
            String where = r.ns().current() ? "" : r.ns().label() + ": ";
            for (String n : r.rules().notes()) {
                notes.add(where + n);
            }
            for (NatForward f : r.rules().forwards()) {
                if ((transport.isPresent() && f.transport() != transport.get())
                        || !f.ports().overlaps(ports)) {
                    continue;
                }
                if (out.size() == MAX_RULE_FORWARDS) {
                    skipped++;
                    continue;
                }
                out.add(follow(r.ns(), f, Math.max(ports.low(), f.ports().low())));
            }
        }
        if (skipped > 0) {
            notes.add(skipped + " more NAT rules match; only the first " + MAX_RULE_FORWARDS + " are followed");
        }
        return new RuleForwards(out, notes);
    }

    /** One rule's forward of {@code port}, followed to the listeners holding its target. */
    private RuleForward follow(NetNamespace ns, NatForward f, int port) {
        int target = Math.min(
                f.targetPorts().high(),
                f.targetPorts().low() + (port - f.ports().low()));
        List<String> notes = new ArrayList<>();
        List<Listener> servers;
        String address = "";
        if (f.action() == NatForward.Action.REDIRECT) {
            servers = new ArrayList<>();
            for (Listener l :
                    read(Query.ports(PortRange.of(target), f.transport())).listeners()) {
                if (l.namespace().inode() == ns.inode()) {
                    servers.add(l);
                }
            }
        } else {
            address = f.targetAddress();
            int dash = address.indexOf('-');
            if (dash > 0) {
                notes.add("the rule spreads connections over " + address + "; only the first address is followed");
                address = address.substring(0, dash);
            }
            address = printed(address);
            servers = servers(
                    -1,
                    f.transport(),
                    address,
                    target,
                    read(Query.ports(PortRange.of(target), f.transport())).listeners());
        }
        if (servers.isEmpty()) {
            notes.add("nothing listens on "
                    + (address.isEmpty() ? "port " + target + " of " + ns.label() : Addresses.hostPort(address, target))
                    + " in the network namespaces portlens can see");
        }
        return new RuleForward(
                f.transport(),
                port,
                ns,
                f.matchAddress(),
                f.localOnly(),
                f.inInterface(),
                f.action() == NatForward.Action.REDIRECT,
                address,
                target,
                f.chainPath(),
                f.tool(),
                servers,
                notes);
    }

    /** The addresses of a listener's network namespace, read through the first of its owners that can be read. */
    private Set<String> addressesOf(Listener l) {
        if (l.namespace().current()) {
            return LocalAddresses.parse(root.readOrEmpty("net/fib_trie"), root.readOrEmpty("net/if_inet6"));
        }
        for (ProcessInfo p : l.processes()) {
            String trie = root.readOrEmpty(p.pid() + "/net/fib_trie");
            if (!trie.isEmpty()) {
                return LocalAddresses.parse(trie, root.readOrEmpty(p.pid() + "/net/if_inet6"));
            }
        }
        return Set.of();
    }

    /**
     * The accept queue of a TCP listener of this network namespace, from its line in
     * /proc/net/tcp or tcp6 (the rx_queue column of a LISTEN socket), read again now: the file of its
     * address family first, then the other.
     *
     * @param listener a TCP listener from an earlier read
     * @return the connections waiting, or empty for UDP, another namespace, or a socket that is gone
     */
    @Override
    public OptionalInt acceptQueue(Listener listener) {
        if (listener.transport() != Transport.TCP || !listener.namespace().current()) {
            return OptionalInt.empty();
        }
        // by inode in both files: an IPv6 socket bound to an IPv4-mapped address is in tcp6
        String first = listener.local().ipv6() ? "net/tcp6" : "net/tcp";
        String second = listener.local().ipv6() ? "net/tcp" : "net/tcp6";
        OptionalInt q = ProcNetParser.acceptQueue(root.readOrEmpty(first), listener.inode());
        return q.isPresent() ? q : ProcNetParser.acceptQueue(root.readOrEmpty(second), listener.inode());
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
