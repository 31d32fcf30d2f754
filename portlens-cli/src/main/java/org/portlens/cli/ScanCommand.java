package org.portlens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.portlens.HostScan;
import org.portlens.HostScanner;
import org.portlens.model.Transport;
import org.portlens.scan.PortSet;
import org.portlens.scan.ProgressListener;
import org.portlens.scan.ScanOptions;
import org.portlens.scan.TcpConnectScanner;
import org.portlens.web.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portlens scan HOST}: which ports are open, and with --identify what they speak. */
@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Scans HOST's ports: a non-blocking TCP connect scan (or UDP with --udp), open, closed, filtered (open|filtered for UDP). --identify probes every open port for its protocol. Scan only hosts you are allowed to scan."
        })
final class ScanCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "HOST", description = "A name or IP address.")
    String host;

    static final String DEFAULT_PORTS = "1-1024";

    @Option(
            names = "-p",
            paramLabel = "SPEC",
            defaultValue = DEFAULT_PORTS,
            description = "Ports: 1-1024,3640,8000-9000; '-p-' for all 65535 (default: ${DEFAULT-VALUE}).")
    String ports;

    @Option(names = "--udp", description = "UDP instead of TCP.")
    boolean udp;

    @Option(names = "--identify", description = "Probe each open port for the protocol it speaks.")
    boolean identify;

    @Option(names = "--rate", paramLabel = "N", description = "Start at most N probes per second (default: no limit).")
    Integer rate;

    @Option(
            names = "--timeout",
            paramLabel = "MS",
            description = "Give up on a port after MS milliseconds (default: 1000).")
    Integer timeout;

    @Option(
            names = "--max-in-flight",
            paramLabel = "N",
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
            // raw socket calls, reusing sockets: 40% less kernel work per port. Finding the engine
            // (ServiceLoader) and binding it run on a thread of their own from here on, while the
            // registry loads; on JDK 22+ only for scans large enough to win back the 70-120 ms it takes.
            int size = set.size();
            Thread warmUp = new Thread(
                    () -> TcpConnectScanner.warmUp(ScanOptions.EnginePreference.NATIVE_IF_FASTER, size),
                    "portlens-scan-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
        ScanOptions options = ScanOptions.defaults().withEngine(ScanOptions.EnginePreference.NATIVE_IF_FASTER);
        if (rate != null) {
            if (rate < 1) {
                throw new InputException(
                        "--rate must be at least 1 probe per second, got " + rate + " (leave it out for no limit)");
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
        HostScanner.Builder scanner = HostScanner.builder()
                .options(options)
                .registry(() -> Env.registry(common.dataDir, err).registry());
        if (identify) {
            scanner = scanner.identify(probeFlags.prober()); // bad probe flags fail before the scan
        }
        InetAddress address = Targets.resolve(host);
        Transport transport = udp ? Transport.UDP : Transport.TCP;
        Progress progress = new Progress(err, !common.json && Terminal.isInteractive());
        HostScan result;
        try {
            result = scanner.build().scan(address, set, transport, progress);
        } finally {
            progress.done();
        }
        if (common.json) {
            Json.print(out, Json.scan(result));
        } else {
            new ScanText(common.style(), out).scan(result);
        }
        out.flush();
        return ExitCodes.OK;
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
