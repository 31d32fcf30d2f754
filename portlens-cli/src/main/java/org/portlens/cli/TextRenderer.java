package org.portlens.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.portlens.Explanation;
import org.portlens.discovery.Discovery;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;
import org.portlens.model.Transport;
import org.portlens.probe.Wire;
import org.portlens.registry.Contact;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.KnownUse;
import org.portlens.registry.Reference;
import org.portlens.registry.Registry;

/** Text for a person at a terminal. Every string from outside portlens goes through {@link Style#safe}. */
final class TextRenderer {


    private final Style s;
    private final PrintWriter out;

    TextRenderer(Style style, PrintWriter out) {
        this.s = style;
        this.out = out;
    }

    // ---- portlens PORT ----

    void explanation(Explanation e) {
        String title = e.ports() + (e.transport() == null ? "" : "/" + e.transport().label());
        List<String> names = new ArrayList<>();
        for (IanaRecord r : e.records()) {
            if (!r.serviceName().isEmpty() && !names.contains(r.serviceName())) {
                names.add(r.serviceName());
            }
        }
        out.println(s.bold("Port " + title) + (names.isEmpty() ? "" : "  " + safe(String.join(", ", names.size() > 4 ? names.subList(0, 4) : names))
                + (names.size() > 4 ? ", …" : "")));
        out.println();

        heading("What IANA says");
        if (e.records().isEmpty()) {
            out.println("  No record: IANA has not assigned " + e.ports() + ".");
        } else {
            records(e.records());
        }
        out.println("  Status: " + e.status().description());
        out.println();

        heading("Range");
        out.println("  " + e.ports() + " is in the " + e.rangeClass().title() + ", " + e.rangeClass().low() + "-" + e.rangeClass().high() + ": "
                + e.rangeClass().meaning() + ".");
        if (e.ephemeral() != null) {
            out.println("  This host's ephemeral range is " + e.ephemeral().range() + " (" + e.ephemeral().source() + "): "
                    + e.ports() + (e.inEphemeralRange() ? s.yellow(" falls inside it") + ", so the kernel may use it for outgoing connections."
                    : " is outside it."));
        }
        out.println();

        heading("Known uses " + s.dim("(not IANA's word: software known to use this port)"));
        if (e.knownUses().isEmpty()) {
            out.println("  None known to portlens.");
        } else {
            knownUseLines(e.knownUses());
        }
        out.println();

        heading("Listening here");
        Discovery d = e.discovery();
        if (d == null) {
            out.println("  Not checked: " + e.discoveryNote() + ".");
        } else {
            if (d.listeners().isEmpty()) {
                out.println("  Nothing is listening on " + e.ports() + ".");
            }
            for (Listener l : d.listeners()) {
                listener(l);
                Wire w = l.namespace().current()
                        ? e.wireOf(l.transport(), l.local().address(), l.local().port()) : null;
                if (w != null) {
                    wireLines("      wire      ", w);
                } else if (!l.namespace().current() && !e.wires().isEmpty()) {
                    out.println("      wire      " + s.dim("not probed: inside another network namespace"));
                }
            }
            if (d.established() > 0) {
                out.println("  " + d.established() + " established TCP connection(s) use this local port.");
            }
            if (d.connectedUdp() > 0) {
                out.println("  " + d.connectedUdp() + " connected UDP socket(s) use this local port (not listeners).");
            }
            coverage(d.coverage());
        }
        out.println();

        heading("Verdict");
        for (String v : e.verdict()) {
            wrapped("  ", safe(v));
        }
        out.println();

        heading("Check by hand");
        for (Explanation.ManualCheck c : e.checks()) {
            out.println("  " + pad(c.os(), 8) + c.command() + s.dim("   # " + c.purpose()));
        }
    }

    private void listener(Listener l) {
        Endpoint ep = l.local();
        StringBuilder line = new StringBuilder("  ").append(s.bold(l.transport().label() + " " + ep.hostPort()))
                .append("  ").append(scope(l)).append("  ").append(l.state().label());
        if (!l.namespace().current()) {
            line.append("  ").append(s.cyan("[" + safe(l.namespace().label()) + "]"));
        }
        out.println(line);
        if (ep.dualStack() == Endpoint.DualStack.LIKELY) {
            out.println("      also accepts IPv4 (net.ipv6.bindv6only=0), unless the program set IPV6_V6ONLY");
        }
        for (Owner o : l.owners()) {
            if (o instanceof Owner.Known) {
                process(((Owner.Known) o).process(), ((Owner.Known) o).fd());
            } else if (o instanceof Owner.Hidden) {
                out.println("      owner  " + s.yellow("hidden: " + ((Owner.Hidden) o).reason()));
            } else if (o instanceof Owner.Gone) {
                out.println("      owner  pid " + ((Owner.Gone) o).pid() + " (exited during the scan)");
            } else if (o instanceof Owner.None) {
                out.println("      owner  none: " + ((Owner.None) o).reason());
            }
        }
    }

    private String scope(Listener l) {
        switch (l.local().scope()) {
            case ALL: return l.namespace().current() ? s.red("all interfaces") : "all interfaces";
            case LOOPBACK: return s.green("loopback only");
            default: return s.yellow("one address");
        }
    }

    private void process(ProcessInfo p, int fd) {
        out.println("      owner     " + s.bold(safe(p.name())) + " (pid " + p.pid() + ", fd " + fd + ") user " + safe(p.user())
                + " (uid " + p.uid() + ")");
        out.println("      command   " + safe(p.command()));
        if (p.executable() != null) {
            String exe = safe(p.executable());
            out.println("      exe       " + (p.executable().endsWith(" (deleted)") ? s.red(exe + "  — the file was deleted or replaced since it started") : exe));
        }
        if (p.startTime() != null) {
            out.println("      started   " + utc(p.startTime()) + " (" + age(p.startTime()) + " ago)");
        }
        if (p.workingDirectory() != null) {
            out.println("      cwd       " + safe(p.workingDirectory()));
        }
        out.println("      source    " + safe(p.source().detail()) + s.dim(" [" + p.source().kind().label() + "]"));
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
        StringBuilder line = new StringBuilder("  ").append(s.dim("coverage: " + c.processesScanned() + " processes read"));
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

    // ---- portlens scan ----

    void scan(org.portlens.scan.ScanReport report, List<ScanCommand.Row> rows,
              java.util.Map<Integer, Wire> wires) {
        String proto = report.transport().label();
        out.println(s.bold(pad("PORT", 12) + pad("STATE", 15) + pad("IANA", 22) + (wires.isEmpty() ? "" : "WIRE")));
        for (ScanCommand.Row r : rows) {
            Wire w = wires.get(r.port());
            String wire = w == null ? "" : w.outcome() == Wire.Outcome.NONE ? "(" + w.error() + ")"
                    : w.protocol() + (w.product().isEmpty() ? "" : " " + w.product() + (w.version().isEmpty() ? "" : " " + w.version()));
            out.println(pad(r.port() + "/" + proto, 12) + pad(r.state().label(), 15)
                    + pad(r.iana().isEmpty() ? "-" : safe(r.iana()), 22) + safe(wire));
        }
        StringBuilder counts = new StringBuilder();
        for (java.util.Map.Entry<org.portlens.scan.PortState, Integer> e : report.counts().entrySet()) {
            if (e.getValue() > 0) {
                counts.append(counts.length() == 0 ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey().label());
            }
        }
        out.println(s.dim(report.portsScanned() + " " + proto + " ports of " + report.host() + " scanned in "
                + report.elapsedMillis() + " ms"
                + (report.engine() == org.portlens.scan.ScanReport.Engine.NATIVE ? " with native sockets" : "")
                + ": " + counts
                + (report.selfConnects() > 0 ? "; " + report.selfConnects() + " self-connects counted as closed" : "")));
        for (org.portlens.scan.PortState st : new org.portlens.scan.PortState[] {
            org.portlens.scan.PortState.FILTERED, org.portlens.scan.PortState.OPEN_FILTERED}) {
            if (report.count(st) > 50) {
                out.println(s.dim(report.count(st) + " " + st.label() + " ports not listed (use --json for all counts)"));
            }
        }
    }

    // ---- the wire ----

    void probe(String target, Transport transport, Wire r) {
        out.println(s.bold(transport.label() + " " + safe(target)));
        wireLines("  ", r);
    }

    private void wireLines(String lead, Wire r) {
        String indent = " ".repeat(lead.length());
        if (r.outcome() == Wire.Outcome.NONE) {
            out.println(lead + s.yellow("nothing identified: " + safe(r.error())) + s.dim("  (" + r.elapsedMillis() + " ms)"));
            return;
        }
        String head = r.protocol() + (r.product().isEmpty() ? "" : "  " + r.product() + (r.version().isEmpty() ? "" : " " + r.version()));
        out.println(lead + s.bold(safe(head)) + (r.confident() ? "" : s.dim(" (not a confident match)"))
                + s.dim("  (" + r.elapsedMillis() + " ms, tried " + String.join(", ", r.tried()) + ")"));
        for (java.util.Map.Entry<String, String> d : r.details().entrySet()) {
            out.println(indent + pad(safe(d.getKey()), 10) + safe(d.getValue()));
        }
        if (r.tls() != null) {
            org.portlens.probe.TlsInfo t = r.tls();
            out.println(indent + pad("tls", 10) + safe(t.version() + ", " + t.cipher() + (t.alpn().isEmpty() ? "" : ", ALPN " + t.alpn())));
            out.println(indent + pad("subject", 10) + safe(t.subject()));
            out.println(indent + pad("issuer", 10) + safe(t.issuer()) + (t.selfSigned() ? s.yellow("  (self-signed)") : ""));
            if (!t.sans().isEmpty()) {
                out.println(indent + pad("names", 10) + safe(String.join(", ", t.sans())));
            }
            if (t.notAfter() != null) {
                out.println(indent + pad("expires", 10) + utc(t.notAfter()) + (t.expired() ? s.red("  EXPIRED") : ""));
            }
        }
        if (r.outcome() == Wire.Outcome.UNKNOWN && !r.firstBytes().isEmpty()) {
            out.println(indent + pad("first", 10) + safe(r.firstBytes()));
        }
    }

    // ---- registry records ----

    void records(List<IanaRecord> records) {
        for (IanaRecord r : records) {
            String name = r.serviceName().isEmpty() ? s.dim("(no name)") : s.bold(safe(r.serviceName()));
            out.println("  " + pad(r.portLabel(), 12) + name + "  " + safe(r.description().replace('\n', ' ')));
            List<String> facts = new ArrayList<>();
            if (!r.registered().isEmpty()) {
                facts.add("registered " + r.registered());
            }
            if (!r.modified().isEmpty()) {
                facts.add("modified " + r.modified());
            }
            if (!r.serviceCode().isEmpty()) {
                facts.add("service code " + r.serviceCode());
            }
            if (!facts.isEmpty()) {
                out.println("  " + pad("", 12) + safe(String.join(", ", facts)));
            }
            people("assignee", r.assignees());
            people("contact", r.contacts());
            for (Reference ref : r.references()) {
                String url = ref.url();
                out.println("  " + pad("", 12) + "reference " + safe(ref.display()) + (url.isEmpty() || url.equals(ref.data()) ? "" : "  " + safe(url)));
            }
            if (!r.notes().isEmpty()) {
                wrapped("  " + pad("", 12) + "note ", safe(r.notes().replace('\n', ' ')));
            }
            if (!r.unauthorizedUse().isEmpty()) {
                out.println("  " + pad("", 12) + s.yellow("unauthorized use reported: " + safe(r.unauthorizedUse())));
            }
        }
    }

    private void people(String role, List<Contact> people) {
        for (Contact c : people) {
            out.println("  " + pad("", 12) + role + " " + safe(c.display()) + (c.uri().isEmpty() ? "" : " <" + safe(c.uri()) + ">"));
        }
    }

    void knownUses(List<KnownUse> uses) {
        heading("Known uses " + s.dim("(not IANA's word)"));
        knownUseLines(uses);
    }

    private void knownUseLines(List<KnownUse> uses) {
        for (KnownUse u : uses) {
            List<String> t = new ArrayList<>();
            for (Transport x : u.transports()) {
                t.add(x.label());
            }
            out.println("  " + pad(u.ports() + "/" + String.join(",", t), 16) + s.bold(safe(u.software())) + ": " + safe(u.use()));
            out.println("  " + pad("", 16) + s.dim(safe(u.source())));
        }
    }

    void hits(String query, List<Registry.Hit> hits) {
        if (hits.isEmpty()) {
            out.println("No registry record matches '" + safe(query) + "'.");
            return;
        }
        for (Registry.Hit h : hits) {
            IanaRecord r = h.record();
            out.println(pad(r.portLabel(), 14) + pad(r.serviceName().isEmpty() ? "-" : safe(r.serviceName()), 24)
                    + safe(r.description().replace('\n', ' ')));
        }
    }

    void registryInfo(Registry.Info info, String origin) {
        out.println("IANA Service Name and Transport Protocol Port Number Registry");
        out.println("  updated      " + info.updated());
        out.println("  in use       " + origin);
        out.println("  source       " + info.source());
        out.println("  sha256       " + info.sha256());
        if (!info.importedAt().isEmpty()) {
            out.println("  imported     " + info.importedAt());
        }
        out.println("  records      " + info.records() + " (" + info.serviceNames() + " service names)");
        StringBuilder t = new StringBuilder();
        for (Map.Entry<Transport, Integer> e : info.byTransport().entrySet()) {
            t.append(t.length() == 0 ? "" : ", ").append(e.getKey().label()).append(' ').append(e.getValue());
        }
        out.println("  by transport " + t);
        out.println("  people       " + info.people());
        out.println("  licence      IANA registry data, free to use (CC0 1.0; https://www.iana.org/help/licensing-terms)");
    }

    // ---- portlens ls ----

    void table(List<Listener> rows, Coverage coverage) {
        String[] head = {"PROTO", "LOCAL ADDRESS", "SCOPE", "PID", "USER", "PROCESS", "SOURCE"};
        List<String[]> cells = new ArrayList<>();
        for (Listener l : rows) {
            String proto = l.transport().label() + (l.local().ipv6() ? "6" : "");
            String addr = l.local().hostPort() + (l.namespace().current() ? "" : " [" + l.namespace().label() + "]");
            List<ProcessInfo> procs = l.processes();
            String pid;
            String user;
            String name;
            String source;
            if (procs.isEmpty()) {
                Owner o = l.owners().get(0);
                pid = "-";
                user = Integer.toString(l.uid());
                name = o instanceof Owner.Hidden ? (coverage.privileged() ? "(hidden)" : "(hidden: run as root)") : o instanceof Owner.Gone ? "(exited)" : "(no process)";
                source = "";
            } else {
                ProcessInfo p = procs.get(0);
                pid = Integer.toString(p.pid()) + (procs.size() > 1 ? "+" + (procs.size() - 1) : "");
                user = p.user();
                name = p.name();
                source = p.source().kind().label() + (p.source().name().isEmpty() ? "" : " " + p.source().name());
            }
            cells.add(new String[] {proto, safe(addr), l.local().scope().label(), pid, safe(user), safe(name), safe(source)});
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
        out.println(s.dim(rows.size() + " listening socket(s); " + coverage.processesScanned() + " processes read"
                + (coverage.processesUnreadable() > 0 ? ", " + coverage.processesUnreadable() + " unreadable" : "")
                + (coverage.ownersHidden() > 0 ? ", " + coverage.ownersHidden() + " owner(s) hidden"
                        + (coverage.privileged() ? "" : ": run as root to see them") : "")));
        for (String n : coverage.notes()) {
            out.println(s.dim("note: " + safe(n)));
        }
    }

    // ---- helpers ----

    private void heading(String text) {
        out.println(s.bold(text));
    }

    private void wrapped(String indent, String text) {
        int width = 100;
        StringBuilder line = new StringBuilder(indent);
        String cont = " ".repeat(indent.length());
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > width && line.length() > indent.length()) {
                out.println(line.toString().stripTrailing());
                line = new StringBuilder(cont);
            }
            line.append(word).append(' ');
        }
        out.println(line.toString().stripTrailing());
    }

    static String pad(String v, int width) {
        if (v.length() >= width) {
            return v + " ";
        }
        return v + " ".repeat(width - v.length());
    }

    private static String safe(String v) {
        return Style.safe(v);
    }

    /**
     * "2026-11-27 14:31:20 UTC". UTC, not local time: unambiguous across hosts, and formatting in
     * the local zone loads the time-zone database, about 15 ms of a cold start (bench/README.md).
     */
    static String utc(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        return d.getYear() + "-" + two(d.getMonthValue()) + "-" + two(d.getDayOfMonth()) + " "
                + two(d.getHour()) + ":" + two(d.getMinute()) + ":" + two(d.getSecond()) + " UTC";
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    static String age(Instant start) {
        Duration d = Duration.between(start, Instant.now());
        if (d.isNegative()) {
            return "0s";
        }
        long sec = d.getSeconds();
        if (sec < 60) {
            return sec + "s";
        }
        if (sec < 3600) {
            return (sec / 60) + "m" + (sec % 60 > 0 ? " " + sec % 60 + "s" : "");
        }
        if (sec < 86400) {
            return (sec / 3600) + "h " + (sec % 3600) / 60 + "m";
        }
        return (sec / 86400) + "d " + (sec % 86400) / 3600 + "h";
    }
}
