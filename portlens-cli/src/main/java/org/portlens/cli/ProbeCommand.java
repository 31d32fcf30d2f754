package org.portlens.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import org.portlens.Portlens;
import org.portlens.model.Transport;
import org.portlens.probe.Hints;
import org.portlens.probe.Wire;
import org.portlens.web.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portlens probe HOST:PORT}: what an endpoint really speaks. */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Connects to HOST:PORT and identifies the protocol it speaks: a passive banner wait, then a short chain of probes (HTTP, TLS, SSH, Redis, PostgreSQL, …; docs/probes.md), stopping at the first confident match. Probe only what you are allowed to."
        })
final class ProbeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "127.0.0.1:8080, [::1]:8080, localhost:5432")
    String target;

    @Option(names = "--udp", description = "Probe UDP (DNS, NTP, SNMP) instead of TCP.")
    boolean udp;

    @Mixin
    ProbeFlags probeFlags;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return run(spec.commandLine().getOut());
    }

    /** The work itself, apart from picocli, so that {@link QuickStart} can call it too. */
    int run(PrintWriter out) {
        InetSocketAddress address = Targets.hostPort(target);
        Transport transport = udp ? Transport.UDP : Transport.TCP;
        Wire r = probeFlags.prober().probe(address, transport, Hints.none());
        String label = Portlens.endpointText(address);
        if (common.json) {
            Json.print(out, Json.probe(label, transport, r));
        } else {
            new WireText(common.style(), out).probe(label, transport, r);
        }
        out.flush();
        if (r.connectFailure().isPresent()) {
            // the report is out; the exit code and one line on stderr say it could not connect
            throw new FindingsException(noConnection(label, transport, r));
        }
        return ExitCodes.OK;
    }

    /** "127.0.0.1:9 refused the connection", in words for each way a connect fails. */
    static String noConnection(String label, Transport transport, Wire r) {
        String why = r.error(); // escaped with the rest of the line by Main.report
        Wire.ConnectFailure f = r.connectFailure().orElseThrow();
        return switch (f) {
            case REFUSED ->
                transport == Transport.UDP
                        ? "udp " + label + " refused the datagram (ICMP port unreachable)"
                        : label + " refused the connection";
            case UNREACHABLE -> label + " is unreachable (" + why + ")";
            case TIMED_OUT -> label + " did not accept the connection: " + why;
            case FAILED -> "cannot connect to " + label + ": " + why;
        };
    }
}
