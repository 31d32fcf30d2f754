package org.portlens.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.portlens.Explainer;
import org.portlens.Explanation;
import org.portlens.discovery.SocketTable;
import org.portlens.model.Listener;
import org.portlens.model.Transport;
import org.portlens.packages.PackageLookup;
import org.portlens.registry.Registry;
import org.portlens.store.OpenPeriod;
import org.portlens.store.OpenPlaces;
import org.portlens.web.json.Json;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portlens PORT}: the whole explanation of one port or range. */
@Command(
        name = "portlens",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        header = "What is on a port, who holds it, and how exposed it is.",
        description = {
            "Explains PORT: what IANA's registry says, the range and this host's ephemeral range, known unofficial uses, every process listening on it (with why it runs and how exposed it is), what each listener really speaks (portlens connects to it; --no-probe to skip), a verdict comparing label, owner and wire, and the commands to check by hand.",
            "",
            "PORT is 0-65535, a range such as 3000-3005, optionally with /tcp, /udp, /sctp or /dccp (listeners are found for tcp and udp), or a service name such as netplay-port1."
        },
        subcommands = {
            LsCommand.class,
            LookupCommand.class,
            SearchCommand.class,
            RegistryCommand.class,
            ProbeCommand.class,
            ScanCommand.class,
            BaselineCommand.class,
            AuditCommand.class,
            FreeCommand.class,
            WatchCommand.class,
            HistoryCommand.class,
            ServeCommand.class,
            SiteCommand.class,
            InstallCommand.class,
            UninstallCommand.class,
            AutoComplete.GenerateCompletion.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the answer is complete",
            "1:the answer is \"something is wrong\" (audit findings)",
            "2:usage or input error (nothing was changed)",
            "3:partial answer: some owners hidden (run as root) or gone; said on stderr",
            "4:internal error"
        },
        footer = {
            "",
            "Examples:",
            "  portlens 3640",
            "  portlens 8080/tcp --json",
            "  portlens ls --tcp --scope all",
            "  portlens lookup netplay-port1",
            "  portlens search kerberos",
            "  portlens probe 127.0.0.1:8080",
            "  portlens scan 127.0.0.1 -p 1-1024 --identify"
        })
final class PortlensCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "PORT[/PROTO]",
            description = "The port, range or service name.")
    String port;

    @Option(names = "--tcp", description = "TCP only.")
    boolean tcp;

    @Option(names = "--udp", description = "UDP only.")
    boolean udp;

    @Option(names = "--no-listeners", description = "Registry only: do not look for listeners.")
    boolean noListeners;

    @Option(names = "--no-probe", description = "Do not connect to the listeners to see what they speak.")
    boolean noProbe;

    @Mixin
    ProbeFlags probeFlags;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (port == null) {
            err.print(Usage.SHORT);
            err.flush();
            return ExitCodes.USAGE;
        }
        return explain(spec.commandLine().getOut(), err);
    }

    /**
     * Since when each listener's socket is open, where {@code portlens watch} has kept a history in
     * the data directory: its small per-port files, no database (a few ms; none without a watch).
     * By socket inode: the same inode is the same socket, so the period is this socket's.
     */
    private Map<Long, OpenPeriod> openSince(Explanation e) {
        if (e.listeners().isEmpty()) {
            return Map.of();
        }
        List<Listener> listeners = new ArrayList<>();
        e.listeners().forEach(x -> listeners.add(x.listener()));
        return OpenPlaces.byInode(Env.dataDir(common.dataDir), listeners);
    }

    private static boolean startsNumeric(String s) {
        String t = s.strip();
        return t.isEmpty() || Character.isDigit(t.charAt(0)) || t.charAt(0) == '-';
    }

    /** The work itself, apart from picocli, so that {@link QuickStart} can call it too. */
    int explain(PrintWriter out, PrintWriter err) {
        // A number needs no registry to parse, so the registry loads while the sockets are read.
        PortSpec numeric = startsNumeric(port) ? PortSpec.parseNumeric(port) : null;
        Registry registry = numeric == null ? Env.registry(common.dataDir, err).registry() : null;
        if (registry != null && spec != null) {
            // `portlens scna`: no service of that name, and one letter off a command
            Optional<String> command = Usage.mistypedCommand(port, registry, spec);
            if (command.isPresent()) {
                throw new InputException("unknown command '" + port + "'; did you mean " + command.get() + "?");
            }
        }
        PortSpec ps = numeric != null ? numeric : PortSpec.parse(port, registry);
        Transport transport = Flags.transport(ps.transport(), tcp, udp);
        Supplier<Registry> registrySupplier = registry != null
                ? () -> registry
                : () -> Env.registry(common.dataDir, err).registry();
        Explainer.Builder explainer = Explainer.builder()
                .registry(registrySupplier)
                .socketTable(noListeners ? SocketTable.none() : SocketTable.system())
                .packages(noListeners ? PackageLookup.none() : PackageLookup.system());
        if (!noProbe && !noListeners) {
            explainer = explainer.prober(probeFlags.loopbackProber());
        }
        if (!common.json && !noProbe && !noListeners && Terminal.isInteractive()) {
            // a person reads along: what is known prints at once, the wire follows when the probes end
            Style style = common.style();
            ExplanationText[] text = new ExplanationText[1];
            Explanation e = explainer.build().explain(ps.ports(), Optional.ofNullable(transport), early -> {
                text[0] = new ExplanationText(style, out).history(openSince(early));
                text[0].beforeWire(early);
            });
            if (text[0] != null) {
                text[0].afterWire(e);
            } else {
                new ExplanationText(style, out).history(openSince(e)).explanation(e);
            }
            out.flush();
            return Flags.partial(e.discovery(), err);
        }
        Explanation e = explainer.build().explain(ps.ports(), Optional.ofNullable(transport));
        Map<Long, OpenPeriod> history = openSince(e);
        if (common.json) {
            Json.print(out, Json.explanation(e, history));
        } else {
            new ExplanationText(common.style(), out).history(history).explanation(e);
        }
        out.flush();
        return Flags.partial(e.discovery(), err);
    }
}
