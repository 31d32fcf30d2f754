package org.portlens.discovery.command;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.internal.Addresses;
import org.portlens.model.BindScope;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;
import org.portlens.model.Source;

/**
 * Turns a {@link Snapshot} into the listeners a query asks for: sockets on the same transport,
 * address and port are one listener with every process that holds it; a socket only the ownerless
 * list shows gets a hidden owner (not privileged) or none (privileged: a kernel socket); each
 * owner's ancestry is walked through the process list and its source found by the platform's
 * {@code sources}. Pure: tested on recorded output. Stateless; safe from any thread.
 */
public final class Assembler {

    /** How far up an ancestry is walked: far beyond any real tree, short of a loop in bad data. */
    private static final int MAX_ANCESTRY = 64;

    /** This host's only namespace: macOS and Windows have no network namespaces portlens reads. */
    public static final NetNamespace HOST = new NetNamespace(0, "", true);

    private Assembler() {}

    /**
     * The listeners of {@code query} in {@code snapshot}.
     *
     * @param query    which transports and ports
     * @param snapshot what the tools gave
     * @param sources  why a process runs, from its chain (the process first, then its parent, …)
     * @return the listeners, in {@link ListenerOrder}, with the counts and what could not be seen
     */
    public static Discovery assemble(Query query, Snapshot snapshot, Function<List<ProcessRow>, Source> sources) {
        Map<String, List<SocketRow>> byKey = new LinkedHashMap<>();
        Set<String> ownedKeys = new HashSet<>();
        for (SocketRow r : snapshot.owned()) {
            if (r.listening() && query.wants(r.transport(), r.port())) {
                byKey.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
                ownedKeys.add(key(r));
            }
        }
        for (SocketRow r : snapshot.all()) {
            if (r.listening() && query.wants(r.transport(), r.port()) && !ownedKeys.contains(key(r))) {
                // a socket the owner tool did not show; the ownerless list may show a shared port twice
                byKey.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r.withPid(-1));
            }
        }
        Map<String, SocketRow.DualStack> dual = new LinkedHashMap<>();
        Map<String, String> printed = new LinkedHashMap<>(); // the ownerless list's text of an address
        for (SocketRow r : snapshot.all()) {
            if (r.dualStack() != SocketRow.DualStack.UNKNOWN) {
                dual.put(key(r), r.dualStack());
            }
            printed.putIfAbsent(key(r), r.address());
        }
        Set<String> ipv4Wildcards = new HashSet<>();
        for (List<SocketRow> rows : byKey.values()) {
            SocketRow r = rows.get(0);
            if (!r.ipv6() && r.address().equals("0.0.0.0")) {
                ipv4Wildcards.add(r.transport() + "/" + r.port());
            }
        }
        Map<Integer, ProcessInfo> infos = new LinkedHashMap<>();
        List<Listener> listeners = new ArrayList<>();
        int hidden = 0;
        int gone = 0;
        for (Map.Entry<String, List<SocketRow>> e : byKey.entrySet()) {
            List<SocketRow> rows = e.getValue();
            SocketRow first = rows.get(0);
            List<Owner> owners = new ArrayList<>();
            Set<Integer> seen = new HashSet<>();
            int uid = -1;
            String user = "";
            for (SocketRow r : rows) {
                if (r.pid() < 0) {
                    if (owners.isEmpty()) {
                        if (snapshot.privileged()) {
                            owners.add(new Owner.None("no process holds it (a socket of the kernel, or its holder"
                                    + " exited between the two reads)"));
                        } else {
                            owners.add(new Owner.Hidden(snapshot.hiddenReason()));
                            hidden++;
                        }
                    }
                    continue;
                }
                if (!seen.add(r.pid())) {
                    continue;
                }
                ProcessRow p = snapshot.processes().get(r.pid());
                if (p == null) {
                    owners.add(new Owner.Gone(r.pid()));
                    gone++;
                    continue;
                }
                ProcessInfo info = infos.computeIfAbsent(r.pid(), pid -> info(p, snapshot.processes(), sources));
                owners.add(new Owner.Known(info, r.fd()));
                if (uid < 0) {
                    uid = p.uid();
                    user = p.user();
                }
            }
            SocketRow shown = first;
            String text = printed.get(e.getKey());
            if (text != null && !text.equals(first.address())) {
                shown = new SocketRow(
                        first.transport(),
                        text,
                        first.port(),
                        first.ipv6(),
                        first.state(),
                        first.pid(),
                        first.fd(),
                        first.dualStack());
            }
            listeners.add(new Listener(
                    first.transport(),
                    endpoint(
                            shown,
                            dual.getOrDefault(e.getKey(), SocketRow.DualStack.UNKNOWN),
                            ipv4Wildcards,
                            snapshot.dualStack()),
                    ListenerState.of(first.transport()),
                    uid,
                    user,
                    0,
                    HOST,
                    owners));
        }
        listeners.sort(ListenerOrder.INSTANCE);
        int established = 0;
        int connectedUdp = 0;
        if (query.ports().isPresent()) {
            List<SocketRow> sockets = !snapshot.all().isEmpty()
                    ? snapshot.all()
                    : snapshot.onePerSocket() ? snapshot.owned() : distinct(snapshot.owned());
            for (SocketRow r : sockets) {
                if (!query.ports().get().contains(r.port())) {
                    continue;
                }
                if (r.state() == SocketRow.State.ESTABLISHED
                        && query.transports().contains(r.transport())) {
                    established++;
                } else if (r.state() == SocketRow.State.UDP_CONNECTED
                        && query.transports().contains(r.transport())) {
                    connectedUdp++;
                }
            }
        }
        Coverage coverage = new Coverage(
                snapshot.privileged(),
                snapshot.processes().size(),
                0,
                0,
                hidden,
                gone,
                snapshot.malformed(),
                snapshot.notes(),
                0);
        return new Discovery(listeners, established, connectedUdp, coverage);
    }

    /**
     * The owned rows with a socket two processes share counted once: lsof lists a socket once per
     * process holding it. Connections are not told apart by peer here, so two connections from the
     * same process to the same local port count as one: a floor, said so where it is shown.
     */
    private static List<SocketRow> distinct(List<SocketRow> rows) {
        Map<String, SocketRow> out = new LinkedHashMap<>();
        for (SocketRow r : rows) {
            out.putIfAbsent(key(r) + "/" + r.state() + "/" + r.pid(), r);
        }
        return List.copyOf(out.values());
    }

    /**
     * Transport, family, address and port: the sockets that are one listener. A link-local address is
     * compared without its zone, in either of the forms macOS's tools print it: {@code fe80::1%lo0}
     * (netstat) and {@code fe80:1::1} (lsof, with the interface's index inside the address, as the
     * kernel keeps it).
     */
    static String key(SocketRow r) {
        return r.transport() + "/" + (r.ipv6() ? 6 : 4) + "/" + comparable(r.address()) + "/" + r.port();
    }

    private static String comparable(String address) {
        String a = address.toLowerCase(Locale.ROOT);
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        if (a.startsWith("fe80:") && Addresses.isLiteral(a)) {
            try {
                byte[] b = Addresses.literal(a).getAddress();
                if (b.length == 16) {
                    b[2] = 0; // the embedded interface index
                    b[3] = 0;
                    return Addresses.format(b);
                }
            } catch (IllegalArgumentException notAnAddress) {
                return a;
            }
        }
        return a;
    }

    /**
     * The endpoint of a socket, its scope from its address; the zone of a link-local address
     * ({@code %lo0}, {@code %13}) is kept in the text and left out of the test.
     */
    static Endpoint endpoint(
            SocketRow r, SocketRow.DualStack said, Set<String> ipv4Wildcards, Endpoint.DualStack unsaid) {
        String bare = r.address();
        int zone = bare.indexOf('%');
        if (zone >= 0) {
            bare = bare.substring(0, zone);
        }
        BindScope scope = BindScope.ADDRESS;
        if (Addresses.isLiteral(bare)) {
            try {
                byte[] a = Addresses.unmapped(Addresses.literal(bare).getAddress());
                scope = Addresses.isWildcard(a)
                        ? BindScope.ALL
                        : Addresses.isLoopback(a) ? BindScope.LOOPBACK : BindScope.ADDRESS;
            } catch (IllegalArgumentException notAnAddress) {
                scope = BindScope.ADDRESS; // digits and colons that are no address: shown as the tool printed it
            }
        }
        Endpoint.DualStack dual = Endpoint.DualStack.NOT_APPLICABLE;
        if (r.ipv6() && scope == BindScope.ALL) {
            if (said == SocketRow.DualStack.YES) {
                dual = Endpoint.DualStack.LIKELY;
            } else if (said == SocketRow.DualStack.NO || ipv4Wildcards.contains(r.transport() + "/" + r.port())) {
                dual = Endpoint.DualStack.NO;
            } else {
                dual = unsaid;
            }
        }
        return new Endpoint(r.address(), r.port(), r.ipv6(), scope, dual);
    }

    /**
     * A process with its ancestry and source.
     *
     * @param p       the process
     * @param all     every process by pid, where its ancestors are looked up
     * @param sources why a process runs, from its chain
     * @return the process as discovery gives it
     */
    public static ProcessInfo info(
            ProcessRow p, Map<Integer, ProcessRow> all, Function<List<ProcessRow>, Source> sources) {
        List<ProcessRow> chain = chain(p, all);
        List<ProcessRef> ancestry = new ArrayList<>();
        for (ProcessRow a : chain.subList(1, chain.size())) {
            ancestry.add(new ProcessRef(a.pid(), a.name(), a.command()));
        }
        return new ProcessInfo(
                p.pid(),
                p.ppid(),
                p.name(),
                p.executable(),
                p.commandLine(),
                p.uid(),
                p.user(),
                p.startTime(),
                null,
                ancestry,
                sources.apply(chain),
                p.terminal(),
                p.unreadable(),
                null);
    }

    /**
     * The process, then its parent, grandparent, … as far as the list goes: up to a pid not listed,
     * a process that is its own parent (launchd, System Idle), a "parent" that started after its child
     * (its pid reused, on Windows), or a loop in the data.
     *
     * @param p   the process
     * @param all every process by pid
     * @return the chain, {@code p} first
     */
    public static List<ProcessRow> chain(ProcessRow p, Map<Integer, ProcessRow> all) {
        List<ProcessRow> chain = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        ProcessRow at = p;
        while (at != null && seen.add(at.pid()) && chain.size() < MAX_ANCESTRY) {
            chain.add(at);
            ProcessRow parent = at.ppid() == at.pid() ? null : all.get(at.ppid());
            // Windows keeps a dead parent's pid in ParentProcessId, and may give that pid to a later
            // process: a "parent" that started after its child is not its parent
            if (parent != null
                    && parent.startTime() != null
                    && at.startTime() != null
                    && parent.startTime().isAfter(at.startTime())) {
                parent = null;
            }
            at = parent;
        }
        return chain;
    }

    /**
     * The children of a process, from a process list.
     *
     * @param pid the parent's pid
     * @param all every process by pid
     * @return its children in pid order
     */
    public static List<ProcessRef> children(int pid, Map<Integer, ProcessRow> all) {
        List<ProcessRef> out = new ArrayList<>();
        for (ProcessRow p : all.values()) {
            if (p.ppid() == pid && p.pid() != pid) {
                out.add(new ProcessRef(p.pid(), p.name(), p.command()));
            }
        }
        out.sort((a, b) -> Integer.compare(a.pid(), b.pid()));
        return out;
    }
}
