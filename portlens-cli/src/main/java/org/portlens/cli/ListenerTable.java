package org.portlens.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.portlens.model.Coverage;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;

/** {@code portlens ls}: one row per listening socket, then the coverage. */
final class ListenerTable extends TextView {

    ListenerTable(Style style, PrintWriter out) {
        super(style, out);
    }

    void table(List<Listener> rows, Coverage coverage) {
        table(rows, coverage, Map.of());
    }

    /** The table, with a FORWARD column when a forwarder holds some of {@code rows}. */
    void table(List<Listener> rows, Coverage coverage, Map<Listener, Forward> forwards) {
        // the CONTAINER column only when some holder runs in a container
        boolean containers = false;
        for (Listener l : rows) {
            for (ProcessInfo p : l.processes()) {
                containers |= p.container() != null;
            }
        }
        List<String> head = new ArrayList<>(List.of("PROTO", "LOCAL ADDRESS", "SCOPE", "PID", "USER", "PROCESS"));
        if (containers) {
            head.add("CONTAINER");
        }
        if (!forwards.isEmpty()) {
            head.add("FORWARD");
        }
        head.add("SOURCE");
        List<String[]> cells = new ArrayList<>();
        for (Listener l : rows) {
            String proto = l.transport().label() + (l.local().ipv6() ? "6" : "");
            String addr = l.local().hostPort()
                    + (l.namespace().current() ? "" : " [" + l.namespace().label() + "]");
            List<ProcessInfo> procs = l.processes();
            String pid;
            String user;
            String name;
            String source;
            String container = "";
            if (procs.isEmpty()) {
                Owner o = l.owners().get(0);
                pid = "-";
                user = l.user(); // the socket's creator: the kernel's uid, named from the passwd file
                name = o instanceof Owner.Hidden
                        ? (coverage.privileged() ? "(hidden)" : "(hidden: run as root)")
                        : o instanceof Owner.Gone ? "(exited)" : "(no process)";
                source = "";
            } else {
                ProcessInfo p = procs.get(0);
                pid = Integer.toString(p.pid()) + (procs.size() > 1 ? "+" + (procs.size() - 1) : "");
                user = p.user();
                name = p.name();
                container = p.containerName();
                source = p.source().kind().label()
                        + (p.source().name().isEmpty() ? "" : " " + p.source().name());
            }
            List<String> row =
                    new ArrayList<>(List.of(proto, safe(addr), l.local().scope().label(), pid, safe(user), safe(name)));
            if (containers) {
                row.add(container.isEmpty() ? "-" : safe(container));
            }
            if (!forwards.isEmpty()) {
                Forward f = forwards.get(l);
                row.add(f == null ? "-" : safe(forwardCell(f)));
            }
            row.add(safe(source));
            cells.add(row.toArray(new String[0]));
        }
        int[] w = new int[head.size()];
        for (int i = 0; i < head.size(); i++) {
            w[i] = head.get(i).length();
        }
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], Math.min(row[i].length(), 48));
            }
        }
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < head.size(); i++) {
            h.append(i == head.size() - 1 ? head.get(i) : pad(head.get(i), w[i] + 2));
        }
        out.println(s.bold(h.toString()));
        StringBuilder sb = new StringBuilder(cells.size() * 80);
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                String v = row[i].length() > 48 ? row[i].substring(0, 47) + "…" : row[i];
                sb.append(i == row.length - 1 ? v : pad(v, w[i] + 2));
            }
            sb.append('\n');
        }
        out.print(sb);
        out.println(s.dim(rows.size() + " listening socket(s); " + coverage.processesRead() + " processes read"
                + (coverage.processesUnreadable() > 0 ? ", " + coverage.processesUnreadable() + " unreadable" : "")
                + (coverage.ownersHidden() > 0
                        ? ", " + coverage.ownersHidden() + " owner(s) hidden"
                                + (coverage.privileged() ? "" : ": run as root to see them")
                        : "")));
        for (String n : coverage.notes()) {
            out.println(s.dim("note: " + safe(n)));
        }
    }

    /** "→ 172.17.0.2:80 nginx", "→ 172.17.0.2:80 (nothing listens)": the target and who serves it. */
    static String forwardCell(Forward f) {
        if (f.targetPort() == 0) {
            return "? (" + f.program() + ")";
        }
        String to = "→ " + (f.targetAddress().isEmpty() ? "port " + f.targetPort() : f.target());
        if (f.servers().isEmpty()) {
            return to + (f.targetAddress().isEmpty() ? "" : " (nothing listens)");
        }
        Listener srv = f.servers().get(0);
        return to + " "
                + (srv.processes().isEmpty()
                        ? "(owner not seen)"
                        : srv.processes().get(0).name());
    }
}
