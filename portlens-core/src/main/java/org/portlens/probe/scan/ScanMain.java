package org.portlens.probe.scan;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * A bare command line for the scanners, until {@code portlens scan} exists: prints one line per open
 * port ({@code 22/tcp open}) on stdout and a summary on stderr.
 *
 * <pre>
 * java -cp portlens-core/target/classes org.portlens.probe.scan.ScanMain HOST [PORTS] [options]
 *   PORTS               a port spec, default 1-1024; - for all 65535
 *   --udp               UDP instead of TCP
 *   --timeout MS        per-probe timeout (default 1000)
 *   --rate N            at most N new probes a second (default: no limit)
 *   --max-in-flight N   at most N probes outstanding (default 4096)
 *   --threads N         selector threads (default: one per core, up to 4)
 *   --retries N         UDP retries (default 1)
 * </pre>
 *
 * Exit status: 0 done, 2 usage or input error, 4 the scan failed.
 */
public final class ScanMain {

    private ScanMain() {
    }

    public static void main(String[] args) {
        TcpConnectScanner.preferPollSelector();
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String host = null;
        String spec = null;
        boolean udp = false;
        ScanOptions options = ScanOptions.defaults();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--udp":
                        udp = true;
                        break;
                    case "--timeout":
                        options = options.withTimeout(Duration.ofMillis(number(args, ++i, a)));
                        break;
                    case "--rate":
                        options = options.withRate(number(args, ++i, a));
                        break;
                    case "--max-in-flight":
                        options = options.withMaxInFlight(number(args, ++i, a));
                        break;
                    case "--threads":
                        options = options.withThreads(number(args, ++i, a));
                        break;
                    case "--retries":
                        options = options.withRetries(number(args, ++i, a));
                        break;
                    case "-h":
                    case "--help":
                        out.println("usage: ScanMain HOST [PORTS] [--udp] [--timeout MS] [--rate N]"
                                + " [--max-in-flight N] [--threads N] [--retries N]");
                        return 0;
                    default:
                        if (host == null) {
                            host = a;
                        } else if (spec == null) {
                            spec = a;
                        } else {
                            throw new IllegalArgumentException("unexpected argument '" + a + "'");
                        }
                }
            }
            if (host == null) {
                throw new IllegalArgumentException("missing HOST: usage: ScanMain HOST [PORTS] [options]");
            }
            PortSet ports = PortSet.parse(spec == null ? "1-1024" : spec);
            InetAddress address = InetAddress.getByName(host);
            ScanReport report = udp ? new UdpScanner(options).scan(address, ports)
                    : new TcpConnectScanner(options).scan(address, ports);
            String proto = report.transport().label();
            StringBuilder sb = new StringBuilder();
            for (PortResult r : report.open()) {
                sb.append(r.port()).append('/').append(proto).append(" open\n");
            }
            if (udp) {
                for (int p : report.ports(PortState.OPEN_FILTERED).toArray()) {
                    if (report.count(PortState.OPEN_FILTERED) <= 100) {
                        sb.append(p).append('/').append(proto).append(" open|filtered\n");
                    }
                }
            }
            out.print(sb);
            err.println(summary(report));
            return 0;
        } catch (UnknownHostException e) {
            err.println("ScanMain: unknown host: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("ScanMain: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("ScanMain: scan failed: " + e);
            return 4;
        }
    }

    static String summary(ScanReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("scanned ").append(r.portsScanned()).append(' ').append(r.transport().label())
                .append(" ports of ").append(r.host()).append(" in ").append(r.elapsedMillis()).append(" ms:");
        String sep = " ";
        for (PortState s : PortState.values()) {
            int n = r.count(s);
            if (n > 0 || s == PortState.OPEN) {
                sb.append(sep).append(n).append(' ').append(s.label());
                sep = ", ";
            }
        }
        if (r.selfConnects() > 0) {
            sb.append(" (").append(r.selfConnects()).append(" self-connects reported closed)");
        }
        return sb.toString();
    }

    private static int number(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a number");
        }
        try {
            return Integer.parseInt(args[i]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + args[i] + "'");
        }
    }
}
