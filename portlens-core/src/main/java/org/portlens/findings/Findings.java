package org.portlens.findings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.portlens.discovery.Discovery;
import org.portlens.model.BindScope;
import org.portlens.model.EphemeralRange;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.OwnerIdentity;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.RuleForward;
import org.portlens.model.Transport;
import org.portlens.probe.Wire;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.KnownUse;
import org.portlens.registry.KnownUses;
import org.portlens.registry.PortStatus;

/**
 * Compares the registry's label with what really holds the port and what it speaks. Pure
 * functions of their arguments; safe from any thread.
 */
public final class Findings {

    private Findings() {}

    /**
     * The findings for a port or range, most important first: per owner of a listener, who it is
     * against IANA's label, then what its wire says against the label; then the ephemeral range,
     * then what could not be seen.
     *
     * @param ports     the ports asked about
     * @param records   IANA's records for them
     * @param status    the registry status of the first port
     * @param uses      software known to use the ports
     * @param discovery who listens
     * @param ephemeral this host's ephemeral range, when known
     * @param wires     what each probed listener speaks (listeners not probed are absent)
     * @return never empty; when nothing listens, {@link Finding.NothingListening} first, then
     *         {@link Finding.RegisteredUnused} and {@link Finding.EstablishedOnly} where they apply, and no
     *         ephemeral-range or partial-answer finding
     */
    public static List<Finding> of(
            PortRange ports,
            List<IanaRecord> records,
            PortStatus status,
            List<KnownUse> uses,
            Discovery discovery,
            Optional<EphemeralRange> ephemeral,
            Map<Listener, Wire> wires) {
        return of(ports, records, status, uses, discovery, ephemeral, wires, Map.of());
    }

    /**
     * The findings as {@link #of(PortRange, List, PortStatus, List, Discovery, Optional, Map)} gives
     * them, with the installed package of each owner's executable: a known use explains a listener
     * also when its owner's package is that software's, and the holder is named with its package.
     *
     * @param ports     the ports asked about
     * @param records   IANA's records for them
     * @param status    the registry status of the first port
     * @param uses      software known to use the ports
     * @param discovery who listens
     * @param ephemeral this host's ephemeral range, when known
     * @param wires     what each probed listener speaks (listeners not probed are absent)
     * @param installed by pid, the package of the process's executable and its version, "NAME VERSION"
     *                  (processes not from a package, or not looked up, are absent)
     * @return never empty, as the shorter form
     */
    public static List<Finding> of(
            PortRange ports,
            List<IanaRecord> records,
            PortStatus status,
            List<KnownUse> uses,
            Discovery discovery,
            Optional<EphemeralRange> ephemeral,
            Map<Listener, Wire> wires,
            Map<Integer, String> installed) {
        List<Finding> out = new ArrayList<>();
        List<String> labels = labels(records);
        if (discovery.listeners().isEmpty()) {
            out.add(new Finding.NothingListening(ports));
            if (status == PortStatus.REGISTERED_UNUSED) {
                out.add(new Finding.RegisteredUnused(labels));
            }
            if (discovery.established() > 0) {
                out.add(new Finding.EstablishedOnly(discovery.established()));
            }
            return out;
        }
        // One finding per distinct holder: sockets grouped by (transport, namespace, owners).
        Map<String, List<Listener>> groups = new LinkedHashMap<>();
        for (Listener l : discovery.listeners()) {
            groups.computeIfAbsent(holderKey(l), k -> new ArrayList<>()).add(l);
        }
        for (List<Listener> group : groups.values()) {
            out.add(holder(group, records, labels, uses, installed));
            wire(group, records, wires).ifPresent(out::add);
        }
        if (ephemeral.isPresent() && ephemeral.get().range().overlaps(ports)) {
            out.add(new Finding.InEphemeralRange(ephemeral.get()));
        }
        if (discovery.coverage().partial()) {
            out.add(new Finding.PartialAnswer(
                    discovery.coverage().ownersHidden(),
                    discovery.coverage().ownersGone(),
                    discovery.coverage().privileged()));
        }
        return out;
    }

    /**
     * Whether IANA has no record for {@code transport} on the ports but assigns them for other
     * transports, as for 3640/sctp (3640 is tcp and udp).
     *
     * @param ports     the port or range asked about
     * @param transport the transport asked about
     * @param records   IANA's records overlapping the ports, of every transport
     * @return {@link Finding.NoRecordForTransport} when no record of {@code transport} names a service
     *         there and a record of another transport does; else empty
     */
    public static Optional<Finding> recordForTransport(PortRange ports, Transport transport, List<IanaRecord> records) {
        List<Transport> others = new ArrayList<>();
        for (IanaRecord r : records) {
            Transport t = r.transport();
            if (t == null || r.serviceName().isEmpty()) {
                continue;
            }
            if (t == transport) {
                return Optional.empty();
            }
            if (!others.contains(t)) {
                others.add(t);
            }
        }
        if (others.isEmpty()) {
            return Optional.empty();
        }
        others.sort(null);
        return Optional.of(new Finding.NoRecordForTransport(ports, transport, others));
    }

    /** IANA's names for the ports: service names, or the description where a record has none. */
    static List<String> labels(List<IanaRecord> records) {
        List<String> names = new ArrayList<>();
        for (IanaRecord r : records) {
            String n = r.serviceName().isEmpty() ? r.description().toLowerCase(Locale.ROOT) : r.serviceName();
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        return names;
    }

    /**
     * The findings with what forwards the ports: each NAT rule forwarding them first (in place of
     * "nothing is listening" when no process holds them), and for each listener a forwarder holds, how
     * far its server is published, after the findings about the holders.
     *
     * @param findings  the findings of {@link #of}
     * @param forwards  by listener, the forward of each listener a forwarding process holds
     * @param rules     the NAT rules forwarding the ports, followed to their servers
     * @return the findings with the forwards among them
     */
    public static List<Finding> withForwards(
            List<Finding> findings, Map<Listener, Forward> forwards, List<RuleForward> rules) {
        if (forwards.isEmpty() && rules.isEmpty()) {
            return findings;
        }
        List<Finding> out = new ArrayList<>();
        for (RuleForward r : rules) {
            out.add(new Finding.ForwardedByRule(r, new Exposure(r.reach(), r.matches(), r.namespace())));
        }
        List<Finding> published = new ArrayList<>();
        for (Map.Entry<Listener, Forward> e : forwards.entrySet()) {
            if (e.getValue().targetPort() > 0) {
                Listener l = e.getKey();
                published.add(
                        new Finding.Published(l.transport(), l.local().port(), e.getValue(), exposure(List.of(l))));
            }
        }
        boolean placed = published.isEmpty();
        for (Finding f : findings) {
            if (f instanceof Finding.NothingListening && !rules.isEmpty()) {
                continue; // the rule says where the port goes
            }
            if (!placed && !isHolder(f)) {
                out.addAll(published);
                placed = true;
            }
            out.add(f);
        }
        if (!placed) {
            out.addAll(published);
        }
        return out;
    }

    private static boolean isHolder(Finding f) {
        return f instanceof Finding.RegisteredService
                || f instanceof Finding.KnownUseMatch
                || f instanceof Finding.NoRegisteredName
                || f instanceof Finding.LabelMismatch
                || f instanceof Finding.HiddenOwner
                || f instanceof Finding.NoRecordForTransport;
    }

    private static String holderKey(Listener l) {
        StringBuilder k = new StringBuilder(l.transport().label())
                .append('|')
                .append(l.namespace().inode())
                .append('|');
        for (Owner o : l.owners()) {
            k.append(o instanceof Owner.Known known ? "p" + known.process().pid() : o.toString())
                    .append(',');
        }
        return k.toString();
    }

    private static Finding holder(
            List<Listener> group,
            List<IanaRecord> records,
            List<String> labels,
            List<KnownUse> uses,
            Map<Integer, String> installed) {
        Listener first = group.get(0);
        List<ProcessInfo> procs = first.processes();
        Exposure exposure = exposure(group);
        int port = first.local().port();
        if (procs.isEmpty()) {
            Owner o = first.owners().get(0);
            String why = o instanceof Owner.Hidden hidden
                    ? hidden.reason()
                    : o instanceof Owner.None none ? none.reason() : "the process exited during the scan";
            return new Finding.HiddenOwner(first.transport(), port, exposure, why);
        }
        ProcessInfo p = procs.get(0);
        String pkg = installed.getOrDefault(p.pid(), "");
        Holder holder = new Holder(first.transport(), port, p, procs.size() - 1, exposure, pkg);
        String hay = (p.name() + " " + (p.executable() == null ? "" : p.executable()) + " " + p.command())
                .toLowerCase(Locale.ROOT);
        for (IanaRecord r : records) {
            String n = r.serviceName().toLowerCase(Locale.ROOT);
            if (n.length() >= 3 && containsToken(hay, n)) {
                return new Finding.RegisteredService(holder, r.serviceName());
            }
        }
        Optional<KnownUses.Recognition> known = KnownUses.recognise(
                uses,
                first.transport(),
                port,
                OwnerIdentity.of(p, pkg.isEmpty() ? Set.of() : Set.of(pkg.split(" ", 2)[0])));
        if (known.isPresent()) {
            return new Finding.KnownUseMatch(
                    holder,
                    labels,
                    known.get().use().software(),
                    known.get().mark().describe());
        }
        List<String> others = new ArrayList<>();
        for (KnownUse u : uses) {
            if (u.ports().contains(port)
                    && u.transports().contains(first.transport())
                    && !others.contains(u.software())) {
                others.add(u.software());
            }
        }
        if (records.stream().allMatch(r -> r.serviceName().isEmpty())) {
            return new Finding.NoRegisteredName(holder, others);
        }
        return new Finding.LabelMismatch(holder, labels, others);
    }

    /** The wire of the group's first probed listener against IANA's names for its port. */
    private static Optional<Finding> wire(List<Listener> group, List<IanaRecord> records, Map<Listener, Wire> wires) {
        for (Listener l : group) {
            Wire w = wires.get(l);
            if (w == null) {
                continue;
            }
            int port = l.local().port();
            List<String> names = new ArrayList<>();
            for (IanaRecord rec : records) {
                if (rec.ports() != null
                        && rec.ports().contains(port)
                        && rec.transport() == l.transport()
                        && !rec.serviceName().isEmpty()) {
                    names.add(rec.serviceName().toLowerCase(Locale.ROOT));
                }
            }
            Finding.WireVerdict verdict;
            if (w.outcome() == Wire.Outcome.NONE) {
                verdict = Finding.WireVerdict.SILENT;
            } else if (w.outcome() == Wire.Outcome.UNKNOWN) {
                verdict = Finding.WireVerdict.UNKNOWN;
            } else if (names.isEmpty()) {
                verdict = Finding.WireVerdict.UNNAMED;
            } else {
                verdict =
                        agrees(w.protocol(), names) ? Finding.WireVerdict.MATCHES_LABEL : Finding.WireVerdict.DISAGREES;
            }
            return Optional.of(new Finding.WireSeen(l.transport(), port, w, verdict, names));
        }
        return Optional.empty();
    }

    private static boolean agrees(String protocol, List<String> names) {
        String p = protocol.toLowerCase(Locale.ROOT);
        for (String n : names) {
            if (n.equals(p) || n.startsWith(p) || p.startsWith(n) || (p.equals("https") && n.equals("http"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsToken(String hay, String word) {
        int i = hay.indexOf(word);
        while (i >= 0) {
            boolean start = i == 0 || !Character.isLetterOrDigit(hay.charAt(i - 1));
            int end = i + word.length();
            if (end < hay.length() && hay.charAt(end) == 'd') {
                end++; // the daemon of a service: sshd for ssh, ntpd for ntp
            }
            boolean stop = end >= hay.length() || !Character.isLetter(hay.charAt(end));
            if (start && stop) {
                return true;
            }
            i = hay.indexOf(word, i + 1);
        }
        return false;
    }

    private static Exposure exposure(List<Listener> group) {
        Listener l = group.get(0);
        BindScope scope;
        if (group.stream().anyMatch(x -> x.local().scope() == BindScope.ALL)) {
            scope = BindScope.ALL;
        } else if (group.stream().allMatch(x -> x.local().scope() == BindScope.LOOPBACK)) {
            scope = BindScope.LOOPBACK;
        } else {
            scope = BindScope.ADDRESS;
        }
        return new Exposure(scope, l.local().address(), l.namespace());
    }
}
