package org.portlens;

import java.util.ArrayList;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portlens.model.BindScope;
import org.portlens.model.Listener;
import org.portlens.model.ProcessInfo;
import org.portlens.probe.Hints;
import org.portlens.probe.Prober;
import org.portlens.probe.Wire;
import java.util.function.Supplier;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.model.EphemeralRange;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.KnownUse;
import org.portlens.registry.KnownUses;
import org.portlens.registry.PortStatus;
import org.portlens.registry.RangeClass;
import org.portlens.registry.Registry;

/** Puts the registry, the known uses and the socket table together into an {@link Explanation}. */
public final class Explainer {

    private final Supplier<Registry> registry;
    private final Supplier<KnownUses> knownUses;
    private final SocketTable sockets;
    private Prober prober;

    /**
     * @param sockets the socket table, or null to explain from the registry alone
     */
    public Explainer(Registry registry, KnownUses knownUses, SocketTable sockets) {
        this(() -> registry, () -> knownUses, sockets);
    }

    /**
     * Loads the registry and known uses only when asked, on the calling thread, while the socket
     * table is read on another: the two overlap.
     *
     * @param sockets the socket table, or null to explain from the registry alone
     */
    public Explainer(Supplier<Registry> registry, Supplier<KnownUses> knownUses, SocketTable sockets) {
        this.registry = registry;
        this.knownUses = knownUses;
        this.sockets = sockets;
    }

    /** Also probes each local listener to say what it really speaks; null to skip probing. */
    public Explainer withProber(Prober prober) {
        this.prober = prober;
        return this;
    }

    /** At most this many listeners are probed in one explanation; the rest are said to be skipped. */
    static final int MAX_PROBED = 32;

    /** Explains a port or range, for one transport or (null) all. */
    public Explanation explain(PortRange ports, Transport transport) {
        String note = "";
        Scan scan = null;
        if (sockets == null) {
            note = "listeners not checked";
        } else if (transport != null && !transport.discoverable()) {
            note = "discovery covers tcp and udp; " + transport.label() + " is shown from the registry only";
        } else {
            scan = new Scan(sockets, Query.ports(ports, transport));
            scan.start();
        }
        Registry reg = registry.get();
        KnownUses known = knownUses.get();
        List<IanaRecord> records = reg.overlapping(ports, transport);
        List<KnownUse> uses = known.overlapping(ports, transport);
        PortStatus status = PortStatus.of(reg.byPort(ports.low(), transport), known.overlapping(PortRange.of(ports.low()), transport));
        Discovery discovery = null;
        EphemeralRange ephemeral = null;
        if (scan != null) {
            discovery = scan.result();
            ephemeral = sockets.ephemeralRange();
        }
        List<Explanation.Probed> wires = List.of();
        if (prober != null && discovery != null && !discovery.listeners().isEmpty()) {
            wires = probeAll(discovery.listeners(), records);
        }
        boolean inEphemeral = ephemeral != null && ephemeral.range().overlaps(ports);
        List<String> verdict = Verdict.of(ports, records, status, uses, discovery, inEphemeral, wires);
        if (!note.isEmpty() && discovery == null && transport != null && !transport.discoverable()) {
            verdict = List.of("Listeners were not checked: " + note + ".");
        }
        return new Explanation(ports, transport, records, RangeClass.of(ports.low()), ephemeral, status, uses,
                discovery, note, wires, verdict, checks(ports, transport));
    }

    /**
     * Probes every listener of this namespace on its own bind address (a wildcard is reached through
     * loopback), in parallel, one probe per distinct endpoint. Listeners in other network namespaces
     * cannot be reached from here and are left out.
     */
    private List<Explanation.Probed> probeAll(List<Listener> listeners, List<IanaRecord> records) {
        Map<String, Listener> endpoints = new LinkedHashMap<>();
        for (Listener l : listeners) {
            if (l.namespace().current()) {
                endpoints.putIfAbsent(l.transport().label() + " " + l.local().hostPort(), l);
            }
        }
        List<Listener> targets = new ArrayList<>(endpoints.values());
        if (targets.size() > MAX_PROBED) {
            targets = targets.subList(0, MAX_PROBED);
        }
        Explanation.Probed[] out = new Explanation.Probed[targets.size()];
        Thread[] threads = new Thread[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            Listener l = targets.get(i);
            int slot = i;
            threads[i] = new Thread(() -> out[slot] = probe(l, records), "portlens-probe-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        List<Explanation.Probed> wires = new ArrayList<>();
        for (int i = 0; i < threads.length; i++) {
            try {
                threads[i].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (out[i] != null) {
                wires.add(out[i]);
            }
        }
        return wires;
    }

    private Explanation.Probed probe(Listener l, List<IanaRecord> records) {
        String address = l.local().address();
        if (l.local().scope() == BindScope.ALL) {
            address = l.local().ipv6() && address.contains(":") ? "::1" : "127.0.0.1";
        }
        List<String> iana = new ArrayList<>();
        for (IanaRecord r : records) {
            if (!r.serviceName().isEmpty() && r.ports() != null && r.ports().contains(l.local().port())
                    && r.transport() == l.transport() && !iana.contains(r.serviceName())) {
                iana.add(r.serviceName());
            }
        }
        List<String> names = new ArrayList<>();
        for (ProcessInfo p : l.processes()) {
            if (!names.contains(p.name())) {
                names.add(p.name());
            }
        }
        InetSocketAddress target = new InetSocketAddress(org.portlens.internal.Addresses.literal(address), l.local().port());
        Wire result = prober.probe(target, l.transport(), new Hints(iana, names));
        return new Explanation.Probed(l.transport(), l.local().address(), l.local().port(), address, result);
    }

    /** A socket-table scan on its own thread; its failure is rethrown to the caller of {@link #result()}. */
    private static final class Scan extends Thread {
        private final SocketTable sockets;
        private final Query query;
        private Discovery discovery;
        private RuntimeException failure;

        Scan(SocketTable sockets, Query query) {
            super("portlens-scan");
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
                throw new IllegalStateException("interrupted while scanning sockets", e);
            }
            if (failure != null) {
                throw failure;
            }
            return discovery;
        }
    }

    /** Commands that show the same thing by hand, per OS. */
    static List<Explanation.ManualCheck> checks(PortRange ports, Transport transport) {
        List<Explanation.ManualCheck> out = new ArrayList<>();
        String p = ports.toString();
        boolean udpOnly = transport == Transport.UDP;
        boolean tcpOnly = transport == Transport.TCP;
        String ssFlags = udpOnly ? "-lunp" : tcpOnly ? "-ltnp" : "-ltunp";
        String ssFilter = ports.single() ? "'sport = :" + p + "'" : "'( sport >= :" + ports.low() + " and sport <= :" + ports.high() + " )'";
        out.add(new Explanation.ManualCheck("linux", "sudo ss " + ssFlags + " " + ssFilter, "sockets on the port and their processes"));
        String lsofI = udpOnly ? "-iUDP:" + p : tcpOnly ? "-iTCP:" + p + " -sTCP:LISTEN" : "-i :" + p;
        out.add(new Explanation.ManualCheck("linux", "sudo lsof -nP " + lsofI, "the same, with file descriptors"));
        out.add(new Explanation.ManualCheck("linux", "ps -o pid,ppid,user,lstart,cmd -p PID", "the process behind a PID"));
        out.add(new Explanation.ManualCheck("linux", "systemctl status PID", "the systemd unit of a PID, if any"));
        if (!udpOnly) {
            out.add(new Explanation.ManualCheck("linux", "curl -sv --max-time 3 http://127.0.0.1:" + ports.low() + "/ -o /dev/null",
                    "does it answer HTTP?"));
            out.add(new Explanation.ManualCheck("linux", "openssl s_client -connect 127.0.0.1:" + ports.low() + " </dev/null",
                    "does it speak TLS, with which certificate?"));
        }
        out.add(new Explanation.ManualCheck("macos", "sudo lsof -nP " + (udpOnly ? "-iUDP:" + p : "-iTCP:" + p + " -sTCP:LISTEN"),
                "listeners on the port and their processes"));
        out.add(new Explanation.ManualCheck("macos", "ps -o pid,ppid,user,lstart,command -p PID", "the process behind a PID"));
        out.add(new Explanation.ManualCheck("windows", "netstat -ano | findstr :" + ports.low(), "sockets on the port, last column is the PID"));
        out.add(new Explanation.ManualCheck("windows",
                udpOnly ? "Get-NetUDPEndpoint -LocalPort " + ports.low() + " | Select-Object LocalAddress,LocalPort,OwningProcess"
                        : "Get-NetTCPConnection -State Listen -LocalPort " + ports.low() + " | Select-Object LocalAddress,LocalPort,OwningProcess",
                "PowerShell: listeners and their PIDs"));
        out.add(new Explanation.ManualCheck("windows", "tasklist /FI \"PID eq PID\"", "the process behind a PID"));
        return out;
    }
}
