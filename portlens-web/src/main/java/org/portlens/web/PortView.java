package org.portlens.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.portlens.Explanation;
import org.portlens.discovery.Discovery;
import org.portlens.findings.Finding;
import org.portlens.findings.Sentences;
import org.portlens.model.Coverage;
import org.portlens.model.EphemeralRange;
import org.portlens.model.Transport;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.KnownUse;
import org.portlens.registry.PortStatus;
import org.portlens.registry.RangeClass;
import org.portlens.registry.Reference;
import org.portlens.store.OpenPeriod;
import org.portlens.store.StoredEvent;
import org.portlens.store.StoredProcess;
import org.portlens.store.VoteStore;

/**
 * A port's page: the seed's sections written for that port from the registry and the known uses,
 * then, on the live server, what is on it on this host now.
 *
 * <p>Immutable; safe from any thread.
 */
public final class PortView {

    private final int port;
    private final @Nullable Transport transport;
    private final Explanation e;
    private final boolean live;
    private final @Nullable Instant readAt;
    private final List<ListenerView> listeners;
    private final List<ForwardLines> rules;
    private final VoteStore.@Nullable Tally votes;
    private final boolean voted;
    private final @Nullable List<StoredEvent> history;

    PortView(
            int port,
            @Nullable Transport transport,
            Explanation e,
            boolean live,
            @Nullable Instant readAt,
            Map<Long, OpenPeriod> openSince,
            Map<String, List<String>> policyFindings,
            VoteStore.@Nullable Tally votes,
            boolean voted,
            @Nullable List<StoredEvent> history) {
        this.port = port;
        this.history = history == null ? null : List.copyOf(history);
        this.transport = transport;
        this.e = e;
        this.live = live;
        this.readAt = readAt;
        this.votes = votes;
        this.voted = voted;
        List<ListenerView> ls = new ArrayList<>();
        for (Explanation.ExplainedListener x : e.listeners()) {
            String id = ListenerView.id(x.listener());
            ls.add(new ListenerView(
                    x.listener(),
                    x.wire().orElse(null),
                    x.notProbed(),
                    openSince.get(x.listener().inode()),
                    policyFindings.getOrDefault(id, List.of()),
                    x.packages(),
                    x.forward().orElse(null)));
        }
        this.listeners = List.copyOf(ls);
        List<ForwardLines> rs = new ArrayList<>();
        for (Explanation.ExplainedRule r : e.ruleForwards()) {
            rs.add(ForwardLines.of(r));
        }
        this.rules = List.copyOf(rs);
    }

    /** @return the NAT rules that forward the port, each followed to its server */
    public List<ForwardLines> rules() {
        return rules;
    }

    /** @return what could not be read of the NAT rules, made safe */
    public List<String> ruleNotes() {
        List<String> out = new ArrayList<>();
        e.ruleNotes().forEach(n -> out.add(ListenerView.safe(n)));
        return out;
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /** @return the transport label when the page is for one transport, else empty */
    public String transport() {
        return transport == null ? "" : transport.label();
    }

    /** @return the page's key for votes: {@code port/3640} or {@code port/3640/tcp} */
    public String pageKey() {
        return "port/" + port + (transport == null ? "" : "/" + transport.label());
    }

    /** @return the page's path on the live server */
    public String path() {
        return "/" + pageKey();
    }

    /** @return the previous port, or -1 at 0 */
    public int previous() {
        return port - 1;
    }

    /** @return the next port, or 65536 at 65535 */
    public int next() {
        return port + 1;
    }

    /** @return IANA's service names for the port, without repeats */
    public String names() {
        Set<String> names = new LinkedHashSet<>();
        for (IanaRecord r : e.records()) {
            if (!r.serviceName().isEmpty()) {
                names.add(r.serviceName());
            }
        }
        return String.join(", ", names);
    }

    /** @return the range the port is in */
    public RangeClass range() {
        return e.rangeClass();
    }

    /** @return this host's ephemeral range, when read (live only) */
    public Optional<EphemeralRange> ephemeral() {
        return live ? e.ephemeral() : Optional.empty();
    }

    /** @return whether the port is in this host's ephemeral range */
    public boolean inEphemeral() {
        return live && e.inEphemeralRange();
    }

    /** @return IANA's records for the port */
    public List<IanaRecord> records() {
        return e.records();
    }

    /** @return the status key in the messages: {@code status.assigned} and so on */
    public String statusKey() {
        return "status." + e.status().label();
    }

    /** @return the status label: {@code assigned}, {@code registered-unused}, {@code reserved}, {@code unassigned} */
    public String status() {
        return e.status().label();
    }

    /** @return the RFCs and other references of the records, for the "assigned" text */
    public List<Reference> references() {
        List<Reference> out = new ArrayList<>();
        for (IanaRecord r : e.records()) {
            for (Reference ref : r.references()) {
                if (!out.contains(ref)) {
                    out.add(ref);
                }
            }
        }
        return out;
    }

    /** @return whether the status is "assigned" with references to read */
    public boolean assignedWithReference() {
        return e.status() == PortStatus.ASSIGNED && !references().isEmpty();
    }

    /** @return the known uses of the port, with sources */
    public List<KnownUse> knownUses() {
        return e.knownUses();
    }

    /**
     * A known use's transports in words.
     *
     * @param u a known use
     * @return such as {@code tcp, udp}
     */
    public String transports(KnownUse u) {
        List<String> t = new ArrayList<>();
        u.transports().forEach(x -> t.add(x.label()));
        return String.join(", ", t);
    }

    /**
     * Whether a source is a web address to link.
     *
     * @param source a known use's source
     * @return true for http and https addresses
     */
    public boolean isLink(String source) {
        return source.startsWith("https://") || source.startsWith("http://");
    }

    /** @return the commands that check the port by hand, per OS */
    public List<Explanation.ManualCheck> checks() {
        return e.checks();
    }

    /**
     * An OS's name as a heading.
     *
     * @param os {@code linux}, {@code macos}, {@code windows}
     * @return such as {@code macOS}
     */
    public String osName(String os) {
        switch (os) {
            case "linux":
                return "Linux";
            case "macos":
                return "macOS";
            case "windows":
                return "Windows";
            default:
                return os;
        }
    }

    /** @return the OSes of the checks, in order */
    public List<String> checkSystems() {
        List<String> out = new ArrayList<>();
        for (Explanation.ManualCheck c : e.checks()) {
            if (!out.contains(c.os())) {
                out.add(c.os());
            }
        }
        return out;
    }

    /** @return whether the live part is shown (the live server, with the reader authorized) */
    public boolean live() {
        return live;
    }

    /** @return when the host was read, in UTC */
    public String readAt() {
        return readAt == null ? "" : ListenerView.UTC.format(readAt);
    }

    /** @return whether the host's sockets were read */
    public boolean discovered() {
        return e.discovery().isPresent();
    }

    /** @return why the host's sockets were not read */
    public String discoveryNote() {
        return ListenerView.safe(e.discoveryNote());
    }

    /** @return the listeners on the port */
    public List<ListenerView> listeners() {
        return listeners;
    }

    /** @return established TCP connections on the port as a local port */
    public int established() {
        return e.discovery().map(Discovery::established).orElse(0);
    }

    /** @return the verdict: every finding in words */
    public List<String> verdict() {
        List<String> out = new ArrayList<>();
        for (Finding f : e.findings()) {
            out.add(ListenerView.safe(Sentences.of(f)));
        }
        return out;
    }

    /** @return what the read could see, or null when nothing was read */
    public @Nullable Coverage coverage() {
        return e.discovery().map(Discovery::coverage).orElse(null);
    }

    /** @return whether any listener is bound to all interfaces */
    public boolean anyExposed() {
        return listeners.stream().anyMatch(ListenerView::exposed);
    }

    /** @return the votes, when the page has them (live server) */
    public VoteStore.@Nullable Tally votes() {
        return votes;
    }

    /** @return whether this browser has voted on this page */
    public boolean voted() {
        return voted;
    }

    /** @return whether portlens watch keeps a history this server can read */
    public boolean hasHistory() {
        return history != null;
    }

    /** @return the last events portlens watch saw on this port, oldest first: time, what, where, who */
    public List<List<String>> history() {
        List<List<String>> rows = new ArrayList<>();
        if (history == null) {
            return rows;
        }
        for (StoredEvent e : history) {
            String a = e.address().indexOf(':') >= 0 ? "[" + e.address() + "]" : e.address();
            StoredProcess p = e.owner();
            String who = p != null
                    ? ListenerView.safe(p.name()) + " (pid " + p.pid()
                            + (p.user() == null ? "" : ", " + ListenerView.safe(p.user())) + ")"
                    : e.ownerState().name().toLowerCase(java.util.Locale.ROOT);
            rows.add(List.of(
                    ListenerView.UTC.format(e.at()),
                    e.kind().label(),
                    e.transport().label() + " " + ListenerView.safe(a) + ":" + e.port()
                            + (e.netnsName().isEmpty() ? "" : " [" + ListenerView.safe(e.netnsName()) + "]"),
                    who));
        }
        return rows;
    }

    /** @return the explanation behind the page */
    public Explanation explanation() {
        return e;
    }
}
