package org.portlens;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.portlens.model.Transport;
import org.portlens.probe.Hints;
import org.portlens.probe.Prober;
import org.portlens.probe.Wire;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.Registry;
import org.portlens.scan.PortSet;
import org.portlens.scan.PortState;
import org.portlens.scan.ProgressListener;
import org.portlens.scan.ScanOptions;
import org.portlens.scan.ScanReport;
import org.portlens.scan.TcpConnectScanner;
import org.portlens.scan.UdpScanner;

/**
 * Scans a host's ports and, when given a prober, identifies what each open port speaks: the sweep
 * and the identification together, as {@code portlens scan --identify} does. Over UDP the listed
 * open|filtered ports are identified too (a silent UDP port may only answer its own protocol), and
 * one that answers a probe is listed as open. Immutable: build one
 * with {@link #builder()}, then scan from any thread. Scan only hosts you are allowed to scan.
 */
public final class HostScanner {

    /** Filtered (or open|filtered) ports are listed one by one only while there are at most this many. */
    public static final int LIST_LIMIT = 50;

    /** How many open ports are identified at once. */
    public static final int IDENTIFY_PARALLELISM = 16;

    /** A class, not a lambda: the JDK's own lambdas are spun at run time, about 10 ms of a cold start. */
    private static final Comparator<HostScan.Row> BY_PORT = new Comparator<>() {
        @Override
        public int compare(HostScan.Row a, HostScan.Row b) {
            return Integer.compare(a.port(), b.port());
        }
    };

    private final Supplier<Registry> registry;
    private final ScanOptions options;
    private final Optional<Prober> prober;

    private HostScanner(Builder b) {
        this.registry = b.registry;
        this.options = b.options;
        this.prober = b.prober;
    }

    /**
     * A builder with the bundled registry, {@link ScanOptions#defaults()} and no identification.
     *
     * @return a builder with those settings
     */
    public static Builder builder() {
        return new Builder(Registry::bundled, ScanOptions.defaults(), Optional.empty());
    }

    /**
     * Settings of a {@link HostScanner}. Immutable: each method returns a new builder, so one can be
     * shared and varied from any thread.
     */
    public static final class Builder {
        private final Supplier<Registry> registry;
        private final ScanOptions options;
        private final Optional<Prober> prober;

        private Builder(Supplier<Registry> registry, ScanOptions options, Optional<Prober> prober) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.options = Objects.requireNonNull(options, "options");
            this.prober = prober;
        }

        /**
         * The registry that names the ports, loaded when a scan starts.
         *
         * @param registry called once per scan; it should cache if loading costs
         * @return a new builder with this registry and the rest of this one
         */
        public Builder registry(Supplier<Registry> registry) {
            return new Builder(registry, options, prober);
        }

        /**
         * Timeouts, rate, concurrency and engine of the sweep.
         *
         * @param options the sweep's limits
         * @return a new builder with these options and the rest of this one
         */
        public Builder options(ScanOptions options) {
            return new Builder(registry, options, prober);
        }

        /**
         * Identify every open port with this prober.
         *
         * @param prober what identifies each open port's protocol
         * @return a new builder that identifies with it
         */
        public Builder identify(Prober prober) {
            return new Builder(registry, options, Optional.of(prober));
        }

        /**
         * The scanner.
         *
         * @return a new scanner with this builder's settings
         */
        public HostScanner build() {
            return new HostScanner(this);
        }
    }

    /**
     * Scans {@code ports} of {@code host} over {@code transport} (tcp or udp).
     *
     * @param host      the host to scan
     * @param ports     the ports to scan
     * @param transport tcp or udp
     * @param progress  told how far the sweep has got, on the calling thread; {@link ProgressListener#NONE} to
     *                  ignore it
     * @return the sweep's report with the ports worth listing, open ones identified when a prober was given
     * @throws IOException when the host cannot be scanned at all (no socket, an address family
     *                     this host lacks)
     * @throws IllegalArgumentException for a transport other than tcp or udp
     */
    public HostScan scan(InetAddress host, PortSet ports, Transport transport, ProgressListener progress)
            throws IOException {
        if (!transport.discoverable()) {
            throw new IllegalArgumentException("scans are tcp or udp, not " + transport.label());
        }
        Registry reg = registry.get(); // before the sweep: it overlaps a native engine binding in the background
        ScanReport report = transport == Transport.UDP
                ? new UdpScanner(options).scan(host, ports, progress)
                : new TcpConnectScanner(options).scan(host, ports, progress);
        List<Integer> listed = new ArrayList<>();
        for (int port : report.ports(PortState.OPEN).toArray()) {
            listed.add(port);
        }
        List<PortState> states = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            states.add(PortState.OPEN);
        }
        for (PortState s : new PortState[] {PortState.OPEN_FILTERED, PortState.FILTERED}) {
            if (report.count(s) <= LIST_LIMIT) {
                for (int port : report.ports(s).toArray()) {
                    listed.add(port);
                    states.add(s);
                }
            }
        }
        // TCP: the open ports. UDP: the listed open|filtered ones too, since most UDP services ignore the
        // sweep's one-byte datagram and stay silent, yet answer a request in their own protocol.
        int identify = report.count(PortState.OPEN);
        if (transport == Transport.UDP) {
            while (identify < listed.size() && states.get(identify) == PortState.OPEN_FILTERED) {
                identify++;
            }
        }
        List<Wire> wires = List.of();
        if (prober.isPresent()) {
            List<Prober.Target> targets = new ArrayList<>();
            for (int i = 0; i < identify; i++) {
                String name = ianaName(reg, listed.get(i), transport);
                targets.add(new Prober.Target(
                        new InetSocketAddress(host, listed.get(i)),
                        transport,
                        new Hints(name.isEmpty() ? List.of() : List.of(name), List.of())));
            }
            wires = prober.get().probeAll(targets, IDENTIFY_PARALLELISM);
        }
        List<HostScan.Row> rows = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            int port = listed.get(i);
            Optional<Wire> wire = i < wires.size() ? Optional.of(wires.get(i)) : Optional.empty();
            PortState state = states.get(i);
            if (state == PortState.OPEN_FILTERED
                    && wire.isPresent()
                    && wire.get().outcome() != Wire.Outcome.NONE) {
                state = PortState.OPEN; // it answered a probe: open, whatever the sweep's datagram drew
            }
            rows.add(new HostScan.Row(port, state, ianaName(reg, port, transport), wire));
        }
        rows.sort(BY_PORT);
        return new HostScan(report, rows);
    }

    /** IANA's first service name for the port and transport, or empty. */
    private static String ianaName(Registry registry, int port, Transport transport) {
        for (IanaRecord r : registry.byPort(port, transport)) {
            if (!r.serviceName().isEmpty()) {
                return r.serviceName();
            }
        }
        return "";
    }
}
