package org.portlens.discovery.linux;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.portlens.discovery.Query;
import org.portlens.internal.Addresses;
import org.portlens.model.BindScope;
import org.portlens.model.Endpoint;
import org.portlens.model.NetNamespace;
import org.portlens.model.Transport;

/**
 * The socket tables of every network namespace a process is in: /proc/net/{tcp,tcp6,udp,udp6} of
 * portlens's own namespace, then {@code /proc/PID/net/...} of one process in each other namespace,
 * parsed by {@link ProcNetParser}. Namespaces are named from the mount points in {@code /run/netns}
 * and the like. Immutable; safe from any thread, each read is independent.
 */
final class SocketTables implements SocketLister {

    private static final String[][] FILES = {{"tcp", "tcp"}, {"tcp6", "tcp"}, {"udp", "udp"}, {"udp6", "udp"}};

    /** One socket found in a namespace's tables, with its local endpoint as shown. */
    record Found(SocketEntry entry, NetNamespace ns, Endpoint local) {}

    /** One socket kept from a namespace's table, before its endpoint is known. */
    private record Line(SocketEntry entry, NetNamespace ns) {}

    /**
     * What the tables held.
     *
     * @param sockets      the listening sockets the query asked for, namespace by namespace, in file order
     * @param established  established TCP connections on the query's ports (0 for a query of every port)
     * @param connectedUdp connected UDP sockets on the query's ports (0 for a query of every port)
     * @param malformed    lines skipped because they could not be parsed
     * @param notes        one line each about a table that could not be read, or that had malformed lines
     */
    record Result(List<Found> sockets, int established, int connectedUdp, int malformed, List<String> notes) {
        Result {
            sockets = List.copyOf(sockets);
            notes = List.copyOf(notes);
        }

        /** The inodes of the sockets, without the kernel's inode 0 that no process holds. */
        Set<Long> inodes() {
            Set<Long> inodes = new HashSet<>();
            for (Found f : sockets) {
                if (f.entry().inode() != 0) {
                    inodes.add(f.entry().inode());
                }
            }
            return inodes;
        }
    }

    private final ProcRoot root;
    private final List<Path> netnsDirs;

    /**
     * @param root      the /proc tree
     * @param netnsDirs directories of named network namespaces ({@code /run/netns})
     */
    SocketTables(ProcRoot root, List<Path> netnsDirs) {
        this.root = root;
        this.netnsDirs = List.copyOf(netnsDirs);
    }

    @Override
    public String name() {
        return "proc files";
    }

    /**
     * Reads the tables of every namespace one of {@code pids} is in.
     *
     * @param pids       the visible processes, whose {@code ns/net} links name the namespaces
     * @param query      which transports and ports to keep
     * @param privileged whether portlens runs as root (then no note about unreadable namespaces)
     */
    @Override
    public Result read(List<Integer> pids, Query query, boolean privileged) {
        return read(namespaces(pids, privileged), query);
    }

    /**
     * Reads the tables of the namespaces found by {@link #namespaces}.
     *
     * @param namespaces the namespaces and their notes
     * @param query      which transports and ports to keep
     */
    Result read(Namespaces namespaces, Query query) {
        Tally tally = new Tally(query);
        for (Namespace n : namespaces.all()) {
            tally.readTables(n);
        }
        return tally.result(namespaces.notes());
    }

    /** At most this many processes are kept per namespace to read it through, should the first exit. */
    static final int READERS_PER_NAMESPACE = 4;

    /**
     * A network namespace to read, and the processes through which to read it.
     *
     * @param ns     the namespace
     * @param pid    a process in it ({@code /proc/PID/net/...}, {@code /proc/PID/ns/net}); 0 for portlens's own
     * @param others more processes in it, tried in turn when {@code pid} exits before its tables are read
     */
    record Namespace(NetNamespace ns, int pid, List<Integer> others) {
        Namespace {
            others = List.copyOf(others);
        }

        Namespace(NetNamespace ns, int pid) {
            this(ns, pid, List.of());
        }

        /** The directory of its tables under the /proc root: {@code net/} or {@code PID/net/}. */
        String dir() {
            return pid == 0 ? "net/" : pid + "/net/";
        }

        /** The same namespace read through the next process, if there is one. */
        Optional<Namespace> next() {
            return others.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new Namespace(ns, others.get(0), others.subList(1, others.size())));
        }
    }

    /**
     * The namespaces of one read.
     *
     * @param all   portlens's own first, then one for each other namespace a readable process is in
     * @param notes a line when some processes' namespaces could not be read
     */
    record Namespaces(List<Namespace> all, List<String> notes) {
        Namespaces {
            all = List.copyOf(all);
            notes = List.copyOf(notes);
        }
    }

    /**
     * The namespaces {@code pids} are in: ours, and every other one a readable process is in (the
     * first such pid stands for it), named from the mount points in {@link #netnsDirs}.
     *
     * @param pids       the visible processes, whose {@code ns/net} links name the namespaces
     * @param privileged whether portlens runs as root (then no note about unreadable namespaces)
     */
    Namespaces namespaces(List<Integer> pids, boolean privileged) {
        long currentNs = namespaceInode(root.path().resolve("self/ns/net"));
        Map<Long, List<Integer>> otherNs = new LinkedHashMap<>();
        int nsHidden = 0;
        for (int pid : pids) {
            long ns;
            try {
                ns = ProcLinks.namespaceInode(root.readLink(pid, "ns/net"));
            } catch (AccessDeniedException e) {
                nsHidden++;
                continue;
            } catch (IOException e) {
                continue;
            }
            if (ns != 0 && ns != currentNs) {
                List<Integer> readers = otherNs.computeIfAbsent(ns, k -> new ArrayList<>(2));
                if (readers.size() < READERS_PER_NAMESPACE) {
                    readers.add(pid);
                }
            }
        }
        Map<Long, String> names = namespaceNames();
        List<Namespace> all = new ArrayList<>(1 + otherNs.size());
        all.add(new Namespace(new NetNamespace(currentNs, names.getOrDefault(currentNs, ""), true), 0));
        for (Map.Entry<Long, List<Integer>> e : otherNs.entrySet()) {
            List<Integer> readers = e.getValue();
            all.add(new Namespace(
                    new NetNamespace(e.getKey(), names.getOrDefault(e.getKey(), ""), false),
                    readers.get(0),
                    readers.subList(1, readers.size())));
        }
        List<String> notes = new ArrayList<>();
        if (nsHidden > 0 && !privileged) {
            notes.add("the network namespaces of " + nsHidden + " processes of other users could not be read;"
                    + " listeners inside other namespaces may be missing (run as root to see them)");
        }
        return new Namespaces(all, notes);
    }

    /**
     * How many rows the tables of {@code namespaces} hold, from each one's sockstat counters
     * ({@link SockStat}): what a read of the proc files would go through. A namespace whose counters
     * cannot be read counts 0.
     */
    long rows(Namespaces namespaces) {
        long rows = 0;
        for (Namespace n : namespaces.all()) {
            rows += SockStat.rows(root.readOrEmpty(n.dir() + "sockstat"), root.readOrEmpty(n.dir() + "sockstat6"));
        }
        return rows;
    }

    /** A tally for one read of {@code query}. */
    Tally tally(Query query) {
        return new Tally(query);
    }

    /**
     * The sockets and counts of one read, gathered namespace by namespace: from the proc tables
     * ({@link #readTables}), or handed in by another lister ({@link #add}). One read, one thread.
     */
    final class Tally {
        private final Query query;
        private final List<Line> lines = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private int established;
        private int connectedUdp;
        private int malformed;

        private Tally(Query query) {
            this.query = query;
        }

        /**
         * Reads the four tables of a namespace ({@code net/} or {@code PID/net/}); when the process
         * it reads them through exits meanwhile, through the next process in that namespace, so
         * that a namespace is not missing from a read (a watch would see its listeners close).
         */
        void readTables(Namespace n) {
            for (String[] file : FILES) {
                Transport t = Transport.parse(file[1]);
                if (!query.transports().contains(t)) {
                    continue;
                }
                String text = null;
                String dir = n.dir();
                try {
                    while (text == null) {
                        try {
                            text = root.read(dir + file[0]);
                        } catch (NoSuchFileException e) {
                            Optional<Namespace> next =
                                    n.pid() != 0 && !Files.exists(root.pidDir(n.pid())) ? n.next() : Optional.empty();
                            if (next.isEmpty()) {
                                throw e; // no IPv6 in this kernel or namespace; or every reader left
                            }
                            n = next.get();
                            dir = n.dir();
                        }
                    }
                } catch (NoSuchFileException e) {
                    continue;
                } catch (IOException e) {
                    notes.add("could not read " + root.path().resolve(dir + file[0]) + ": " + e.getMessage());
                    continue;
                }
                // an empty Query.ports() is every port
                ProcNetParser.Result r = ProcNetParser.parse(
                        text,
                        t,
                        file[0].endsWith("6"),
                        port -> query.ports().isEmpty() || query.ports().get().contains(port));
                add(n.ns(), r.entries(), r.established(), r.connectedUdp());
                malformed += r.malformed();
                if (r.malformed() > 0) {
                    notes.add(r.malformed() + " malformed lines skipped in "
                            + root.path().resolve(dir + file[0]));
                }
            }
        }

        /**
         * Adds what one table of a namespace held.
         *
         * @param ns           the namespace
         * @param listening    its listening sockets on the query's ports, in the table's order
         * @param established  established TCP connections on the query's ports (not kept for a query of every port)
         * @param connectedUdp connected UDP sockets on the query's ports (not kept for a query of every port)
         */
        void add(NetNamespace ns, List<SocketEntry> listening, int established, int connectedUdp) {
            for (SocketEntry e : listening) {
                lines.add(new Line(e, ns));
            }
            if (query.ports().isPresent()) {
                this.established += established;
                this.connectedUdp += connectedUdp;
            }
        }

        /** The sockets with their endpoints; the notes of the tables, then {@code more}. */
        Result result(List<String> more) {
            List<String> all = new ArrayList<>(notes);
            all.addAll(more);
            return new Result(withEndpoints(lines), established, connectedUdp, malformed, all);
        }
    }

    /**
     * The sockets with their endpoints. An IPv6 wildcard socket accepts IPv4 too (dual stack) unless
     * an IPv4 socket holds the same port in its namespace, or {@code bindv6only} is set.
     */
    private List<Found> withEndpoints(List<Line> lines) {
        String bindV6Only = root.readOrEmpty("sys/net/ipv6/bindv6only").strip();
        Set<String> ipv4Ports = new HashSet<>();
        for (Line l : lines) {
            if (!l.entry().ipv6()) {
                ipv4Ports.add(twinKey(l.ns(), l.entry()));
            }
        }
        List<Found> out = new ArrayList<>(lines.size());
        for (Line l : lines) {
            out.add(new Found(l.entry(), l.ns(), endpoint(l.entry(), l.ns(), ipv4Ports, bindV6Only)));
        }
        return out;
    }

    private static Endpoint endpoint(SocketEntry e, NetNamespace ns, Set<String> ipv4Ports, String bindV6Only) {
        byte[] a = e.local();
        // a mapped address (::ffff:127.0.0.1) on an IPv6 socket is an IPv4 bind: shown as IPv4, the socket still ipv6
        String text = Addresses.format(Addresses.unmapped(a));
        BindScope scope = Addresses.isWildcard(a)
                ? BindScope.ALL
                : Addresses.isLoopback(a) ? BindScope.LOOPBACK : BindScope.ADDRESS;
        Endpoint.DualStack dual = Endpoint.DualStack.NOT_APPLICABLE;
        if (e.ipv6() && a.length == 16 && Addresses.isWildcard(a)) {
            boolean ipv4Twin = ipv4Ports.contains(twinKey(ns, e));
            dual = ipv4Twin || bindV6Only.equals("1") ? Endpoint.DualStack.NO : Endpoint.DualStack.LIKELY;
        }
        return new Endpoint(text, e.localPort(), e.ipv6(), scope, dual);
    }

    /** (namespace, transport, port) of a socket: an IPv6 wildcard whose IPv4 twin exists is IPv6-only. */
    private static String twinKey(NetNamespace ns, SocketEntry e) {
        return ns.inode() + "/" + e.transport() + "/" + e.localPort();
    }

    /** The inode of the namespace a link names, or 0 when it cannot be read. */
    private static long namespaceInode(Path link) {
        try {
            return ProcLinks.namespaceInode(Files.readSymbolicLink(link).toString());
        } catch (IOException e) {
            return 0;
        }
    }

    /** Names of the namespaces mounted in {@link #netnsDirs}, by inode; unnamed ones are absent. */
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
}
