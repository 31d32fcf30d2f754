package org.portlens.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.portlens.Explainer;
import org.portlens.Explanation;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.model.Listener;
import org.portlens.model.Transport;
import org.portlens.policy.Audit;
import org.portlens.policy.PolicyFinding;
import org.portlens.web.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portlens audit}: this host's listeners against a policy file. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Checks every listener of this host against a policy file.",
            "",
            "Finds listeners the policy does not expect, expected ones that are missing, ones bound wider than allowed, and ones held by another owner. Listeners are known by transport, port, bind, network namespace and owner, never by pid: a restarted server is no finding. 'portlens baseline' writes a policy; the format: docs/policy.md.",
            "",
            "Exit code 0 when the host meets the policy, 1 with findings, 3 when owners at expected places could not be read (run as root), 2 for a bad policy file."
        })
final class AuditCommand implements Callable<Integer> {

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = {
                "The policy file. Default: $XDG_CONFIG_HOME/portlens/policy.yaml,",
                "else ~/.config/portlens/policy.yaml."
            })
    Path policy;

    @Option(
            names = "--sarif",
            description =
                    "Print SARIF 2.1.0 (for GitHub code scanning) instead of text; results point at the policy file.")
    boolean sarif;

    @Option(
            names = "--no-probe",
            description =
                    "Do not connect to the listeners of the findings to see what they speak (--sarif never does).")
    boolean noProbe;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (sarif && common.json) {
            throw new InputException("--json and --sarif are two outputs: give one");
        }
        PolicyReader.Document doc = PolicyReader.read(Env.policyFile(policy));
        Discovery d = SocketTable.system().read(new Query(EnumSet.of(Transport.TCP, Transport.UDP), Optional.empty()));
        Audit audit = Audit.of(doc.policy(), d);
        Map<Listener, Explanation.ExplainedListener> wires = noProbe || sarif ? Map.of() : probe(audit, err);
        if (sarif) {
            Json.print(out, Sarif.log(doc, audit));
        } else if (common.json) {
            Json.print(out, AuditText.json(doc, audit, wires));
        } else {
            new AuditText(common.style(), out).audit(doc, audit, wires);
        }
        out.flush();
        return exitCode(audit, err);
    }

    /** What the listeners of the findings speak, probed as {@code portlens PORT} probes (in parallel, on loopback). */
    private Map<Listener, Explanation.ExplainedListener> probe(Audit audit, PrintWriter err) {
        List<Listener> listeners = new ArrayList<>();
        for (PolicyFinding f : audit.findings()) {
            f.subject().filter(l -> !listeners.contains(l)).ifPresent(listeners::add);
        }
        if (listeners.isEmpty()) {
            return Map.of();
        }
        Explainer explainer = Explainer.builder()
                .registry(() -> Env.registry(common.dataDir, err).registry())
                .prober(new ProbeFlags().loopbackProber())
                .build();
        Map<Listener, Explanation.ExplainedListener> wires = new HashMap<>();
        for (Explanation.ExplainedListener x : explainer.probe(listeners)) {
            wires.put(x.listener(), x);
        }
        return wires;
    }

    /** 1 for violations, else 3 when owners at expected places were unknown, else 0; a line on stderr for 1 and 3. */
    static int exitCode(Audit audit, PrintWriter err) {
        int violations = audit.violations().size();
        int unknown = audit.findings().size() - violations;
        if (unknown > 0) {
            err.println("portlens: partial audit: the owner of " + unknown + " listener(s) at expected places could not"
                    + " be read, so who holds them was not checked"
                    + (audit.coverage().privileged() ? " (not even as root)" : "; run as root to check them"));
        }
        if (violations > 0) {
            err.println("portlens: " + violations + " finding(s) against the policy");
        }
        err.flush();
        return violations > 0 ? ExitCodes.FINDINGS : unknown > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
    }
}
