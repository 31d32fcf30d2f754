package org.portlens.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.model.BindScope;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portlens ls}: every listener, filtered and sorted. */
@Command(name = "ls", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Lists every listening TCP socket and bound, unconnected UDP socket, in every network namespace portlens can see, with the processes that hold them."})
final class LsCommand implements Callable<Integer> {

    enum Sort { PORT, PID, USER, PROCESS, SCOPE }

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

    @Option(names = "--process", paramLabel = "NAME", description = "Only sockets held by processes whose name or command contains NAME.")
    String process;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "Only this bind scope: ${COMPLETION-CANDIDATES}.")
    BindScope scope;

    @Option(names = "--sort", paramLabel = "KEY", defaultValue = "port",
            description = "Sort by ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Sort sort;

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
        if (sort == null) {
            sort = Sort.PORT;
        }
        if (pid != null && pid <= 0) {
            throw new InputException("--pid must be a positive process id, got " + pid);
        }
        EnumSet<Transport> transports = tcp == udp ? EnumSet.of(Transport.TCP, Transport.UDP)
                : EnumSet.of(tcp ? Transport.TCP : Transport.UDP);
        PortSpec ps = port == null ? null : PortSpec.parseNumeric(port);
        if (ps != null && ps.transport() != null) {
            if (!ps.transport().discoverable()) {
                throw new InputException("listeners are found for tcp and udp, not " + ps.transport().label());
            }
            transports = EnumSet.of(ps.transport());
        }
        Discovery d = SocketTable.system().read(new Query(transports, ps == null ? null : ps.ports()));
        List<Listener> rows = new ArrayList<>();
        for (Listener l : d.listeners()) {
            if (keep(l)) {
                rows.add(l);
            }
        }
        rows.sort(comparator());
        if (common.json) {
            Json.print(out, Json.listing(rows, d));
        } else {
            new TextRenderer(common.style(), out).table(rows, d.coverage());
        }
        out.flush();
        return Flags.partial(d, err);
    }

    private boolean keep(Listener l) {
        if (scope != null && l.local().scope() != scope) {
            return false;
        }
        List<ProcessInfo> procs = l.processes();
        if (pid != null && procs.stream().noneMatch(p -> p.pid() == pid)) {
            return false;
        }
        if (user != null) {
            boolean byUser = procs.stream().anyMatch(p -> p.user().equals(user) || Integer.toString(p.uid()).equals(user));
            boolean bySocket = procs.isEmpty() && Integer.toString(l.uid()).equals(user);
            if (!byUser && !bySocket) {
                return false;
            }
        }
        if (process != null) {
            String want = process.toLowerCase(Locale.ROOT);
            if (procs.stream().noneMatch(p -> p.name().toLowerCase(Locale.ROOT).contains(want)
                    || p.command().toLowerCase(Locale.ROOT).contains(want))) {
                return false;
            }
        }
        return true;
    }

    private Comparator<Listener> comparator() {
        Comparator<Listener> byPort = Comparator.comparingInt((Listener l) -> l.local().port())
                .thenComparing(l -> l.transport())
                .thenComparing(l -> l.local().address());
        switch (sort) {
            case PID: return Comparator.comparingInt((Listener l) -> firstPid(l)).thenComparing(byPort);
            case USER: return Comparator.comparing((Listener l) -> firstUser(l)).thenComparing(byPort);
            case PROCESS: return Comparator.comparing((Listener l) -> firstName(l)).thenComparing(byPort);
            case SCOPE: return Comparator.comparing((Listener l) -> l.local().scope()).thenComparing(byPort);
            default: return byPort;
        }
    }

    private static int firstPid(Listener l) {
        for (Owner o : l.owners()) {
            if (o instanceof Owner.Known) {
                return ((Owner.Known) o).process().pid();
            }
        }
        return Integer.MAX_VALUE;
    }

    private static String firstUser(Listener l) {
        List<ProcessInfo> p = l.processes();
        return p.isEmpty() ? "~" : p.get(0).user();
    }

    private static String firstName(Listener l) {
        List<ProcessInfo> p = l.processes();
        return p.isEmpty() ? "~" : p.get(0).name();
    }
}
