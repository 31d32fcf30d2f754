package org.portlens.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.portlens.Untrusted;
import org.portlens.model.BindScope;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;
import org.portlens.packages.PackageOrigin;
import org.portlens.probe.Wire;
import org.portlens.store.OpenPeriod;

/**
 * One listener as a page shows it. Every text that comes from another program (names, command lines,
 * banners, certificate fields) has its control characters made visible here ({@link Untrusted}), and
 * the template escapes it for HTML.
 *
 * <p>Immutable; safe from any thread.
 */
public final class ListenerView {

    static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final Listener l;
    private final @Nullable Wire wire;
    private final String notProbed;
    private final @Nullable OpenPeriod open;
    private final List<String> findings;
    private final Map<Integer, PackageOrigin> packages;
    private final List<String> forward;

    ListenerView(Listener l, @Nullable Wire wire, String notProbed, @Nullable OpenPeriod open, List<String> findings) {
        this(l, wire, notProbed, open, findings, Map.of());
    }

    ListenerView(
            Listener l,
            @Nullable Wire wire,
            String notProbed,
            @Nullable OpenPeriod open,
            List<String> findings,
            Map<Integer, PackageOrigin> packages) {
        this(l, wire, notProbed, open, findings, packages, null);
    }

    ListenerView(
            Listener l,
            @Nullable Wire wire,
            String notProbed,
            @Nullable OpenPeriod open,
            List<String> findings,
            Map<Integer, PackageOrigin> packages,
            @Nullable Forward forward) {
        this.packages = Map.copyOf(packages);
        this.forward = forward == null ? List.of() : ForwardLines.of(forward);
        this.l = l;
        this.wire = wire;
        this.notProbed = notProbed;
        this.open = open;
        List<String> shown = new ArrayList<>();
        findings.forEach(f -> shown.add(safe(f)));
        this.findings = List.copyOf(shown);
    }

    static String safe(@Nullable String s) {
        return s == null ? "" : Untrusted.forTerminal(s);
    }

    /** @return a key that names the listening place (transport, address, port, namespace) */
    public String id() {
        return id(l);
    }

    static String id(Listener l) {
        return l.transport().label() + "|" + l.local().address() + "|"
                + l.local().port() + "|" + l.namespace().inode();
    }

    /** @return tcp or udp */
    public String transport() {
        return l.transport().label();
    }

    /** @return address:port, IPv6 in brackets */
    public String hostPort() {
        return l.local().hostPort();
    }

    /** @return the port */
    public int port() {
        return l.local().port();
    }

    /** @return {@code all}, {@code loopback} or {@code address}: the bind scope, for a CSS class */
    public String scope() {
        return scopeCode(l.local().scope());
    }

    static String scopeCode(BindScope scope) {
        switch (scope) {
            case ALL:
                return "all";
            case LOOPBACK:
                return "loopback";
            default:
                return "address";
        }
    }

    /** @return the bind scope's key in the messages */
    public String scopeKey() {
        return "scope." + l.local().scope().name();
    }

    /** @return whether it is reachable from the network (bound to all interfaces in the host's namespace) */
    public boolean exposed() {
        return l.local().scope() == BindScope.ALL && l.namespace().current();
    }

    /** @return the network namespace's label when it is not this process's, else empty */
    public String namespace() {
        return l.namespace().current() ? "" : safe(l.namespace().label());
    }

    /** @return the processes holding the socket */
    public List<ProcessInfo> processes() {
        return l.processes();
    }

    /** @return the principal owner's name and pid, or why there is none, in a few words */
    public String ownerSummary() {
        for (Owner o : l.owners()) {
            if (o instanceof Owner.Known k) {
                return safe(k.process().name()) + " (pid " + k.process().pid() + ", "
                        + safe(k.process().user()) + ")";
            }
        }
        return ownerNote();
    }

    /** @return why no owner is shown, or empty when one is */
    public String ownerNote() {
        for (Owner o : l.owners()) {
            if (o instanceof Owner.Hidden h) {
                return "hidden: " + safe(h.reason());
            } else if (o instanceof Owner.Gone g) {
                return "pid " + g.pid() + " exited during the read";
            } else if (o instanceof Owner.None n) {
                return "none: " + safe(n.reason());
            }
        }
        return l.processes().isEmpty() && l.uid() >= 0
                ? "socket of user " + safe(l.user()) + " (uid " + l.uid() + ")"
                : "";
    }

    /**
     * @param p a process
     * @return its name, made safe
     */
    public String name(ProcessInfo p) {
        return safe(p.name());
    }

    /**
     * @param p a process
     * @return its command line, made safe
     */
    public String command(ProcessInfo p) {
        return safe(p.command());
    }

    /**
     * @param p a process
     * @return its executable, or empty when hidden
     */
    public String executable(ProcessInfo p) {
        return safe(p.executable());
    }

    /**
     * @param p a process
     * @return the installed package of its executable, or why none is named, made safe; empty when not looked up
     */
    public String packageOf(ProcessInfo p) {
        PackageOrigin o = packages.get(p.pid());
        return o == null ? "" : safe(o.summary());
    }

    /**
     * @param p a process
     * @return its user, made safe
     */
    public String user(ProcessInfo p) {
        // Windows has no uids, and a user a tool could not name is empty: -1 is not shown
        String user = p.user().isEmpty() ? "unknown" : safe(p.user());
        return p.uid() < 0 ? user : user + " (uid " + p.uid() + ")";
    }

    /**
     * @param p a process
     * @return when it started, in UTC, or empty
     */
    public String started(ProcessInfo p) {
        Instant t = p.startTime();
        return t == null ? "" : UTC.format(t);
    }

    /**
     * @param p a process
     * @return why it runs: the unit, container, shell or cron, with its kind
     */
    public String source(ProcessInfo p) {
        return safe(p.source().detail()) + " [" + p.source().kind().label() + "]";
    }

    /**
     * @param p a process
     * @return its ancestry, parent first
     */
    public String ancestry(ProcessInfo p) {
        StringBuilder chain = new StringBuilder();
        for (ProcessRef a : p.ancestry()) {
            if (chain.length() > 0) {
                chain.append(" ← ");
            }
            chain.append(safe(a.name())).append('(').append(a.pid()).append(')');
        }
        return chain.toString();
    }

    /**
     * @param p a process
     * @return what could not be read about it
     */
    public List<String> unreadable(ProcessInfo p) {
        List<String> out = new ArrayList<>();
        for (String u : p.unreadable()) {
            out.add(safe(u));
        }
        return out;
    }

    /** @return the wire's one-line summary, or why it was not probed, or empty */
    public String wire() {
        if (wire == null) {
            return notProbed.isEmpty() ? "" : "not probed: " + safe(notProbed);
        }
        if (wire.outcome() == Wire.Outcome.NONE) {
            return "nothing identified: " + safe(wire.error());
        }
        StringBuilder s = new StringBuilder(safe(wire.protocol()));
        if (!wire.product().isEmpty()) {
            s.append(", ").append(safe(wire.product()));
            if (!wire.version().isEmpty()) {
                s.append(' ').append(safe(wire.version()));
            }
        }
        if (!wire.confident()) {
            s.append(" (not a confident match)");
        }
        return s.toString();
    }

    /** @return where a forwarding owner sends the socket's traffic and who serves it, made safe; empty when none */
    public List<String> forward() {
        return forward;
    }

    /** @return the wire's details (banner fields, TLS certificate), made safe */
    public List<String> wireDetails() {
        List<String> out = new ArrayList<>();
        if (wire == null) {
            return out;
        }
        for (Map.Entry<String, String> d : wire.details().entrySet()) {
            out.add(safe(d.getKey()) + ": " + safe(d.getValue()));
        }
        if (wire.tls() != null) {
            var t = wire.tls();
            out.add("tls: " + safe(t.version() + ", " + t.cipher()));
            out.add("subject: " + safe(t.subject()));
            out.add("issuer: " + safe(t.issuer()) + (t.selfSigned() ? " (self-signed)" : ""));
            if (!t.sans().isEmpty()) {
                out.add("names: " + safe(String.join(", ", t.sans())));
            }
        }
        if (wire.outcome() == Wire.Outcome.UNKNOWN && !wire.firstBytes().isEmpty()) {
            out.add("first bytes: " + safe(wire.firstBytes()));
        }
        return out;
    }

    /** @return since when it is open, from portlens watch's history, or empty */
    public String openSince() {
        return open == null ? "" : (open.atLeast() ? "at least " : "") + UTC.format(open.since());
    }

    /** @return the policy findings about it, in words */
    public List<String> findings() {
        return findings;
    }

    /** @return the listener itself */
    public Listener listener() {
        return l;
    }
}
