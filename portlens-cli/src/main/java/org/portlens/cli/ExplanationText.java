package org.portlens.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.portlens.Explanation;
import org.portlens.discovery.Discovery;
import org.portlens.findings.Finding;
import org.portlens.findings.Sentences;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.EphemeralRange;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;
import org.portlens.model.RuleForward;
import org.portlens.packages.PackageOrigin;
import org.portlens.registry.IanaRecord;
import org.portlens.store.OpenPeriod;

/** {@code portlens PORT}: the whole explanation, section by section. */
final class ExplanationText extends TextView {

    private final RegistryText registry;
    private final WireText wire;

    private Map<Long, OpenPeriod> history = Map.of();

    /** Since when each listener (by socket inode) is open, from {@code portlens watch}'s history. */
    ExplanationText history(Map<Long, OpenPeriod> byInode) {
        this.history = byInode;
        return this;
    }

    ExplanationText(Style style, PrintWriter out) {
        super(style, out);
        this.registry = new RegistryText(style, out);
        this.wire = new WireText(style, out);
    }

    /** What a terminal shows while the probes run, on a line of its own that the answer then clears. */
    private static final String PROBING = "  probing the listeners…";

    void explanation(Explanation e) {
        top(e);
        listening(e, true);
        bottom(e);
    }

    /**
     * On a terminal, the part known before the probes, at once: everything but the wire, the
     * verdict and the checks. {@link #afterWire} prints the rest when the probes are done.
     */
    void beforeWire(Explanation early) {
        top(early);
        listening(early, false);
        out.print(s.dim(PROBING));
        out.flush();
    }

    /** The rest after {@link #beforeWire}: what each listener speaks, the verdict and the checks. */
    void afterWire(Explanation e) {
        out.print("\r" + " ".repeat(PROBING.length()) + "\r"); // the line is gone when the wire comes
        heading("What it speaks");
        for (Explanation.ExplainedListener x : e.listeners()) {
            Listener l = x.listener();
            String where = "  " + l.transport().label() + " " + safe(l.local().hostPort());
            if (x.wire().isPresent()) {
                out.println(where);
                listenerWire(x);
            } else if (!x.notProbed().isEmpty()) {
                out.println(where + "  " + s.dim("not probed: " + safe(x.notProbed())));
            }
        }
        // the NAT rules are read beside the probes: they come whole here, with what their targets speak
        for (Explanation.ExplainedRule r : e.ruleForwards()) {
            rule(r, true);
        }
        for (String n : e.ruleNotes()) {
            out.println("  " + s.dim("NAT rules: " + safe(n)));
        }
        out.println();
        bottom(e);
    }

    /** A listener's wire, and how it was reached when not directly: through a forwarder, or from inside. */
    private void listenerWire(Explanation.ExplainedListener x) {
        wire.lines("      wire      ", x.wire().orElseThrow());
        if (!x.listener().namespace().current()) {
            out.println("                "
                    + s.dim("probed at "
                            + safe(hostPort(x.probedAt(), x.listener().local().port()))
                            + " from inside " + safe(x.listener().namespace().label())));
        }
        if (x.forward().isPresent() && !x.forward().get().servers().isEmpty()) {
            out.println("                "
                    + s.dim("probed through " + safe(x.forward().get().program()) + " at "
                            + safe(hostPort(x.probedAt(), x.listener().local().port()))
                            + ": what the server it forwards to answers"));
        }
    }

    private void top(Explanation e) {
        String title = e.ports() + e.transport().map(t -> "/" + t.label()).orElse("");
        List<String> names = new ArrayList<>();
        for (IanaRecord r : e.records()) {
            if (!r.serviceName().isEmpty() && !names.contains(r.serviceName())) {
                names.add(r.serviceName());
            }
        }
        out.println(s.bold("Port " + title)
                + (names.isEmpty()
                        ? ""
                        : "  " + safe(String.join(", ", names.size() > 4 ? names.subList(0, 4) : names))
                                + (names.size() > 4 ? ", …" : "")));
        out.println();

        heading("What IANA says");
        Finding gap = null;
        for (Finding f : e.findings()) {
            if (f instanceof Finding.NoRecordForTransport) {
                gap = f;
            }
        }
        if (e.records().isEmpty()) {
            out.println(
                    "  " + (gap != null ? Sentences.of(gap) : "No record: IANA has not assigned " + e.ports() + "."));
        } else {
            registry.records(e.records());
        }
        out.println("  Status: " + e.status().description()
                + (gap != null ? " for " + e.transport().map(t -> t.label()).orElse("") : ""));
        out.println();

        heading("Range");
        out.println("  " + e.ports() + " is in the " + e.rangeClass().title() + ", "
                + e.rangeClass().low() + "-" + e.rangeClass().high() + ": "
                + e.rangeClass().meaning() + ".");
        if (e.ephemeral().isPresent()) {
            EphemeralRange eph = e.ephemeral().get();
            out.println("  This host's ephemeral range is " + eph.range() + " (" + eph.source() + "): "
                    + e.ports()
                    + (e.inEphemeralRange()
                            ? s.yellow(" falls inside it") + ", so the kernel may use it for outgoing connections."
                            : " is outside it."));
        }
        out.println();

        heading("Known uses " + s.dim("(not IANA's word: software known to use this port)"));
        if (e.knownUses().isEmpty()) {
            out.println("  None known to portlens.");
        } else {
            registry.knownUseLines(e.knownUses());
        }
        out.println();
    }

    private void listening(Explanation e, boolean wires) {
        heading("Listening here");
        if (e.discovery().isEmpty()) {
            out.println("  Not checked: " + e.discoveryNote() + ".");
        } else {
            Discovery d = e.discovery().get();
            if (d.listeners().isEmpty()) {
                out.println("  Nothing is listening on " + e.ports()
                        + (e.ruleForwards().isEmpty() ? "." : ", but a NAT rule forwards it:"));
            }
            for (Explanation.ExplainedRule r : e.ruleForwards()) {
                rule(r, wires);
            }
            for (Explanation.ExplainedListener x : e.listeners()) {
                listener(x.listener(), x.packages());
                x.forward().ifPresent(f -> forward(x.listener(), f));
                OpenPeriod open = history.get(x.listener().inode());
                if (open != null) {
                    out.println("      open      since " + (open.atLeast() ? "at least " : "") + utc(open.since())
                            + " (" + age(open.since()) + ")" + s.dim(", as portlens watch saw it"));
                }
                if (!wires) {
                    continue;
                }
                if (x.wire().isPresent()) {
                    listenerWire(x);
                } else if (!x.notProbed().isEmpty()) {
                    out.println("      wire      " + s.dim("not probed: " + safe(x.notProbed())));
                }
            }
            if (d.established() > 0) {
                out.println("  " + d.established() + " established TCP connection(s) use this local port.");
            }
            if (d.connectedUdp() > 0) {
                out.println("  " + d.connectedUdp() + " connected UDP socket(s) use this local port (not listeners).");
            }
            for (String n : e.ruleNotes()) {
                out.println("  " + s.dim("NAT rules: " + safe(n)));
            }
            coverage(d.coverage());
        }
        out.println();
    }

    /** A port forwarded by a NAT rule: where to, who serves it there, and what it speaks. */
    private void rule(Explanation.ExplainedRule x, boolean wires) {
        RuleForward r = x.rule();
        StringBuilder head = new StringBuilder("  ")
                .append(s.bold(r.transport().label() + " " + r.port()))
                .append("  forwarded by a NAT rule");
        if (!r.namespace().current()) {
            head.append("  ").append(s.cyan("[" + safe(r.namespace().label()) + "]"));
        }
        head.append(s.dim("  (" + safe(r.tool())
                + (r.chain().isEmpty() ? "" : ", chain " + safe(String.join(" → ", r.chain())))
                + ", for packets to " + safe(r.matches()) + ")"));
        out.println(head);
        out.println("      " + (r.redirect() ? "redirects" : "forwards ") + " " + s.bold("to " + safe(r.target())));
        servers(r.servers());
        chain(
                (r.namespace().current() ? "" : r.namespace().label() + " ")
                        + r.transport().label() + " "
                        + r.port() + " → NAT rule (" + r.tool()
                        + (r.chain().isEmpty()
                                ? ""
                                : " " + r.chain().get(r.chain().size() - 1)) + ")",
                r.servers());
        if (wires) {
            if (x.wire().isPresent()) {
                wire.lines("      wire      ", x.wire().get());
                out.println("                " + s.dim("probed at " + safe(x.probedAt()) + ", where the rule leads"));
            } else if (!x.notProbed().isEmpty()) {
                out.println("      wire      " + s.dim("not probed: " + safe(x.notProbed())));
            }
        }
        for (String n : r.notes()) {
            out.println("      " + s.dim("not followed: " + safe(n)));
        }
    }

    private void bottom(Explanation e) {
        heading("Verdict");
        for (Finding f : e.findings()) {
            wrapped("  ", safe(Sentences.of(f)));
        }
        out.println();

        heading("Check by hand");
        for (Explanation.ManualCheck c : e.checks()) {
            out.println("  " + pad(c.os(), 8) + c.command() + s.dim("   # " + c.purpose()));
        }
    }

    void listener(Listener l) {
        listener(l, Map.of());
    }

    /** A listener and its owners, each with its package when {@code packages} has its pid. */
    private void listener(Listener l, Map<Integer, PackageOrigin> packages) {
        Endpoint ep = l.local();
        StringBuilder line = new StringBuilder("  ")
                .append(s.bold(l.transport().label() + " " + ep.hostPort()))
                .append("  ")
                .append(scope(l))
                .append("  ")
                .append(l.state().label());
        if (!l.namespace().current()) {
            line.append("  ").append(s.cyan("[" + safe(l.namespace().label()) + "]"));
        }
        out.println(line);
        if (ep.dualStack() == Endpoint.DualStack.LIKELY) {
            out.println("      also accepts IPv4 (net.ipv6.bindv6only=0), unless the program set IPV6_V6ONLY");
        }
        for (Owner o : l.owners()) {
            if (o instanceof Owner.Known) {
                ProcessInfo p = ((Owner.Known) o).process();
                process(p, ((Owner.Known) o).fd(), Optional.ofNullable(packages.get(p.pid())));
            } else if (o instanceof Owner.Hidden) {
                out.println("      owner  " + s.yellow("hidden: " + ((Owner.Hidden) o).reason()));
            } else if (o instanceof Owner.Gone) {
                out.println("      owner  pid " + ((Owner.Gone) o).pid() + " (exited during the scan)");
            } else if (o instanceof Owner.None) {
                out.println("      owner  none: " + ((Owner.None) o).reason());
            }
        }
        // the socket's user where no process is known; unknown where the system's tools do not say (uid -1)
        if (l.processes().isEmpty() && l.uid() >= 0) {
            out.println("      socket of user " + safe(l.user()) + " (uid " + l.uid() + ")");
        }
    }

    /** Where a forwarding owner sends the listener's traffic, and who serves it there. */
    private void forward(Listener from, Forward f) {
        String to = f.targetPort() == 0
                ? "a target its command line does not name"
                : f.targetAddress().isEmpty() ? "port " + f.targetPort() + " of the namespace it serves" : f.target();
        out.println("      forwards  " + s.bold("to " + safe(to))
                + s.dim(" (" + safe(f.program()) + ", pid " + f.pid() + ")"));
        servers(f.servers());
        if (!f.servers().isEmpty()) {
            chain(from.local().hostPort() + " → " + f.program() + " (pid " + f.pid() + ")", f.servers());
        }
        // with a server found, a note says how (rootlessport's child); without, why it was not followed
        String lead = f.servers().isEmpty() ? "not followed: " : "";
        for (String n : f.notes()) {
            out.println("      " + s.dim(lead + safe(n)));
        }
    }

    /**
     * The whole way in one line: {@code 0.0.0.0:8080 → docker-proxy (pid 811) → container web-1
     * (nginx:1.27) → nginx (pid 2203) on 172.17.0.2:80}, for each server found.
     */
    private void chain(String start, List<Listener> servers) {
        for (Listener srv : servers) {
            StringBuilder b = new StringBuilder(start);
            ProcessInfo p = srv.processes().isEmpty() ? null : srv.processes().get(0);
            if (p != null && p.container() != null) {
                b.append(" → container ").append(p.containerName());
                if (!p.container().image().isEmpty()) {
                    b.append(" (").append(p.container().image()).append(')');
                }
            } else if (!srv.namespace().current()) {
                b.append(" → ").append(srv.namespace().label());
            }
            b.append(" → ")
                    .append(p == null ? "a socket whose owner is not seen" : p.name() + " (pid " + p.pid() + ")")
                    .append(" on ")
                    .append(srv.local().hostPort());
            out.println("      chain     " + safe(b.toString()));
        }
    }

    private static String hostPort(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** The listeners that serve a forward's target, each with its namespace and owners. */
    private void servers(List<Listener> servers) {
        for (Listener srv : servers) {
            StringBuilder b = new StringBuilder("      served    ")
                    .append(s.bold(
                            srv.transport().label() + " " + safe(srv.local().hostPort())));
            if (!srv.namespace().current()) {
                b.append("  ").append(s.cyan("[" + safe(srv.namespace().label()) + "]"));
            }
            for (ProcessInfo p : srv.processes()) {
                b.append("  by ")
                        .append(s.bold(safe(p.name())))
                        .append(" (pid ")
                        .append(p.pid())
                        .append(')');
                if (!p.containerName().isEmpty()) {
                    b.append(" in container ").append(safe(p.containerName()));
                }
            }
            if (srv.processes().isEmpty()) {
                b.append(s.dim("  owner not seen"));
            }
            out.println(b);
        }
    }

    private String scope(Listener l) {
        switch (l.local().scope()) {
            case ALL:
                return l.namespace().current() ? s.red("all interfaces") : "all interfaces";
            case LOOPBACK:
                return s.green("loopback only");
            default:
                return s.yellow("one address");
        }
    }

    private void process(ProcessInfo p, int fd, Optional<PackageOrigin> origin) {
        // fd and uid are -1 where the system's tools do not give them (Windows has no uids)
        out.println("      owner     " + s.bold(safe(p.name())) + " (pid " + p.pid() + (fd < 0 ? "" : ", fd " + fd)
                + ") user " + (p.user().isEmpty() ? "unknown" : safe(p.user()))
                + (p.uid() < 0 ? "" : " (uid " + p.uid() + ")"));
        out.println("      command   " + safe(p.command()));
        if (p.executable() != null) {
            String exe = safe(p.executable());
            out.println("      exe       "
                    + (p.executable().endsWith(" (deleted)")
                            ? s.red(exe + "  — the file was deleted or replaced since it started")
                            : exe));
        }
        if (origin.isPresent()) {
            PackageOrigin pkg = origin.get();
            String words = safe(pkg.summary());
            out.println("      package   "
                    + (pkg instanceof PackageOrigin.Installed || pkg instanceof PackageOrigin.NotPackaged
                            ? words
                            : s.dim(words)));
        }
        if (p.startTime() != null) {
            out.println("      started   " + utc(p.startTime()) + " (" + age(p.startTime()) + " ago)");
        }
        if (p.workingDirectory() != null) {
            out.println("      cwd       " + safe(p.workingDirectory()));
        }
        out.println("      source    " + safe(p.source().detail())
                + s.dim(" [" + p.source().kind().label() + "]"));
        if (!p.ancestry().isEmpty()) {
            StringBuilder chain = new StringBuilder();
            for (ProcessRef a : p.ancestry()) {
                if (chain.length() > 0) {
                    chain.append(" ← ");
                }
                chain.append(safe(a.name())).append('(').append(a.pid()).append(')');
            }
            out.println("      ancestry  " + chain);
        }
        for (String u : p.unreadable()) {
            out.println("      " + s.dim("not seen: " + safe(u)));
        }
    }

    private void coverage(Coverage c) {
        StringBuilder line =
                new StringBuilder("  ").append(s.dim("coverage: " + c.processesRead() + " processes read"));
        if (c.processesSkipped() > 0) {
            line.append(s.dim(", " + c.processesSkipped() + " not read (every socket on the port was found;"
                    + " they are neither a holder's descendants nor in its unit)"));
        }
        if (c.processesUnreadable() > 0) {
            line.append(s.yellow(", " + c.processesUnreadable() + " unreadable"));
        }
        if (c.processesVanished() > 0) {
            line.append(s.dim(", " + c.processesVanished() + " exited during the scan"));
        }
        if (c.ownersHidden() > 0) {
            line.append(s.yellow(", " + c.ownersHidden() + " owner(s) hidden"));
        }
        line.append(s.dim(c.privileged() ? " (as root)" : " (not root)"));
        out.println(line);
        for (String n : c.notes()) {
            out.println("  " + s.dim("note: " + safe(n)));
        }
    }
}
