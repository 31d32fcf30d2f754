package org.portlens;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.findings.Finding;
import org.portlens.findings.Findings;
import org.portlens.internal.Addresses;
import org.portlens.internal.OperatingSystem;
import org.portlens.model.BindScope;
import org.portlens.model.EphemeralRange;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.RuleForward;
import org.portlens.model.RuleForwards;
import org.portlens.model.Transport;
import org.portlens.packages.PackageLookup;
import org.portlens.packages.PackageOrigin;
import org.portlens.probe.Hints;
import org.portlens.probe.Prober;
import org.portlens.probe.Wire;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.KnownUse;
import org.portlens.registry.KnownUses;
import org.portlens.registry.PortStatus;
import org.portlens.registry.RangeClass;
import org.portlens.registry.Registry;

/**
 * Puts the registry, the known uses, the socket table and the wire together into an
 * {@link Explanation}. Immutable: build one with {@link #builder()}, then call
 * {@link #explain} from any thread, as often as wanted.
 *
 * <pre>{@code
 * Explainer explainer = Explainer.builder()
 *         .socketTable(SocketTable.system())
 *         .prober(Prober.withDefaults())
 *         .build();
 * Explanation e = explainer.explain(PortRange.of(3640), Optional.empty());
 * }</pre>
 */
public final class Explainer {

    /** At most this many listeners are probed in one explanation; the rest are said to be skipped. */
    static final int MAX_PROBED = 32;

    private final Supplier<Registry> registry;
    private final Supplier<KnownUses> knownUses;
    private final SocketTable sockets;
    private final Optional<Prober> prober;
    private final PackageLookup packages;

    private Explainer(Builder b) {
        this.registry = b.registry;
        this.knownUses = b.knownUses;
        this.sockets = b.sockets;
        this.prober = b.prober;
        this.packages = b.packages;
    }

    /**
     * A builder with the bundled registry and known uses, no socket table (the registry alone), no
     * probing and no package lookup.
     *
     * @return a builder with those settings
     */
    public static Builder builder() {
        return new Builder(
                Registry::bundled, KnownUses::bundled, SocketTable.none(), Optional.empty(), PackageLookup.none());
    }

    /**
     * A builder that starts from this explainer's settings.
     *
     * @return a builder with this explainer's registry, known uses, socket table, prober and package lookup
     */
    public Builder toBuilder() {
        return new Builder(registry, knownUses, sockets, prober, packages);
    }

    /**
     * Settings of an {@link Explainer}. Immutable: each method returns a new builder, so one can be
     * shared and varied from any thread.
     */
    public static final class Builder {
        private final Supplier<Registry> registry;
        private final Supplier<KnownUses> knownUses;
        private final SocketTable sockets;
        private final Optional<Prober> prober;
        private final PackageLookup packages;

        private Builder(
                Supplier<Registry> registry,
                Supplier<KnownUses> knownUses,
                SocketTable sockets,
                Optional<Prober> prober,
                PackageLookup packages) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.knownUses = Objects.requireNonNull(knownUses, "knownUses");
            this.sockets = Objects.requireNonNull(sockets, "sockets");
            this.prober = prober;
            this.packages = Objects.requireNonNull(packages, "packages");
        }

        /**
         * The registry to use.
         *
         * @param registry a registry already loaded, such as {@link Registry#bundled()}
         * @return a new builder with this registry and the rest of this one
         */
        public Builder registry(Registry registry) {
            Objects.requireNonNull(registry, "registry");
            return registry(() -> registry);
        }

        /**
         * The registry, loaded only when an explanation asks, on the calling thread, while the socket
         * table is read on another: the two overlap.
         *
         * @param registry called once per explanation; it should cache if loading costs
         * @return a new builder with this registry and the rest of this one
         */
        public Builder registry(Supplier<Registry> registry) {
            return new Builder(registry, knownUses, sockets, prober, packages);
        }

        /**
         * The known uses to show and match.
         *
         * @param knownUses known uses already loaded, such as {@link KnownUses#bundled()}
         * @return a new builder with these known uses and the rest of this one
         */
        public Builder knownUses(KnownUses knownUses) {
            Objects.requireNonNull(knownUses, "knownUses");
            return knownUses(() -> knownUses);
        }

        /**
         * The known uses, loaded when an explanation asks.
         *
         * @param knownUses called once per explanation; it should cache if loading costs
         * @return a new builder with these known uses and the rest of this one
         */
        public Builder knownUses(Supplier<KnownUses> knownUses) {
            return new Builder(registry, knownUses, sockets, prober, packages);
        }

        /**
         * Where to look for listeners; {@link SocketTable#none()} to explain from the registry alone.
         *
         * @param sockets the socket table to read, such as {@link SocketTable#system()}
         * @return a new builder with this socket table and the rest of this one
         */
        public Builder socketTable(SocketTable sockets) {
            return new Builder(registry, knownUses, sockets, prober, packages);
        }

        /**
         * Also probe each local listener to say what it really speaks.
         *
         * @param prober what identifies each listener's protocol
         * @return a new builder that probes with it
         */
        public Builder prober(Prober prober) {
            return new Builder(registry, knownUses, sockets, Optional.of(prober), packages);
        }

        /**
         * Do not probe (the default).
         *
         * @return a new builder without a prober
         */
        public Builder noProbing() {
            return new Builder(registry, knownUses, sockets, Optional.empty(), packages);
        }

        /**
         * Also name the installed package of each listener owner's executable.
         *
         * @param packages what finds them, such as {@link PackageLookup#system()}; {@link PackageLookup#none()}
         *     (the default) looks nothing up
         * @return a new builder that looks packages up with it
         */
        public Builder packages(PackageLookup packages) {
            return new Builder(registry, knownUses, sockets, prober, packages);
        }

        /**
         * The explainer.
         *
         * @return a new explainer with this builder's settings
         */
        public Explainer build() {
            return new Explainer(this);
        }
    }

    /**
     * Explains a port or range, for one transport or (empty) all.
     *
     * @param ports     the port or range to explain
     * @param transport the transport to explain, or empty for every one
     * @return the records, known uses, listeners and findings for the ports
     */
    public Explanation explain(PortRange ports, Optional<Transport> transport) {
        return explainStaged(ports, transport, null);
    }

    /**
     * Explains a port or range as {@link #explain(PortRange, Optional)} does, and hands over what
     * is known before the listeners are probed, so that a terminal can show it at once: the same
     * explanation with no wire yet (each listener not probed, with an empty reason) and the findings
     * as they stand without the wire. Called once, on the calling thread, only when there are
     * listeners to probe.
     *
     * @param ports         the port or range to explain
     * @param transport     the transport to explain, or empty for every one
     * @param beforeProbing receives the explanation before the probes; it should not take long
     * @return the whole explanation, with the wire
     */
    public Explanation explain(PortRange ports, Optional<Transport> transport, Consumer<Explanation> beforeProbing) {
        return explainStaged(ports, transport, beforeProbing);
    }

    private Explanation explainStaged(
            PortRange ports, Optional<Transport> transport, @Nullable Consumer<Explanation> beforeProbing) {
        String note = "";
        TableRead read = null;
        if (sockets == SocketTable.none()) {
            note = "listeners not checked";
        } else if (transport.isPresent() && !transport.get().discoverable()) {
            note = "discovery covers tcp and udp; " + transport.get().label() + " is shown from the registry only";
        } else {
            read = new TableRead(sockets, Query.ports(ports, transport));
            read.start();
        }
        RulesRead rulesRead = null;
        if (read != null) {
            rulesRead = new RulesRead(sockets, ports, transport);
            rulesRead.start();
        }
        Registry reg = registry.get();
        KnownUses known = knownUses.get();
        List<IanaRecord> records = reg.overlapping(ports, transport);
        List<KnownUse> uses = known.overlapping(ports, transport);
        PortStatus status = PortStatus.of(
                reg.overlapping(PortRange.of(ports.low()), transport),
                known.overlapping(PortRange.of(ports.low()), transport));
        Optional<Discovery> discovery = Optional.empty();
        Optional<EphemeralRange> ephemeral = Optional.empty();
        if (read != null) {
            discovery = Optional.of(read.result());
            ephemeral = sockets.ephemeralRange();
        }
        List<Explanation.ExplainedListener> listeners = List.of();
        List<Finding> findings;
        RuleForwards rules = RuleForwards.NONE;
        if (discovery.isPresent()) {
            // the packages are looked up while the listeners are probed: a first lookup indexes dpkg's database
            PackagesAhead ahead = new PackagesAhead(discovery.get().listeners());
            // a forwarding owner (docker-proxy, pasta) followed to the listener that serves its target
            Map<Listener, Forward> forwards = new HashMap<>();
            for (Listener l : discovery.get().listeners()) {
                sockets.forward(l).ifPresent(f -> forwards.put(l, f));
            }
            if (beforeProbing != null
                    && prober.isPresent()
                    && !discovery.get().listeners().isEmpty()) {
                List<Explanation.ExplainedListener> unprobed = new ArrayList<>();
                for (Listener l : discovery.get().listeners()) {
                    unprobed.add(Explanation.ExplainedListener.notProbed(l, ""));
                }
                unprobed = withForwards(ahead.attach(unprobed), forwards); // the owners whole, with packages
                List<Finding> before = Findings.of(
                        ports, records, status, uses, discovery.get(), ephemeral, Map.of(), installed(unprobed));
                beforeProbing.accept(assemble(
                        ports, transport, records, ephemeral, status, uses, discovery, note, unprobed, before, reg));
            }
            listeners = withForwards(ahead.attach(probeAll(discovery.get().listeners(), records)), forwards);
            Map<Listener, Wire> wires = new HashMap<>();
            for (Explanation.ExplainedListener l : listeners) {
                l.wire().ifPresent(w -> wires.put(l.listener(), w));
            }
            Map<Integer, String> installed = installed(listeners);
            findings = Findings.of(ports, records, status, uses, discovery.get(), ephemeral, wires, installed);
            rules = rulesRead == null ? RuleForwards.NONE : rulesRead.result();
            findings = Findings.withForwards(findings, forwards, rules.forwards());
        } else {
            findings = List.of(new Finding.NotChecked(sockets == SocketTable.none() ? "" : note));
        }
        Explanation e =
                assemble(ports, transport, records, ephemeral, status, uses, discovery, note, listeners, findings, reg);
        if (rules.forwards().isEmpty() && rules.notes().isEmpty()) {
            return e;
        }
        return new Explanation(
                e.ports(),
                e.transport(),
                e.records(),
                e.rangeClass(),
                e.ephemeral(),
                e.status(),
                e.knownUses(),
                e.discovery(),
                e.discoveryNote(),
                e.listeners(),
                e.findings(),
                withRuleChecks(e.checks(), ports, rules),
                probeRules(rules.forwards(), records),
                rules.notes());
    }

    /** The checks by hand, with how to see the NAT rules when some forward the ports. */
    private static List<Explanation.ManualCheck> withRuleChecks(
            List<Explanation.ManualCheck> checks, PortRange ports, RuleForwards rules) {
        if (rules.forwards().isEmpty()) {
            return checks;
        }
        List<Explanation.ManualCheck> out = new ArrayList<>(checks);
        String port = Integer.toString(ports.low());
        out.add(new Explanation.ManualCheck(
                "linux", "sudo nft -a list ruleset | grep -w " + port, "the nftables rules naming the port"));
        out.add(new Explanation.ManualCheck(
                "linux",
                "sudo iptables-save -t nat | grep -w " + port,
                "the same as iptables (Docker, kube-proxy) writes them"));
        out.add(new Explanation.ManualCheck(
                "linux",
                "sudo conntrack -L -p tcp --dport " + port,
                "connections the rules forwarded (package conntrack)"));
        return out;
    }

    /**
     * What each rule's target speaks, probed from here at the address the rule leads to (a redirect: at the
     * port it leads to), when the rule is in this namespace and a server was found; otherwise why not.
     */
    private List<Explanation.ExplainedRule> probeRules(List<RuleForward> rules, List<IanaRecord> records) {
        List<Explanation.ExplainedRule> out = new ArrayList<>();
        List<Prober.Target> targets = new ArrayList<>();
        List<String> at = new ArrayList<>();
        for (RuleForward r : rules) {
            String why = "";
            String address = "";
            if (prober.isEmpty()) {
                why = "";
            } else if (!r.namespace().current()) {
                why = "the rule is in " + r.namespace().label() + ", whose addresses are not reached from here";
            } else if (r.servers().isEmpty()) {
                why = "nothing was seen listening where it leads";
            } else if (r.redirect()) {
                address = probeAddress(r.servers().get(0));
            } else {
                address = r.targetAddress();
            }
            if (address.isEmpty() || targets.size() >= MAX_PROBED) {
                out.add(new Explanation.ExplainedRule(r, Optional.empty(), "", why));
                continue;
            }
            Listener server = r.servers().get(0);
            targets.add(new Prober.Target(
                    new InetSocketAddress(Addresses.literal(address), r.targetPort()),
                    r.transport(),
                    hints(server, records),
                    OptionalInt::empty));
            at.add(Addresses.hostPort(address, r.targetPort()));
            out.add(null); // filled below, once probed
        }
        if (targets.isEmpty()) {
            return out;
        }
        List<Wire> wires = prober.orElseThrow().probeAll(targets, MAX_PROBED);
        int next = 0;
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) == null) {
                out.set(i, new Explanation.ExplainedRule(rules.get(i), Optional.of(wires.get(next)), at.get(next), ""));
                next++;
            }
        }
        return out;
    }

    /** The explanation of these parts, with the registry's word on a missing transport said first. */
    private Explanation assemble(
            PortRange ports,
            Optional<Transport> transport,
            List<IanaRecord> records,
            Optional<EphemeralRange> ephemeral,
            PortStatus status,
            List<KnownUse> uses,
            Optional<Discovery> discovery,
            String note,
            List<Explanation.ExplainedListener> listeners,
            List<Finding> findings,
            Registry reg) {
        if (transport.isPresent()) {
            Optional<Finding> gap =
                    Findings.recordForTransport(ports, transport.get(), reg.overlapping(ports, Optional.empty()));
            if (gap.isPresent()) {
                List<Finding> withGap = new ArrayList<>(findings.size() + 1);
                withGap.add(gap.get()); // a registry fact, said before what the listeners show
                withGap.addAll(findings);
                findings = withGap;
            }
        }
        return new Explanation(
                ports,
                transport,
                records,
                RangeClass.of(ports.low()),
                ephemeral,
                status,
                uses,
                discovery,
                note,
                listeners,
                findings,
                checks(ports, transport, handTarget(ports, listeners)));
    }

    /**
     * What each listener speaks, probed as an explanation probes its listeners: on its own bind
     * address (a wildcard through loopback), in parallel, one probe per distinct endpoint, at most
     * 32; each with its registry names and owner as hints. Without a prober, every
     * listener is returned not probed.
     *
     * @param listeners listeners of this host, from any read of the socket table
     * @return one entry per listener, in order, with its wire or why it was not probed
     */
    public List<Explanation.ExplainedListener> probe(List<Listener> listeners) {
        if (prober.isEmpty() || listeners.isEmpty()) {
            return probeAll(listeners, List.of());
        }
        Registry reg = registry.get();
        List<IanaRecord> records = new ArrayList<>();
        for (Listener l : listeners) {
            for (IanaRecord r : reg.overlapping(PortRange.of(l.local().port()), Optional.of(l.transport()))) {
                if (!records.contains(r)) {
                    records.add(r);
                }
            }
        }
        return probeAll(listeners, records);
    }

    /**
     * Probes every listener of this namespace on its own bind address (a wildcard is reached through
     * loopback), in parallel, one probe per distinct endpoint. Listeners in other network namespaces
     * cannot be reached from here and are said to be skipped.
     */
    private List<Explanation.ExplainedListener> probeAll(List<Listener> listeners, List<IanaRecord> records) {
        if (prober.isEmpty()) {
            List<Explanation.ExplainedListener> out = new ArrayList<>();
            for (Listener l : listeners) {
                out.add(Explanation.ExplainedListener.notProbed(l, ""));
            }
            return out;
        }
        Map<String, Integer> endpoints = new LinkedHashMap<>();
        List<Prober.Target> targets = new ArrayList<>();
        for (Listener l : listeners) {
            String key = l.transport().label() + " " + l.local().hostPort();
            if (l.namespace().current() && !endpoints.containsKey(key) && targets.size() < MAX_PROBED) {
                endpoints.put(key, targets.size());
                targets.add(new Prober.Target(
                        new InetSocketAddress(
                                Addresses.literal(probeAddress(l)), l.local().port()),
                        l.transport(),
                        hints(l, records),
                        () -> sockets.acceptQueue(l)));
            }
        }
        // a listener of another namespace is probed from inside it, where it can be entered (root, JDK 22+)
        Map<String, ProbeInside> inside = new LinkedHashMap<>();
        for (Listener l : listeners) {
            String key = insideKey(l);
            if (!l.namespace().current() && !inside.containsKey(key) && targets.size() + inside.size() < MAX_PROBED) {
                ProbeInside p = new ProbeInside(l, hints(l, records));
                inside.put(key, p);
                p.start();
            }
        }
        List<Wire> wires = prober.get().probeAll(targets, MAX_PROBED);
        List<Explanation.ExplainedListener> out = new ArrayList<>();
        for (Listener l : listeners) {
            Integer slot = endpoints.get(l.transport().label() + " " + l.local().hostPort());
            if (!l.namespace().current()) {
                ProbeInside p = inside.get(insideKey(l));
                if (p == null) {
                    out.add(Explanation.ExplainedListener.notProbed(
                            l, "inside another network namespace; skipped: more than " + MAX_PROBED + " listeners"));
                } else {
                    p.await();
                    out.add(
                            p.wire != null
                                    ? new Explanation.ExplainedListener(l, Optional.of(p.wire), probeAddress(l), "")
                                    : Explanation.ExplainedListener.notProbed(
                                            l, "inside another network namespace: " + p.why));
                }
            } else if (slot == null) {
                out.add(Explanation.ExplainedListener.notProbed(l, "skipped: more than " + MAX_PROBED + " listeners"));
            } else {
                out.add(new Explanation.ExplainedListener(l, Optional.of(wires.get(slot)), probeAddress(l), ""));
            }
        }
        return out;
    }

    /**
     * Each listener with the package of each of its processes' executables, looked up once per pid;
     * the listeners as they are when no package lookup was asked for.
     */
    /** By pid, "NAME VERSION" of each owner's installed package, for the findings. */
    private static Map<Integer, String> installed(List<Explanation.ExplainedListener> listeners) {
        Map<Integer, String> installed = new HashMap<>();
        for (Explanation.ExplainedListener l : listeners) {
            for (Map.Entry<Integer, PackageOrigin> e : l.packages().entrySet()) {
                if (e.getValue() instanceof PackageOrigin.Installed i) {
                    installed.put(e.getKey(), i.name() + " " + i.version());
                }
            }
        }
        return installed;
    }

    /**
     * The packages of every owner of {@code listeners}, looked up on a thread of its own from
     * construction, and attached to the explained listeners once they are probed.
     */
    private final class PackagesAhead {
        private final Map<Integer, PackageOrigin> byPid = new HashMap<>();
        private final @Nullable Thread thread;

        PackagesAhead(List<Listener> listeners) {
            if (packages == PackageLookup.none()) {
                thread = null;
                return;
            }
            thread = new Thread(
                    () -> {
                        for (Listener l : listeners) {
                            for (ProcessInfo p : l.processes()) {
                                synchronized (byPid) {
                                    if (byPid.containsKey(p.pid())) {
                                        continue;
                                    }
                                }
                                PackageOrigin o = packages.of(p);
                                synchronized (byPid) {
                                    byPid.put(p.pid(), o);
                                }
                            }
                        }
                    },
                    "portlens-packages");
            thread.setDaemon(true);
            thread.start();
        }

        List<Explanation.ExplainedListener> attach(List<Explanation.ExplainedListener> listeners) {
            if (thread == null) {
                return listeners;
            }
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return listeners;
            }
            List<Explanation.ExplainedListener> out = new ArrayList<>(listeners.size());
            synchronized (byPid) {
                for (Explanation.ExplainedListener x : listeners) {
                    Map<Integer, PackageOrigin> mine = new HashMap<>();
                    for (ProcessInfo p : x.listener().processes()) {
                        PackageOrigin o = byPid.get(p.pid());
                        if (o != null) {
                            mine.put(p.pid(), o);
                        }
                    }
                    out.add(mine.isEmpty() ? x : x.withPackages(mine));
                }
            }
            return out;
        }
    }

    /** The listener's own address, or loopback for a wildcard. */
    private static String probeAddress(Listener l) {
        String address = l.local().address();
        if (l.local().scope() == BindScope.ALL) {
            return l.local().ipv6() && address.contains(":") ? "::1" : "127.0.0.1";
        }
        return address;
    }

    private static Hints hints(Listener l, List<IanaRecord> records) {
        List<String> iana = new ArrayList<>();
        for (IanaRecord r : records) {
            if (!r.serviceName().isEmpty()
                    && r.ports() != null
                    && r.ports().contains(l.local().port())
                    && r.transport() == l.transport()
                    && !iana.contains(r.serviceName())) {
                iana.add(r.serviceName());
            }
        }
        List<String> names = new ArrayList<>();
        for (ProcessInfo p : l.processes()) {
            if (!names.contains(p.name())) {
                names.add(p.name());
            }
        }
        return new Hints(iana, names);
    }

    /** The listeners, each with its forward when {@code forwards} has one. */
    private static List<Explanation.ExplainedListener> withForwards(
            List<Explanation.ExplainedListener> listeners, Map<Listener, Forward> forwards) {
        if (forwards.isEmpty()) {
            return listeners;
        }
        List<Explanation.ExplainedListener> out = new ArrayList<>(listeners.size());
        for (Explanation.ExplainedListener x : listeners) {
            out.add(x.withForward(Optional.ofNullable(forwards.get(x.listener()))));
        }
        return out;
    }

    /** A socket-table read on its own thread; its failure is rethrown to the caller of {@link #result()}. */
    private static String insideKey(Listener l) {
        return l.namespace().inode() + " " + l.transport().label() + " "
                + l.local().hostPort();
    }

    /** One probe of a listener of another namespace, from inside it, on a thread of its own. */
    private final class ProbeInside extends Thread {
        private final Listener listener;
        private final Hints hints;
        private @Nullable Wire wire;
        private String why = "";

        ProbeInside(Listener listener, Hints hints) {
            super("portlens-probe-inside");
            setDaemon(true);
            this.listener = listener;
            this.hints = hints;
        }

        @Override
        public void run() {
            Prober p = prober.orElseThrow();
            InetSocketAddress at = new InetSocketAddress(
                    Addresses.literal(probeAddress(listener)), listener.local().port());
            try {
                wire = sockets.inNamespaceOf(listener, () -> p.probe(at, listener.transport(), hints));
            } catch (IOException | RuntimeException e) {
                why = String.valueOf(e.getMessage());
            }
        }

        void await() {
            boolean interrupted = false;
            while (isAlive()) {
                try {
                    join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The NAT rules forwarding the ports, read on a thread of its own while the table is read and probed. */
    private static final class RulesRead extends Thread {
        private final SocketTable sockets;
        private final PortRange ports;
        private final Optional<Transport> transport;
        private RuleForwards rules = RuleForwards.NONE;

        RulesRead(SocketTable sockets, PortRange ports, Optional<Transport> transport) {
            super("portlens-nat-rules");
            setDaemon(true);
            this.sockets = sockets;
            this.ports = ports;
            this.transport = transport;
        }

        @Override
        public void run() {
            try {
                rules = sockets.ruleForwards(ports, transport);
            } catch (RuntimeException e) {
                rules = new RuleForwards(List.of(), List.of("NAT rules not read: " + e));
            }
        }

        RuleForwards result() {
            try {
                join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new RuleForwards(List.of(), List.of("NAT rules not read: interrupted"));
            }
            return rules;
        }
    }

    private static final class TableRead extends Thread {
        private final SocketTable sockets;
        private final Query query;
        private @Nullable Discovery discovery;
        private @Nullable RuntimeException failure;

        TableRead(SocketTable sockets, Query query) {
            super("portlens-socket-table");
            setDaemon(true);
            this.sockets = sockets;
            this.query = query;
        }

        @Override
        public void run() {
            try {
                discovery = sockets.read(query);
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        Discovery result() {
            try {
                join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the socket table", e);
            }
            if (failure != null) {
                throw failure;
            }
            if (discovery == null) {
                throw new IllegalStateException("the socket table read ended without a result");
            }
            return discovery;
        }
    }

    /**
     * Where to point curl and openssl by hand: the probe address of this namespace's first TCP listener
     * on the first port ({@code [::1]:3640} for one bound to ::1 only), else 127.0.0.1.
     */
    static String handTarget(PortRange ports, List<Explanation.ExplainedListener> listeners) {
        for (Explanation.ExplainedListener x : listeners) {
            Listener l = x.listener();
            if (l.transport() == Transport.TCP
                    && l.namespace().current()
                    && l.local().port() == ports.low()) {
                return Addresses.hostPort(probeAddress(l), ports.low());
            }
        }
        return Addresses.hostPort("127.0.0.1", ports.low());
    }

    /**
     * Commands that show the same thing by hand, per OS.
     *
     * @param target where curl and openssl connect, as {@code 127.0.0.1:3640} or {@code [::1]:3640}
     */
    static List<Explanation.ManualCheck> checks(PortRange ports, Optional<Transport> transport, String target) {
        List<Explanation.ManualCheck> out = new ArrayList<>();
        String p = ports.toString();
        boolean udpOnly = transport.equals(Optional.of(Transport.UDP));
        boolean tcpOnly = transport.equals(Optional.of(Transport.TCP));
        String ssFlags = udpOnly ? "-lunp" : tcpOnly ? "-ltnp" : "-ltunp";
        String ssFilter = ports.single()
                ? "'sport = :" + p + "'"
                : "'( sport >= :" + ports.low() + " and sport <= :" + ports.high() + " )'";
        out.add(new Explanation.ManualCheck(
                "linux", "sudo ss " + ssFlags + " " + ssFilter, "sockets on the port and their processes"));
        String lsofI = udpOnly ? "-iUDP:" + p : tcpOnly ? "-iTCP:" + p + " -sTCP:LISTEN" : "-i :" + p;
        out.add(new Explanation.ManualCheck("linux", "sudo lsof -nP " + lsofI, "the same, with file descriptors"));
        out.add(new Explanation.ManualCheck(
                "linux", "ps -o pid,ppid,user,lstart,cmd -p PID", "the process behind a PID"));
        out.add(new Explanation.ManualCheck("linux", "systemctl status PID", "the systemd unit of a PID, if any"));
        if (!udpOnly) {
            boolean v6 = target.startsWith("["); // brackets: quoted for the shell, -g so curl does not glob them
            String q = v6 ? "'" : "";
            out.add(new Explanation.ManualCheck(
                    "linux",
                    "curl " + (v6 ? "-g " : "") + "-sv --max-time 3 " + q + "http://" + target + "/" + q
                            + " -o /dev/null",
                    "does it answer HTTP?"));
            out.add(new Explanation.ManualCheck(
                    "linux",
                    "openssl s_client -connect " + q + target + q + " </dev/null",
                    "does it speak TLS, with which certificate?"));
        }
        out.add(new Explanation.ManualCheck(
                "macos",
                "sudo lsof -nP " + (udpOnly ? "-iUDP:" + p : "-iTCP:" + p + " -sTCP:LISTEN"),
                "listeners on the port and their processes"));
        out.add(new Explanation.ManualCheck(
                "macos", "ps -o pid,ppid,user,lstart,command -p PID", "the process behind a PID"));
        out.add(new Explanation.ManualCheck(
                "macos", "sudo launchctl procinfo PID", "the launchd job and context behind a PID"));
        out.add(new Explanation.ManualCheck(
                "windows", "netstat -ano | findstr :" + ports.low(), "sockets on the port, last column is the PID"));
        out.add(new Explanation.ManualCheck(
                "windows",
                udpOnly
                        ? "Get-NetUDPEndpoint -LocalPort " + ports.low()
                                + " | Select-Object LocalAddress,LocalPort,OwningProcess"
                        : "Get-NetTCPConnection -State Listen -LocalPort " + ports.low()
                                + " | Select-Object LocalAddress,LocalPort,OwningProcess",
                "PowerShell: listeners and their PIDs"));
        out.add(new Explanation.ManualCheck("windows", "tasklist /FI \"PID eq PID\"", "the process behind a PID"));
        out.add(new Explanation.ManualCheck(
                "windows",
                "Get-CimInstance Win32_Service -Filter \"ProcessId=PID\" | Select-Object Name,DisplayName,State",
                "PowerShell: the services a PID runs"));
        return thisSystemFirst(out, OperatingSystem.current());
    }

    /** The checks of the system portlens runs on first, each system's in their order. */
    static List<Explanation.ManualCheck> thisSystemFirst(List<Explanation.ManualCheck> checks, OperatingSystem os) {
        String here = os == OperatingSystem.MACOS ? "macos" : os == OperatingSystem.WINDOWS ? "windows" : "linux";
        List<Explanation.ManualCheck> out = new ArrayList<>();
        for (Explanation.ManualCheck c : checks) {
            if (c.os().equals(here)) {
                out.add(c);
            }
        }
        for (Explanation.ManualCheck c : checks) {
            if (!c.os().equals(here)) {
                out.add(c);
            }
        }
        return out;
    }
}
