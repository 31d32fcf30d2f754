package org.portlens;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.portlens.discovery.Discovery;
import org.portlens.model.BindScope;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.KnownUse;
import org.portlens.probe.Wire;
import org.portlens.registry.PortStatus;

/** Plain-language sentences comparing the registry's label with what really holds the port. */
final class Verdict {

    private Verdict() {
    }

    static List<String> of(PortRange ports, List<IanaRecord> records, PortStatus status, List<KnownUse> uses,
                           Discovery discovery, boolean inEphemeral) {
        return of(ports, records, status, uses, discovery, inEphemeral, List.of());
    }

    static List<String> of(PortRange ports, List<IanaRecord> records, PortStatus status, List<KnownUse> uses,
                           Discovery discovery, boolean inEphemeral, List<Explanation.Probed> wires) {
        List<String> out = new ArrayList<>();
        String label = label(records);
        if (discovery == null) {
            out.add("Listeners were not checked, so only the registry speaks here.");
            return out;
        }
        if (discovery.listeners().isEmpty()) {
            out.add("Nothing is listening on " + ports + " here" + (ports.single() ? "." : " (any of these ports)."));
            if (status == PortStatus.REGISTERED_UNUSED) {
                out.add("IANA lists " + label + ", registered with no reference and no software known to use it: "
                        + "if you see this port open elsewhere, the label will not tell you what it is.");
            }
            if (discovery.established() > 0) {
                out.add(discovery.established() + " established TCP connection(s) use this local port: outgoing"
                        + " connections from an ephemeral port, or a listener that has since closed.");
            }
            return out;
        }
        // One sentence per distinct holder: group sockets by (owner, scope).
        Map<String, List<Listener>> groups = new LinkedHashMap<>();
        for (Listener l : discovery.listeners()) {
            groups.computeIfAbsent(holderKey(l), k -> new ArrayList<>()).add(l);
        }
        for (List<Listener> group : groups.values()) {
            out.add(sentence(group, records, label, uses));
            String wire = wireSentence(group, records, wires);
            if (!wire.isEmpty()) {
                out.add(wire);
            }
        }
        if (inEphemeral) {
            out.add("The port is inside this host's ephemeral range, so the kernel may also hand it to outgoing"
                    + " connections; a fixed service here can clash with them.");
        }
        if (discovery.coverage().partial()) {
            out.add("Part of the answer is hidden: " + discovery.coverage().ownersHidden()
                    + " socket(s) belong to processes portlens could not read"
                    + (discovery.coverage().privileged() ? ", even as root." : "; run as root to see them."));
        }
        return out;
    }

    /** Label against wire: "The wire says http (…), which IANA's label 'netplay-port1' does not describe." */
    private static String wireSentence(List<Listener> group, List<IanaRecord> records, List<Explanation.Probed> wires) {
        for (Listener l : group) {
            for (Explanation.Probed w : wires) {
                if (w.transport() != l.transport() || w.port() != l.local().port() || !w.address().equals(l.local().address())) {
                    continue;
                }
                Wire r = w.result();
                String port = l.local().port() + "/" + l.transport().label();
                if (r.outcome() == Wire.Outcome.NONE) {
                    return "The wire on " + port + " said nothing: " + r.error() + ".";
                }
                if (r.outcome() == Wire.Outcome.UNKNOWN) {
                    return "The wire on " + port + " is not a protocol portlens knows: " + r.details().getOrDefault("received", "")
                            + (r.firstBytes().isEmpty() ? "" : ", starting " + r.firstBytes()) + ".";
                }
                List<String> names = new ArrayList<>();
                for (IanaRecord rec : records) {
                    if (rec.ports() != null && rec.ports().contains(l.local().port()) && rec.transport() == l.transport()
                            && !rec.serviceName().isEmpty()) {
                        names.add(rec.serviceName().toLowerCase(Locale.ROOT));
                    }
                }
                String said = r.summary();
                boolean agrees = false;
                for (String n : names) {
                    String p = r.protocol().toLowerCase(Locale.ROOT);
                    if (n.equals(p) || n.startsWith(p) || p.startsWith(n) || (p.equals("https") && n.equals("http"))) {
                        agrees = true;
                    }
                }
                if (names.isEmpty()) {
                    return "The wire on " + port + " says " + said + "; IANA has no name for this port.";
                }
                return agrees ? "The wire on " + port + " says " + said + ", as IANA's label suggests."
                        : "The wire on " + port + " says " + said + ", which IANA's label '" + String.join("', '", names)
                        + "' does not describe.";
            }
        }
        return "";
    }

    private static String holderKey(Listener l) {
        StringBuilder k = new StringBuilder(l.transport().label()).append('|').append(l.namespace().inode()).append('|');
        for (Owner o : l.owners()) {
            k.append(o instanceof Owner.Known ? "p" + ((Owner.Known) o).process().pid() : o.toString()).append(',');
        }
        return k.toString();
    }

    private static String sentence(List<Listener> group, List<IanaRecord> records, String label, List<KnownUse> uses) {
        Listener first = group.get(0);
        List<ProcessInfo> procs = first.processes();
        String where = exposure(group);
        String port = first.local().port() + "/" + first.transport().label();
        if (procs.isEmpty()) {
            Owner o = first.owners().get(0);
            String why = o instanceof Owner.Hidden ? ((Owner.Hidden) o).reason()
                    : o instanceof Owner.None ? ((Owner.None) o).reason()
                    : "the process exited during the scan";
            return "Something listens on " + port + ", " + where + ", but its owner is not shown: " + why + ".";
        }
        ProcessInfo p = procs.get(0);
        String who = describe(p) + " (pid " + p.pid() + (procs.size() > 1 ? " and " + (procs.size() - 1) + " more" : "")
                + ", user " + p.user() + ")";
        String origin = origin(p.source());
        String match = matches(p, records, uses);
        String lead;
        if (match.startsWith("iana:")) {
            lead = "This looks like the registered service " + match.substring(5) + " on " + port + ": ";
        } else if (match.startsWith("known:")) {
            lead = "IANA's label " + label + " does not explain this listener, but a known use does ("
                    + match.substring(6) + "): ";
        } else if (records.stream().allMatch(r -> r.serviceName().isEmpty())) {
            lead = "IANA has no service name for " + port + ", so only its owner explains this listener: ";
        } else {
            lead = "The IANA label " + label + " does not explain this listener on " + port + ": ";
        }
        return lead + who + origin + ", " + where + ".";
    }

    private static String label(List<IanaRecord> records) {
        List<String> names = new ArrayList<>();
        for (IanaRecord r : records) {
            String n = r.serviceName().isEmpty() ? r.description().toLowerCase(Locale.ROOT) : r.serviceName();
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        if (names.isEmpty()) {
            return "(none)";
        }
        return names.size() > 3 ? "'" + String.join("', '", names.subList(0, 3)) + "', …"
                : "'" + String.join("', '", names) + "'";
    }

    /** "iana:NAME", "known:SOFTWARE" or "" — whether the label or a known use names the holder. */
    private static String matches(ProcessInfo p, List<IanaRecord> records, List<KnownUse> uses) {
        String hay = (p.name() + " " + (p.executable() == null ? "" : p.executable()) + " " + p.command()).toLowerCase(Locale.ROOT);
        for (IanaRecord r : records) {
            String n = r.serviceName().toLowerCase(Locale.ROOT);
            if (n.length() >= 3 && containsToken(hay, n)) {
                return "iana:" + r.serviceName();
            }
        }
        for (KnownUse u : uses) {
            for (String word : u.software().toLowerCase(Locale.ROOT).split("[^a-z0-9-]+")) {
                if (word.length() >= 4 && containsToken(hay, word)) {
                    return "known:" + u.software();
                }
            }
        }
        return "";
    }

    private static boolean containsToken(String hay, String word) {
        int i = hay.indexOf(word);
        while (i >= 0) {
            boolean start = i == 0 || !Character.isLetterOrDigit(hay.charAt(i - 1));
            int end = i + word.length();
            if (end < hay.length() && hay.charAt(end) == 'd') {
                end++; // the daemon of a service: sshd for ssh, ntpd for ntp
            }
            boolean stop = end >= hay.length() || !Character.isLetter(hay.charAt(end));
            if (start && stop) {
                return true;
            }
            i = hay.indexOf(word, i + 1);
        }
        return false;
    }

    /** "a Python HTTP server", "a Node.js program (server.js)", or "nginx". */
    static String describe(ProcessInfo p) {
        List<String> args = p.commandLine();
        String name = p.name();
        String lower = name.toLowerCase(Locale.ROOT);
        String script = args.size() > 1 ? firstNonOption(args) : "";
        if (lower.startsWith("python")) {
            if (args.contains("http.server") || args.contains("SimpleHTTPServer")) {
                return "a Python HTTP server (" + name + " -m http.server)";
            }
            return "a Python program" + (script.isEmpty() ? "" : " (" + script + ")");
        }
        if (lower.equals("node") || lower.equals("nodejs")) {
            return "a Node.js program" + (script.isEmpty() ? "" : " (" + script + ")");
        }
        if (lower.equals("java")) {
            return "a Java program" + (script.isEmpty() ? "" : " (" + script + ")");
        }
        if (lower.equals("ruby") || lower.equals("perl") || lower.equals("php") || lower.equals("deno") || lower.equals("bun")) {
            return "a " + Character.toUpperCase(lower.charAt(0)) + lower.substring(1) + " program" + (script.isEmpty() ? "" : " (" + script + ")");
        }
        if (lower.equals("docker-proxy")) {
            String ip = after(args, "-container-ip");
            String cport = after(args, "-container-port");
            return "docker-proxy" + (ip.isEmpty() ? "" : ", forwarding to container " + ip + (cport.isEmpty() ? "" : ":" + cport));
        }
        return name;
    }

    private static String after(List<String> args, String flag) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "";
    }

    private static String firstNonOption(List<String> args) {
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-m") || a.equals("-jar") || a.equals("-cp") || a.equals("-classpath")) {
                return i + 1 < args.size() ? (a.equals("-m") || a.equals("-jar") ? args.get(i + 1) : firstAfter(args, i + 2)) : "";
            }
            if (!a.startsWith("-")) {
                return a;
            }
        }
        return "";
    }

    private static String firstAfter(List<String> args, int from) {
        for (int i = from; i < args.size(); i++) {
            if (!args.get(i).startsWith("-")) {
                return args.get(i);
            }
        }
        return "";
    }

    private static String origin(Source s) {
        switch (s.kind()) {
            case SHELL: return " started from an " + s.detail();
            case SYSTEMD_UNIT: return " run by " + s.detail();
            case USER_UNIT: return " run by " + s.detail();
            case CONTAINER: return " in " + s.detail();
            case CRON: return " " + s.detail();
            case SESSION: return " in " + s.detail();
            case INIT: return " (" + s.detail() + ")";
            case KERNEL: return " (kernel)";
            default: return ", origin unknown";
        }
    }

    private static String exposure(List<Listener> group) {
        Listener l = group.get(0);
        boolean anyAll = group.stream().anyMatch(x -> x.local().scope() == BindScope.ALL);
        boolean allLoop = group.stream().allMatch(x -> x.local().scope() == BindScope.LOOPBACK);
        String ns = l.namespace().current() ? "" : " inside " + l.namespace().label();
        if (anyAll) {
            return (l.namespace().current() ? "reachable from the network (all interfaces)" : "on all interfaces" + ns);
        }
        if (allLoop) {
            return "reachable only from this host (loopback)" + ns;
        }
        return "reachable on " + l.local().address() + ns;
    }
}
