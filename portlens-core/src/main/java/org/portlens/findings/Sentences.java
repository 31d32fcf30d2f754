package org.portlens.findings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.ProcessInfo;
import org.portlens.model.RuleForward;
import org.portlens.model.Source;
import org.portlens.model.Transport;
import org.portlens.probe.Wire;

/**
 * Findings in plain English, one sentence (or two) each: the words every front end shows.
 * Pure functions; safe from any thread. The text is not escaped: it carries process names and
 * banners, so a renderer escapes it for its medium.
 */
public final class Sentences {

    private Sentences() {}

    /**
     * The sentence for a finding.
     *
     * @param f any finding
     * @return one or two sentences, ending with a full stop, not escaped
     */
    public static String of(Finding f) {
        if (f instanceof Finding.NotChecked n) {
            return n.reason().isEmpty()
                    ? "Listeners were not checked, so only the registry speaks here."
                    : "Listeners were not checked: " + n.reason() + ".";
        }
        if (f instanceof Finding.NoRecordForTransport t) {
            List<String> others = t.assignedFor().stream().map(Transport::label).toList();
            return "No " + t.transport().label().toUpperCase(Locale.ROOT) + " record for " + t.ports()
                    + (t.ports().single() ? " (IANA assigns it for " : " (IANA assigns ports in it for ")
                    + String.join(", ", others) + ").";
        }
        if (f instanceof Finding.NothingListening n) {
            return "Nothing is listening on " + n.ports() + " here"
                    + (n.ports().single() ? "." : " (any of these ports).");
        }
        if (f instanceof Finding.RegisteredUnused r) {
            return "IANA lists " + label(r.labels())
                    + ", registered with no reference and no software known to use it: "
                    + "if you see this port open elsewhere, the label will not tell you what it is.";
        }
        if (f instanceof Finding.EstablishedOnly e) {
            return e.connections() + " established TCP connection(s) use this local port: outgoing"
                    + " connections from an ephemeral port, or a listener that has since closed.";
        }
        if (f instanceof Finding.RegisteredService r) {
            return "This looks like the registered service " + r.serviceName() + " on " + port(r.holder()) + ": "
                    + holder(r.holder());
        }
        if (f instanceof Finding.KnownUseMatch k) {
            return "IANA's label " + label(k.labels()) + " does not explain this listener, but a known use does ("
                    + k.software() + ", by its " + k.matchedBy() + "): " + holder(k.holder());
        }
        if (f instanceof Finding.NoRegisteredName n) {
            return "IANA has no service name for " + port(n.holder())
                    + knownFor(n.knownUses())
                    + ", so only its owner explains this listener: " + holder(n.holder());
        }
        if (f instanceof Finding.LabelMismatch m) {
            return "The IANA label " + label(m.labels()) + " does not explain this listener on " + port(m.holder())
                    + knownFor(m.knownUses()) + ": " + holder(m.holder());
        }
        if (f instanceof Finding.HiddenOwner h) {
            return "Something listens on " + h.port() + "/" + h.transport().label() + ", " + exposure(h.exposure())
                    + ", but its owner is not shown: " + h.reason() + ".";
        }
        if (f instanceof Finding.WireSeen w) {
            return wire(w);
        }
        if (f instanceof Finding.ForwardedByRule r) {
            return forwardedByRule(r);
        }
        if (f instanceof Finding.Published p) {
            return published(p);
        }
        if (f instanceof Finding.InEphemeralRange) {
            return "The port is inside this host's ephemeral range, so the kernel may also hand it to outgoing"
                    + " connections; a fixed service here can clash with them.";
        }
        Finding.PartialAnswer p = (Finding.PartialAnswer) f;
        String gone = p.ownersGone() == 0
                ? ""
                : p.ownersGone() + " owner process(es) exited while portlens read them; run again for a full answer.";
        if (p.ownersHidden() == 0) {
            return "Part of the answer is missing: " + gone;
        }
        return "Part of the answer is hidden: " + p.ownersHidden()
                + " socket(s) belong to processes portlens could not read"
                + (p.privileged() ? ", even as root." : "; run as root to see them.")
                + (gone.isEmpty() ? "" : " " + gone);
    }

    private static String forwardedByRule(Finding.ForwardedByRule r) {
        RuleForward f = r.forward();
        String where = f.namespace().current() ? "" : " of " + f.namespace().label();
        String chain = f.chain().isEmpty() ? "" : ", chain " + String.join(" → ", f.chain());
        String reach;
        switch (f.reach()) {
            case LOOPBACK:
                reach = "it matches only packets to " + f.matches() + ", so only this host can use it";
                break;
            case ADDRESS:
                reach = "it matches packets to " + f.matches();
                break;
            default:
                reach = f.namespace().current()
                        ? "it matches packets to " + f.matches() + ", so the network can reach the server through it"
                                + " whatever the server's own bind"
                        : "it matches packets to " + f.matches() + " inside "
                                + f.namespace().label();
        }
        return f.port() + "/" + f.transport().label() + " is forwarded by a NAT rule" + where + " (" + f.tool() + chain
                + ") to " + f.target() + ", " + servedBy(f.servers()) + "; " + reach + ".";
    }

    private static String published(Finding.Published p) {
        Forward f = p.forward();
        String reach = exposure(p.exposure());
        String to = f.targetAddress().isEmpty() ? "port " + f.targetPort() + " of the namespace it serves" : f.target();
        return p.port() + "/" + p.transport().label() + " is published by " + f.program() + " (pid " + f.pid()
                + ") to " + to + ", " + servedBy(f.servers()) + ": the server is " + reach
                + " through it, whatever its own bind inside its namespace says.";
    }

    /** "served by nginx (pid 12) inside netns web", or "where nothing was seen listening". */
    private static String servedBy(List<Listener> servers) {
        if (servers.isEmpty()) {
            return "where nothing was seen listening";
        }
        List<String> who = new ArrayList<>();
        for (Listener l : servers) {
            String ns =
                    l.namespace().current() ? "" : " inside " + l.namespace().label();
            if (l.processes().isEmpty()) {
                who.add("a socket whose owner is not shown" + ns);
            }
            for (ProcessInfo p : l.processes()) {
                String c = p.containerName().isEmpty() ? "" : " in container " + p.containerName();
                who.add(p.name() + " (pid " + p.pid() + ")" + c + ns);
                if (who.size() == 3) {
                    break;
                }
            }
            if (who.size() == 3) {
                break;
            }
        }
        return "served by " + String.join(", ", who);
    }

    private static String wire(Finding.WireSeen w) {
        String port = w.port() + "/" + w.transport().label();
        Wire r = w.wire();
        switch (w.verdict()) {
            case SILENT:
                return "The wire on " + port + " said nothing: " + r.error() + ".";
            case UNKNOWN:
                return "The wire on " + port + " is not a protocol portlens knows: "
                        + r.details().getOrDefault("received", "")
                        + (r.firstBytes().isEmpty() ? "" : ", starting " + r.firstBytes()) + ".";
            case UNNAMED:
                return "The wire on " + port + " says " + r.summary() + "; IANA has no name for this port.";
            case MATCHES_LABEL:
                return "The wire on " + port + " says " + r.summary() + ", as IANA's label suggests.";
            default:
                return "The wire on " + port + " says " + r.summary() + ", which IANA's label '"
                        + String.join("', '", w.names()) + "' does not describe.";
        }
    }

    /**
     * {@code ""}, or ", and the port is known for Apache Spark and Monero, but its owner is none of
     * these": the known uses whose software the owner is not.
     */
    private static String knownFor(List<String> software) {
        if (software.isEmpty()) {
            return "";
        }
        String names;
        if (software.size() == 1) {
            names = software.get(0);
        } else if (software.size() <= 4) {
            names = String.join(", ", software.subList(0, software.size() - 1)) + " and "
                    + software.get(software.size() - 1);
        } else {
            names = String.join(", ", software.subList(0, 3)) + " and " + (software.size() - 3) + " more";
        }
        return ", and the port is known for " + names + ", but its owner is "
                + (software.size() == 1 ? "not that software" : "none of these");
    }

    /** {@code 'netplay-port1'}, {@code 'a', 'b'}, {@code 'a', 'b', 'c', …}, or {@code (none)}. */
    static String label(List<String> names) {
        if (names.isEmpty()) {
            return "(none)";
        }
        return names.size() > 3
                ? "'" + String.join("', '", names.subList(0, 3)) + "', …"
                : "'" + String.join("', '", names) + "'";
    }

    private static String port(Holder h) {
        return h.port() + "/" + h.transport().label();
    }

    /** "a Python HTTP server (python3 -m http.server) (pid 42, user app) started from …, reachable …." */
    /**
     * Who holds a listener, why it runs and who can reach it: "a Python HTTP server (python3 -m
     * http.server) (pid 13789, user root), origin unknown, reachable from the network (all interfaces)."
     *
     * @param h the holder
     * @return one sentence ending with a full stop, not escaped
     */
    public static String holder(Holder h) {
        ProcessInfo p = h.process();
        String who = describe(p) + " (pid " + p.pid() + (h.others() > 0 ? " and " + h.others() + " more" : "")
                + ", user " + p.user() + (h.installed().isEmpty() ? "" : ", package " + h.installed()) + ")";
        return who + origin(p.source()) + ", " + exposure(h.exposure()) + ".";
    }

    /**
     * "a Python HTTP server", "a Node.js program (server.js)", or "nginx".
     *
     * @param p the process
     * @return what the process is, in a few words: a known runtime and its script, else its name
     */
    public static String describe(ProcessInfo p) {
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
        if (lower.equals("ruby")
                || lower.equals("perl")
                || lower.equals("php")
                || lower.equals("deno")
                || lower.equals("bun")) {
            return "a " + Character.toUpperCase(lower.charAt(0)) + lower.substring(1) + " program"
                    + (script.isEmpty() ? "" : " (" + script + ")");
        }
        if (lower.equals("docker-proxy")) {
            String ip = after(args, "-container-ip");
            String cport = after(args, "-container-port");
            return "docker-proxy"
                    + (ip.isEmpty() ? "" : ", forwarding to container " + ip + (cport.isEmpty() ? "" : ":" + cport));
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
                if (i + 1 >= args.size()) {
                    return "";
                }
                return a.equals("-m") || a.equals("-jar") ? args.get(i + 1) : firstAfter(args, i + 2);
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
            case SHELL:
                return " started from an " + s.detail();
            case SYSTEMD_UNIT:
            case USER_UNIT:
            case LAUNCHD_JOB:
            case WINDOWS_SERVICE:
                return " run by " + s.detail();
            case CONTAINER:
            case SESSION:
                return " in " + s.detail();
            case CRON:
                return " " + s.detail();
            case INIT:
                return " (" + s.detail() + ")";
            case KERNEL:
                return " (kernel)";
            default:
                return ", origin unknown";
        }
    }

    /**
     * "reachable from the network (all interfaces)", "reachable only from this host (loopback)", …
     *
     * @param e where a socket is bound and in which network namespace
     * @return who can reach the socket, in a few words without a full stop
     */
    public static String exposure(Exposure e) {
        String ns = e.namespace().current() ? "" : " inside " + e.namespace().label();
        switch (e.scope()) {
            case ALL:
                return e.namespace().current()
                        ? "reachable from the network (all interfaces)"
                        : "on all interfaces" + ns;
            case LOOPBACK:
                return "reachable only from this host (loopback)" + ns;
            default:
                return "reachable on " + e.address() + ns;
        }
    }
}
