package org.portlens.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.portlens.model.Coverage;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;

/** {@code portlens ls}: one row per listening socket, then the coverage. */
final class ListenerTable extends TextView {

    ListenerTable(Style style, PrintWriter out) {
        super(style, out);
    }

    void table(List<Listener> rows, Coverage coverage) {
        // the CONTAINER column only when some holder runs in a container
        boolean containers = false;
        for (Listener l : rows) {
            for (ProcessInfo p : l.processes()) {
                containers |= p.container() != null;
            }
        }
        String[] head = containers
                ? new String[] {"PROTO", "LOCAL ADDRESS", "SCOPE", "PID", "USER", "PROCESS", "CONTAINER", "SOURCE"}
                : new String[] {"PROTO", "LOCAL ADDRESS", "SCOPE", "PID", "USER", "PROCESS", "SOURCE"};
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
            cells.add(
                    containers
                            ? new String[] {
                                proto,
                                safe(addr),
                                l.local().scope().label(),
                                pid,
                                safe(user),
                                safe(name),
                                container.isEmpty() ? "-" : safe(container),
                                safe(source)
                            }
                            : new String[] {
                                proto, safe(addr), l.local().scope().label(), pid, safe(user), safe(name), safe(source)
                            });
        }
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
        }
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], Math.min(row[i].length(), 48));
            }
        }
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < head.length; i++) {
            h.append(i == head.length - 1 ? head[i] : pad(head[i], w[i] + 2));
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
}
