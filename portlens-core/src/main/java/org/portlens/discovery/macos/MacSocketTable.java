package org.portlens.discovery.macos;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.discovery.command.Assembler;
import org.portlens.discovery.command.Fields;
import org.portlens.discovery.command.ProcessRow;
import org.portlens.discovery.command.Snapshot;
import org.portlens.discovery.command.SocketRow;
import org.portlens.model.Endpoint;
import org.portlens.model.EphemeralRange;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * macOS's sockets and their owners, from its own tools: {@code lsof} lists each socket with the
 * processes holding it (as a user, only that user's processes); {@code netstat -anl} lists every socket
 * without owners, so those lsof could not see are shown with their owner hidden; {@code ps} gives the
 * processes and their ancestry, {@code launchctl list} the launchd jobs that run them. macOS has no
 * network namespaces: every listener is this host's. Safe for concurrent use: each read runs the tools
 * afresh.
 */
public final class MacSocketTable implements SocketTable {

    private final MacTools tools;
    private final boolean root;

    /**
     * @param tools how the tools are run
     * @param root  whether portlens runs as root (lsof then sees every process)
     */
    MacSocketTable(MacTools tools, boolean root) {
        this.tools = tools;
        this.root = root;
    }

    /**
     * The live system, as the user running portlens sees it.
     *
     * @return the table of this Mac
     */
    public static MacSocketTable system() {
        return new MacSocketTable(new MacTools(MacTools.SYSTEM, ZoneId.systemDefault()), runsAsRoot());
    }

    /** The uid portlens runs as, from its own line in ps's list; -1 when not there (a recorded list). */
    static int viewerUid(Map<Integer, ProcessRow> ps) {
        ProcessRow self = ps.get((int) ProcessHandle.current().pid());
        return self == null ? -1 : self.uid();
    }

    static boolean runsAsRoot() {
        return ProcessHandle.current().info().user().map("root"::equals).orElse(false);
    }

    @Override
    public Discovery read(Query query) {
        List<String> notes = new ArrayList<>();
        int malformed = 0;
        List<SocketRow> owned = List.of();
        Map<Integer, LsofFields.LsofProcess> named = Map.of();
        String lsof = tools.run(lsof(query), notes, "owners not read");
        if (lsof != null) {
            LsofFields.Result r = LsofFields.parse(lsof);
            owned = r.sockets();
            named = r.processes();
            malformed += r.malformed();
        }
        List<SocketRow> all = List.of();
        String netstat = tools.run(MacTools.NETSTAT, notes, "sockets of other users not listed");
        if (netstat != null) {
            BsdNetstat.Result r = BsdNetstat.parse(netstat);
            all = r.sockets();
            malformed += r.malformed();
        }
        MacTools.Processes ps = tools.processes(notes);
        malformed += ps.malformed();
        String hidden = lsof == null
                ? "lsof did not run: no owners read"
                : "lsof shows only your own processes' sockets: run as root (sudo portlens …)";
        MacSources sources = MacSources.of(ps.labels(), root, MacSocketTable.viewerUid(ps.processes()));
        // privileged only when lsof ran as root: else a socket netstat alone lists is not known to be the kernel's
        Snapshot snapshot = new Snapshot(
                owned,
                false,
                all,
                withNames(ps.processes(), named),
                root && lsof != null,
                hidden,
                notes,
                malformed,
                Endpoint.DualStack.LIKELY);
        return Assembler.assemble(query, snapshot, sources::of);
    }

    /**
     * The processes with lsof's name for those it listed: the kernel's name of the process, where ps's
     * {@code comm} is argv[0] as typed or a title the process gave itself ({@code nginx: master process}).
     */
    static Map<Integer, ProcessRow> withNames(Map<Integer, ProcessRow> ps, Map<Integer, LsofFields.LsofProcess> lsof) {
        Map<Integer, ProcessRow> out = new LinkedHashMap<>(ps);
        for (LsofFields.LsofProcess l : lsof.values()) {
            ProcessRow p = out.get(l.pid());
            if (p != null && !l.command().isEmpty() && !l.command().equals(p.name())) {
                out.put(
                        l.pid(),
                        new ProcessRow(
                                p.pid(),
                                p.ppid(),
                                l.command(),
                                p.executable(),
                                p.commandLine(),
                                p.uid(),
                                p.user(),
                                p.startTime(),
                                p.terminal(),
                                p.unreadable()));
            }
        }
        return out;
    }

    /**
     * The lsof command for a query: the field output of TCP and UDP files, on the query's ports only
     * ({@code -iTCP:3640}) when it names some, so that lsof passes over the other sockets itself.
     * (No {@code -sTCP:LISTEN}: with it lsof drops UDP files, and the established connections are
     * counted from the same output.)
     */
    static List<String> lsof(Query query) {
        List<String> argv = new ArrayList<>(List.of("lsof", "-nP", "-w"));
        String ports = query.ports().map(MacSocketTable::range).orElse("");
        for (Transport t : List.of(Transport.TCP, Transport.UDP)) {
            if (query.transports().contains(t)) {
                argv.add("-i" + t.name() + ports);
            }
        }
        argv.add("-FpcuLfnPtT0");
        return List.copyOf(argv);
    }

    private static String range(PortRange r) {
        return ":" + (r.low() == r.high() ? Integer.toString(r.low()) : r.low() + "-" + r.high());
    }

    @Override
    public Optional<EphemeralRange> ephemeralRange() {
        String out = tools.run(MacTools.SYSCTL, new ArrayList<>(), "");
        if (out == null) {
            return Optional.empty();
        }
        String[] t = out.strip().split("\\s+");
        if (t.length != 2) {
            return Optional.empty();
        }
        int low = Fields.number(t[0]);
        int high = Fields.number(t[1]);
        if (low < 1 || high > 65535 || low > high) {
            return Optional.empty();
        }
        return Optional.of(new EphemeralRange(new PortRange(low, high), "sysctl net.inet.ip.portrange.first, .last"));
    }
}
