package org.portlens.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.portlens.model.Transport;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.KnownUse;
import org.portlens.registry.KnownUses;
import org.portlens.registry.Lookup;
import org.portlens.registry.Registry;
import org.portlens.web.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portlens lookup}: the registry's records for a port, range or service name. */
@Command(
        name = "lookup",
        mixinStandardHelpOptions = true,
        description = {
            "Looks up IANA's records (every field) for a port, a range, or a service name (exact, any case: 'lookup netplay-port1'). Registry only: no listeners are checked."
        })
final class LookupCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PORT|NAME", description = "3640, 3640/udp, 3000-3005, or a service name.")
    String query;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Registry registry =
                Env.registry(common.dataDir, spec.commandLine().getErr()).registry();
        String q = query.strip();
        Lookup found;
        boolean numeric = !q.isEmpty() && (Character.isDigit(q.charAt(0)) || q.charAt(0) == '-');
        if (numeric) {
            PortSpec ps = PortSpec.parseNumeric(q);
            found = Lookup.ofPorts(registry, KnownUses.bundled(), ps.ports(), Optional.ofNullable(ps.transport()));
        } else {
            if (q.isEmpty()) {
                throw new InputException("empty query: " + PortSpec.EXPECTED);
            }
            String name = q.contains("/") ? q.substring(0, q.lastIndexOf('/')) : q;
            Optional<Transport> t = q.contains("/")
                    ? Optional.ofNullable(PortSpec.parseNumeric("0" + q.substring(q.lastIndexOf('/')))
                            .transport())
                    : Optional.empty();
            found = Lookup.ofName(registry, KnownUses.bundled(), name, t);
            if (found.records().isEmpty()) {
                throw new InputException(
                        "no service named '" + name + "' in the registry (try: portlens search " + name + ")");
            }
        }
        List<IanaRecord> records = found.records();
        List<KnownUse> uses = found.knownUses();
        if (common.json) {
            Json.print(out, Json.lookup(q, records, uses));
        } else {
            RegistryText r = new RegistryText(common.style(), out);
            if (records.isEmpty()) {
                out.println("IANA has no record for " + q + ": the port is unassigned.");
            }
            r.records(records);
            if (!uses.isEmpty()) {
                r.knownUses(uses);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
