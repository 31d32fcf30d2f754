package org.portlens.cli;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.ListenerFilter;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.model.BindScope;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.Transport;
import org.portlens.web.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portlens ls}: every listener, filtered and sorted. */
@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Lists every listening TCP socket and bound, unconnected UDP socket, in every network namespace portlens can see, with the processes that hold them."
        })
final class LsCommand implements Callable<Integer> {

    /** What {@code portlens ls foo} says: a word after ls that cannot be a port. */
    static String unexpected(String argument) {
        return "unexpected argument '" + argument + "' for ls: to list one port use 'portlens ls --port PORT'";
    }

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "PORT",
            description = "Only this port or range, as with --port: 'ls 3640' is 'ls --port 3640'.")
    String positionalPort;

    @Option(names = "--tcp", description = "TCP only.")
    boolean tcp;

    @Option(names = "--udp", description = "UDP only.")
    boolean udp;

    @Option(names = "--port", paramLabel = "PORT", description = "Only this port or range (3000-3005).")
    String port;

    @Option(names = "--user", paramLabel = "USER", description = "Only sockets held by this user (name or uid).")
    String user;

    @Option(names = "--pid", paramLabel = "PID", description = "Only sockets held by this process.")
    Integer pid;

    @Option(
            names = "--process",
            paramLabel = "NAME",
            description = "Only sockets held by processes whose name or command contains NAME.")
    String process;

    @Option(
            names = "--container",
            paramLabel = "NAME",
            description =
                    "Only sockets held by processes in this container: its name, its Kubernetes pod (or namespace/pod/container), or the start of its id (4 characters or more).")
    String container;

    @Option(
            names = "--namespace",
            paramLabel = "NETNS",
            description =
                    "Only sockets in this network namespace: its name (ip netns), its inode (4026532345 or net:[4026532345]), or host for the one portlens runs in.")
    String namespace;

    @Option(
            names = "--scope",
            paramLabel = "SCOPE",
            completionCandidates = EnumValues.Scopes.class,
            converter = EnumValues.Scopes.class,
            description = "Only this bind scope: ${COMPLETION-CANDIDATES}.")
    BindScope scope;

    @Option(
            names = "--sort",
            paramLabel = "KEY",
            defaultValue = "port",
            completionCandidates = EnumValues.Orders.class,
            converter = EnumValues.Orders.class,
            description = "Sort by ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ListenerFilter.Order sort = ListenerFilter.Order.PORT;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return list(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** The work itself, apart from picocli, so that {@link QuickStart} can call it too. */
    int list(PrintWriter out, PrintWriter err) {
        ListenerFilter filter = ListenerFilter.all();
        if (pid != null) {
            if (pid <= 0) {
                throw new InputException("--pid must be a positive process id, got " + pid);
            }
            filter = filter.withPid(pid);
        }
        if (scope != null) {
            filter = filter.withScope(scope);
        }
        if (user != null) {
            filter = filter.withUser(user);
        }
        if (process != null) {
            filter = filter.withProcess(process);
        }
        if (container != null) {
            if (container.isBlank()) {
                throw new InputException(
                        "--container must name a container (a name, a pod, or 4 or more characters of an id), got ''");
            }
            filter = filter.withContainer(container);
        }
        if (namespace != null) {
            if (namespace.isBlank()) {
                throw new InputException(
                        "--namespace must name a network namespace (a name, an inode, or host), got ''");
            }
            filter = filter.withNamespace(namespace.strip());
        }
        EnumSet<Transport> transports =
                tcp == udp ? EnumSet.of(Transport.TCP, Transport.UDP) : EnumSet.of(tcp ? Transport.TCP : Transport.UDP);
        String wanted = port();
        PortSpec ps = wanted == null ? null : PortSpec.parseNumeric(wanted);
        if (ps != null && ps.transport() != null) {
            if (!ps.transport().discoverable()) {
                throw new InputException("listeners are found for tcp and udp, not "
                        + ps.transport().label());
            }
            transports = EnumSet.of(ps.transport());
        }
        SocketTable table = SocketTable.system();
        Discovery all = table.read(new Query(transports, ps == null ? Optional.empty() : Optional.of(ps.ports())));
        List<Listener> rows = filter.select(all.listeners(), sort);
        // a forwarder's server is looked for among every listener read; a read of some ports reads again
        Map<Listener, Forward> forwards;
        if (ps == null) {
            forwards = table.forwards(rows, all.listeners());
        } else {
            forwards = new LinkedHashMap<>();
            for (Listener l : rows) {
                Optional<Forward> f = table.forward(l);
                if (f.isPresent()) {
                    forwards.put(l, f.get());
                }
            }
        }
        // hidden owners count only where the filter might have selected their sockets
        Discovery d = new Discovery(all.listeners(), all.established(), all.connectedUdp(), filter.coverageOf(all));
        if (common.json) {
            Json.print(out, Json.listing(rows, d, forwards));
        } else {
            new ListenerTable(common.style(), out).table(rows, d.coverage(), forwards);
        }
        out.flush();
        return Flags.partial(d, err);
    }

    /** The port or range asked for, {@code ls PORT} or {@code ls --port PORT}; null for every port. */
    private String port() {
        if (positionalPort == null) {
            return port;
        }
        if (!PortSpec.startsWithDigit(positionalPort)) {
            throw new InputException(unexpected(positionalPort));
        }
        if (port != null && !port.strip().equals(positionalPort.strip())) {
            throw new InputException("two ports given, '" + positionalPort + "' and --port " + port + ": give one");
        }
        return positionalPort;
    }
}
