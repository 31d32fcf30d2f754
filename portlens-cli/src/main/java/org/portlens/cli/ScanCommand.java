package org.portlens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.portlens.model.Transport;
import org.portlens.probe.Hints;
import org.portlens.probe.Prober;
import org.portlens.probe.Wire;
import org.portlens.scan.PortSet;
import org.portlens.scan.PortState;
import org.portlens.scan.ProgressListener;
import org.portlens.scan.ScanOptions;
import org.portlens.scan.ScanReport;
import org.portlens.scan.TcpConnectScanner;
import org.portlens.scan.UdpScanner;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portlens scan HOST}: which ports are open, and with --identify what they speak. */
@Command(name = "scan", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = {"Scans HOST's ports: a non-blocking TCP connect scan (or UDP with --udp), open, closed, filtered (open|filtered for UDP). --identify probes every open port for its protocol. Scan only hosts you are allowed to scan."})
final class ScanCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "HOST", description = "A name or IP address.")
    String host;

    static final String DEFAULT_PORTS = "1-1024";

    @Option(names = "-p", paramLabel = "SPEC", defaultValue = DEFAULT_PORTS,
            description = "Ports: 1-1024,3640,8000-9000; '-p-' for all 65535 (default: ${DEFAULT-VALUE}).")
    String ports;

    @Option(names = "--udp", description = "UDP instead of TCP.")
    boolean udp;

    @Option(names = "--identify", description = "Probe each open port for the protocol it speaks.")
    boolean identify;

    @Option(names = "--rate", paramLabel = "N", description = "Start at most N probes per second (default: no limit).")
    Integer rate;

    @Option(names = "--timeout", paramLabel = "MS", description = "Give up on a port after MS milliseconds (default: 1000).")
    Integer timeout;

    @Option(names = "--max-in-flight", paramLabel = "N",
            description = "At most N connections at once (default: 4096, capped below the open-file limit).")
    Integer maxInFlight;

    @Mixin
    ProbeFlags probeFlags;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** The work itself, apart from picocli, so that {@link QuickStart} can call it too. */
    int run(PrintWriter out, PrintWriter err) throws IOException {
        // poll(2) selectors: epoll costs two more system calls per port (bench/scan-README.md). Must
        // happen before any network I/O in this JVM; only a program's entry point may choose it.
        Main.preferPollSelector();
        PortSet set;
        try {
            set = PortSet.parse(ports);
        } catch (IllegalArgumentException e) {
            throw new InputException("-p " + ports + ": " + e.getMessage());
        }
        if (!udp) {
            // raw socket calls, reusing sockets: 40% less kernel work per port. Binds in the background
            // from here on; on JDK 22+ only for scans large enough to win back the 70-120 ms it takes.
            TcpConnectScanner.warmUp(ScanOptions.EnginePreference.NATIVE_IF_FASTER, set.size());
        }
        ScanOptions options = ScanOptions.defaults().withEngine(ScanOptions.EnginePreference.NATIVE_IF_FASTER);
        if (rate != null) {
            if (rate < 1) {
                throw new InputException("--rate must be at least 1 probe per second, got " + rate + " (leave it out for no limit)");
            }
            options = options.withRate(rate);
        }
        if (timeout != null) {
            if (timeout < 1 || timeout > 600_000) {
                throw new InputException("--timeout must be 1-600000 milliseconds, got " + timeout);
            }
            options = options.withTimeout(Duration.ofMillis(timeout));
        }
        if (maxInFlight != null) {
            if (maxInFlight < 1) {
                throw new InputException("--max-in-flight must be at least 1, got " + maxInFlight);
            }
            options = options.withMaxInFlight(maxInFlight);
        }
        Prober prober = identify ? probeFlags.prober() : null; // bad probe flags fail before the scan
        InetAddress address = Targets.resolve(host);
        Transport transport = udp ? Transport.UDP : Transport.TCP;
        // load the registry now: on JDK 22+ this overlaps the native engine's binding
        Registry registry = Env.registry(common.dataDir, err).registry();
        Progress progress = new Progress(err, !common.json && System.console() != null);
        ScanReport report = udp ? new UdpScanner(options).scan(address, set, progress)
                : new TcpConnectScanner(options).scan(address, set, progress);
        progress.done();

        List<Row> rows = new ArrayList<>();
        for (int port : report.ports(PortState.OPEN).toArray()) {
            rows.add(new Row(port, PortState.OPEN, ianaName(registry, port, transport)));
        }
        for (PortState s : new PortState[] {PortState.OPEN_FILTERED, PortState.FILTERED}) {
            if (report.count(s) <= 50) {
                for (int port : report.ports(s).toArray()) {
                    rows.add(new Row(port, s, ianaName(registry, port, transport)));
                }
            }
        }
        rows.sort((a, b) -> Integer.compare(a.port, b.port));
        Map<Integer, Wire> wires = identify ? identifyAll(prober, address, transport, report, registry) : Map.of();
        if (common.json) {
            Json.print(out, Json.scan(report, rows, wires));
        } else {
            new TextRenderer(common.style(), out).scan(report, rows, wires);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** One line of the result table. */
    record Row(int port, PortState state, String iana) {
    }

    private static String ianaName(Registry registry, int port, Transport transport) {
        for (IanaRecord r : registry.byPort(port, transport)) {
            if (!r.serviceName().isEmpty()) {
                return r.serviceName();
            }
        }
        return "";
    }

    /** Probes the open ports, 16 at a time. */
    private static Map<Integer, Wire> identifyAll(Prober prober, InetAddress address, Transport transport,
                                                       ScanReport report, Registry registry) {
        int[] open = report.ports(PortState.OPEN).toArray();
        Wire[] results = new Wire[open.length];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Thread[] threads = new Thread[Math.min(16, open.length)];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < open.length) {
                    String name = ianaName(registry, open[i], transport);
                    results[i] = prober.probe(new InetSocketAddress(address, open[i]), transport,
                            new Hints(name.isEmpty() ? List.of() : List.of(name), List.of()));
                }
            }, "portlens-identify-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Map<Integer, Wire> out = new LinkedHashMap<>();
        for (int i = 0; i < open.length; i++) {
            if (results[i] != null) {
                out.put(open[i], results[i]);
            }
        }
        return out;
    }

    /** A progress bar on stderr when it is a terminal; nothing otherwise. */
    static final class Progress implements ProgressListener {
        private final PrintWriter err;
        private final boolean enabled;
        private long last;
        private boolean drawn;

        Progress(PrintWriter err, boolean enabled) {
            this.err = err;
            this.enabled = enabled;
        }

        @Override
        public synchronized void progress(int done, int total) {
            long now = System.nanoTime();
            if (!enabled || total <= 0 || (now - last < 100_000_000L && done < total)) {
                return;
            }
            last = now;
            int width = 30;
            int filled = (int) ((long) done * width / total);
            err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + " ports");
            err.flush();
            drawn = true;
        }

        void done() {
            if (drawn) {
                err.print("\r" + " ".repeat(60) + "\r");
                err.flush();
            }
        }
    }
}
