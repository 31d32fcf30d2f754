package org.portlens.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portlens.store.History;
import org.portlens.store.HistoryQuery;
import org.portlens.store.StoredEvent;
import org.portlens.store.StoredProcess;
import org.portlens.store.WatchRun;
import org.portlens.watch.WatchEvent;
import org.portlens.web.json.Json;

/** {@code portlens history}: what was watched, the events newest last, and where each place stands. */
final class HistoryText extends TextView {

    HistoryText(Style style, PrintWriter out) {
        super(style, out);
    }

    void history(String port, String who, History h) {
        heading("Port " + port + " on " + safe(who) + ": " + watched(h.runs()));
        boolean manyHosts =
                h.events().stream().map(StoredEvent::host).distinct().count() > 1;
        if (h.more()) {
            out.println("  (older events left out: raise --limit or give --since)");
        }
        if (h.events().isEmpty()) {
            out.println("  nothing was seen listening on it" + (h.runs().isEmpty() ? "" : " while watched"));
            return;
        }
        for (StoredEvent e : h.events()) {
            out.println(
                    "  " + utc(e.at()) + "  " + (manyHosts ? safe(e.host()) + "  " : "") + place(e) + "  " + what(e));
        }
        out.println();
        Instant last =
                h.runs().stream().map(WatchRun::aliveAt).max(Instant::compareTo).orElse(null);
        heading("Now" + (last == null ? "" : ", as last watched (" + utc(last) + ")"));
        for (Standing st : standings(h.events()).values()) {
            out.println("  " + (manyHosts ? safe(st.last.host()) + "  " : "") + place(st.last) + "  " + st.sentence());
        }
    }

    private static String watched(List<WatchRun> runs) {
        if (runs.isEmpty()) {
            return "no watch run in this time";
        }
        Instant from = runs.get(0).startedAt();
        Instant to = runs.get(0).aliveAt();
        for (WatchRun r : runs) {
            from = r.startedAt().isBefore(from) ? r.startedAt() : from;
            to = r.aliveAt().isAfter(to) ? r.aliveAt() : to;
        }
        return "watched from " + utc(from) + " to " + utc(to) + " (" + runs.size() + " watch run"
                + (runs.size() == 1 ? "" : "s") + ")";
    }

    private static String place(StoredEvent e) {
        String a = e.address().indexOf(':') >= 0 ? "[" + e.address() + "]" : e.address();
        return e.transport().label() + " " + safe(a) + ":" + e.port()
                + (e.netnsName().isEmpty() ? "" : " (netns " + safe(e.netnsName()) + ")");
    }

    private static String what(StoredEvent e) {
        switch (e.kind()) {
            case PRESENT:
                return "already open when the watch started, held by " + owner(e);
            case OPENED:
                return "opened, held by " + owner(e);
            case CLOSED:
                return "closed (at or before this time), last held by " + owner(e);
            default:
                return "now held by " + owner(e) + "; before by "
                        + (e.before() == null ? "an unknown process" : brief(e.before()));
        }
    }

    static String owner(StoredEvent e) {
        StoredProcess p = e.owner();
        if (p == null) {
            switch (e.ownerState()) {
                case HIDDEN:
                    return "a process hidden from this user (socket user " + safe(e.user()) + ")";
                case GONE:
                    return "a process that exited before it could be read";
                default:
                    return "no process";
            }
        }
        StringBuilder b = new StringBuilder(brief(p));
        if (p.user() != null) {
            b.setLength(b.length() - 1);
            b.append(", user ").append(safe(p.user()));
            if (p.sourceKind() != null
                    && p.sourceName() != null
                    && !p.sourceName().isEmpty()) {
                b.append(", ")
                        .append(p.sourceKind().label().replace('-', ' '))
                        .append(' ')
                        .append(safe(p.sourceName()));
            }
            b.append(')');
        }
        return b.toString();
    }

    private static String brief(StoredProcess p) {
        return safe(p.name()) + " (pid " + p.pid() + (p.executable() == null ? "" : ", " + safe(p.executable())) + ")";
    }

    /** Where one place stands after the events listed: open since when (and held by whom since when), or closed. */
    static Map<String, Standing> standings(List<StoredEvent> events) {
        Map<String, Standing> out = new LinkedHashMap<>();
        for (StoredEvent e : events) {
            String key = e.host() + "\u0000" + e.transport() + "\u0000" + e.address() + "\u0000" + e.netnsInode();
            out.computeIfAbsent(key, k -> new Standing()).see(e);
        }
        return out;
    }

    /** One place's state, walked through its events in time order. */
    static final class Standing {
        StoredEvent last;
        boolean open;
        Instant since;
        boolean atLeast;
        Instant ownerSince;

        void see(StoredEvent e) {
            switch (e.kind()) {
                case OPENED -> {
                    open = true;
                    since = e.at();
                    atLeast = false;
                    ownerSince = e.at();
                }
                case PRESENT -> {
                    if (!open || (last != null && last.socketInode() != e.socketInode())) {
                        open = true;
                        since = e.at();
                        atLeast = true;
                        ownerSince = e.at();
                    }
                }
                case OWNER_CHANGED -> {
                    if (!open) {
                        open = true;
                        since = e.at();
                        atLeast = true;
                    }
                    ownerSince = e.at();
                }
                case CLOSED -> open = false;
            }
            last = e;
        }

        String sentence() {
            if (!open) {
                return "closed at or before " + utc(last.at());
            }
            String s = "open since " + (atLeast ? "at least " : "") + utc(since) + ", held by " + owner(last);
            return ownerSince.equals(since) ? s : s + " since " + utc(ownerSince);
        }
    }

    static ObjectNode json(HistoryQuery q, String who, History h) {
        ObjectNode n = Json.doc("history");
        n.put("port", q.port());
        n.put("transport", q.transport() == null ? null : q.transport().label());
        n.put("hosts", who);
        n.put("since", q.since() == null ? null : q.since().toString());
        n.put("until", q.until() == null ? null : q.until().toString());
        n.put("history", h != null);
        ArrayNode runs = n.putArray("watched");
        ArrayNode events = n.putArray("events");
        n.put("more", h != null && h.more());
        if (h == null) {
            return n;
        }
        for (WatchRun r : h.runs()) {
            ObjectNode o = runs.addObject();
            o.put("host", r.host());
            o.put("started", r.startedAt().toString());
            o.put("aliveAt", r.aliveAt().toString());
        }
        for (StoredEvent e : h.events()) {
            ObjectNode o = events.addObject();
            o.put("host", e.host());
            o.put("at", e.at().toString());
            o.put("kind", e.kind().label());
            o.put("transport", e.transport().label());
            o.put("address", e.address());
            o.put("port", e.port());
            ObjectNode ns = o.putObject("netns");
            ns.put("inode", e.netnsInode());
            ns.put("name", e.netnsName());
            o.put("socketInode", e.socketInode());
            o.put("uid", e.uid());
            o.put("user", e.user());
            o.put("ownerState", e.ownerState().name().toLowerCase(java.util.Locale.ROOT));
            process(o, "owner", e.owner());
            process(o, "before", e.kind() == WatchEvent.Kind.OWNER_CHANGED ? e.before() : null);
        }
        return n;
    }

    private static void process(ObjectNode parent, String field, StoredProcess p) {
        if (p == null) {
            parent.putNull(field);
            return;
        }
        ObjectNode o = parent.putObject(field);
        o.put("pid", p.pid());
        o.put("startTime", p.startTime() == null ? null : p.startTime().toString());
        o.put("name", p.name());
        o.put("executable", p.executable());
        o.put("user", p.user());
        if (p.sourceKind() == null) {
            o.putNull("source");
        } else {
            ObjectNode s = o.putObject("source");
            s.put("kind", p.sourceKind().label());
            s.put("name", p.sourceName());
        }
    }
}
