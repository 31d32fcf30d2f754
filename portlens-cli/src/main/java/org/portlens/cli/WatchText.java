package org.portlens.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.policy.AuditSentences;
import org.portlens.policy.PolicyFinding;
import org.portlens.watch.Changes;
import org.portlens.watch.WatchEvent;
import org.portlens.web.json.Json;

/**
 * The lines of {@code portlens watch}: one per event, as text or as a JSON object on one line
 * (JSON Lines). Each line is flushed as it is written, for pipes.
 */
final class WatchText extends TextView {

    /** One object per line: the indenting mapper of {@link Json} would break lines. */
    private static final ObjectMapper LINE = new ObjectMapper();

    WatchText(Style style, PrintWriter out) {
        super(style, out);
    }

    /** "2026-12-01 15:04:05 UTC  opened         tcp 127.0.0.1:3640  python3 (pid 812, root) [shell]". */
    void event(WatchEvent e) {
        String kind = pad(e.kind().label(), 14);
        kind = switch (e.kind()) {
            case OPENED -> s.yellow(kind);
            case CLOSED -> s.dim(kind);
            case OWNER_CHANGED -> s.yellow(kind);
            case PRESENT -> kind;
        };
        String line = utc(e.at()) + "  " + kind + " " + pad(place(e.listener()), 28) + " ";
        if (e instanceof WatchEvent.OwnerChanged c) {
            line += owner(c.listener()) + ", was " + owner(c.before());
        } else if (e instanceof WatchEvent.Closed) {
            line += "was " + owner(e.listener());
        } else {
            line += owner(e.listener());
        }
        out.println(line);
        out.flush();
    }

    /** A policy finding that appeared: "2026-12-01 15:04:05 UTC  UNEXPECTED  tcp 0.0.0.0:3640  sentence". */
    void violation(Instant at, PolicyFinding f) {
        String label = f.kind().toUpperCase(Locale.ROOT).replace('-', ' ');
        out.println(utc(at) + "  " + (f.violation() ? s.red(label) : s.yellow(label)) + "  "
                + safe(AuditText.subject(f)) + "  " + safe(AuditSentences.of(f)));
        out.flush();
    }

    static String place(Listener l) {
        return l.transport().label() + " " + l.local().hostPort()
                + (l.namespace().current() ? "" : " (" + safe(l.namespace().label()) + ")");
    }

    /** The principal owner in a few words, or why it is not known; escaped. */
    static String owner(Listener l) {
        ProcessInfo p = Changes.principal(l);
        if (p != null) {
            int others = l.processes().size() - 1;
            return safe(p.name()) + " (pid " + p.pid() + ", " + safe(p.user()) + ")"
                    + (others > 0 ? " +" + others + " more" : "")
                    + source(p);
        }
        Owner o = l.owners().isEmpty() ? null : l.owners().get(0);
        if (o instanceof Owner.Hidden h) {
            return "owner hidden: " + safe(h.reason());
        } else if (o instanceof Owner.Gone g) {
            return "owner pid " + g.pid() + " exited while being read";
        } else if (o instanceof Owner.None n) {
            return "no owner: " + safe(n.reason());
        }
        return "owner unknown";
    }

    /** " [nginx.service]", " [shell]", or nothing when the source is unknown. */
    private static String source(ProcessInfo p) {
        if (!p.source().name().isEmpty()) {
            return " [" + safe(p.source().name()) + "]";
        }
        return p.source().kind() == Source.Kind.UNKNOWN
                ? ""
                : " [" + p.source().kind().label() + "]";
    }

    /** The JSON object of an event (docs/json.md, kind "watch-event"). */
    static ObjectNode json(WatchEvent e) {
        ObjectNode n = Json.doc("watch-event");
        n.put("event", e.kind().label());
        n.put("at", e.at().toString());
        n.set("listener", Json.listener(e.listener()));
        if (e instanceof WatchEvent.OwnerChanged c) {
            n.set("before", Json.listener(c.before()));
        }
        return n;
    }

    /**
     * The JSON object of a new policy finding: kind "watch-finding", the time, and under
     * "finding" the object {@code audit --json} gives each finding.
     */
    static ObjectNode json(Instant at, PolicyFinding f, PolicyReader.Document doc) {
        ObjectNode n = Json.doc("watch-finding");
        n.put("at", at.toString());
        n.set("finding", AuditText.finding(Json.MAPPER.createObjectNode(), f, doc));
        return n;
    }

    /** One JSON object on one line. */
    static String line(ObjectNode n) {
        try {
            return LINE.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
