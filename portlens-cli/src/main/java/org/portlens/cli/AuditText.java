package org.portlens.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.portlens.Explanation;
import org.portlens.model.Listener;
import org.portlens.model.ProcessInfo;
import org.portlens.policy.Audit;
import org.portlens.policy.AuditSentences;
import org.portlens.policy.Expect;
import org.portlens.policy.PolicyFinding;
import org.portlens.web.json.Json;

/** The text and JSON of {@code portlens audit}: each finding with its sentence and the owner's facts. */
final class AuditText extends TextView {

    AuditText(Style style, PrintWriter out) {
        super(style, out);
    }

    void audit(PolicyReader.Document doc, Audit audit, Map<Listener, Explanation.ExplainedListener> wires) {
        WireText wireText = new WireText(s, out);
        heading("Audit against " + safe(doc.file().toString()));
        out.println("  " + audit.checked() + " listener(s) checked, " + audit.ignored() + " ignored; "
                + doc.policy().expect().size() + " expected, "
                + doc.policy().ignore().size() + " ignore rule(s)");
        for (PolicyFinding f : audit.findings()) {
            out.println();
            String label = f.kind().toUpperCase(Locale.ROOT).replace('-', ' ');
            out.println((f.violation() ? s.red(label) : s.yellow(label)) + "  " + safe(subject(f)));
            wrapped("  ", safe(AuditSentences.of(f)));
            Listener l = listener(f);
            if (l != null) {
                for (ProcessInfo p : l.processes().stream().limit(1).toList()) {
                    out.println("  command   " + safe(p.command()));
                    if (p.executable() != null) {
                        out.println("  exe       " + safe(p.executable()));
                    }
                    if (p.startTime() != null) {
                        out.println("  started   " + utc(p.startTime()) + " (" + age(p.startTime()) + " ago)");
                    }
                    out.println("  source    " + safe(p.source().detail()) + " ["
                            + p.source().kind().label() + "]");
                }
                Explanation.ExplainedListener x = wires.get(l);
                if (x != null && x.wire().isPresent()) {
                    wireText.lines("  wire      ", x.wire().get());
                } else if (x != null && !x.notProbed().isEmpty()) {
                    out.println("  wire      " + s.dim("not probed: " + safe(x.notProbed())));
                }
            }
            Expect e = expect(f);
            if (e != null) {
                out.println("  policy    " + safe(doc.file().toString()) + ":" + doc.lineOf(e));
            }
        }
        out.println();
        if (audit.findings().isEmpty()) {
            out.println(s.green("The host meets the policy."));
        } else {
            Map<String, Long> counts = audit.findings().stream()
                    .collect(Collectors.groupingBy(PolicyFinding::kind, LinkedHashMap::new, Collectors.counting()));
            out.println(audit.violations().size() + " finding(s)"
                    + (audit.partial() ? " and parts not checked" : "") + ": "
                    + counts.entrySet().stream()
                            .map(c -> c.getValue() + " " + c.getKey())
                            .collect(Collectors.joining(", ")));
        }
    }

    static String subject(PolicyFinding f) {
        Listener l = listener(f);
        if (l != null) {
            return l.transport().label() + " " + l.local().hostPort()
                    + (l.namespace().current() ? "" : " (" + l.namespace().label() + ")");
        }
        return ((PolicyFinding.Missing) f).expect().place();
    }

    static Listener listener(PolicyFinding f) {
        return f.subject().orElse(null);
    }

    static Expect expect(PolicyFinding f) {
        return f.expected().orElse(null);
    }

    static ObjectNode json(PolicyReader.Document doc, Audit audit, Map<Listener, Explanation.ExplainedListener> wires) {
        ObjectNode n = Json.doc("audit");
        n.put("policy", doc.file().toString());
        n.put("clean", audit.clean());
        n.put("partial", audit.partial());
        n.put("checked", audit.checked());
        n.put("ignored", audit.ignored());
        ArrayNode arr = n.putArray("findings");
        for (PolicyFinding f : audit.findings()) {
            ObjectNode o = finding(Json.MAPPER.createObjectNode(), f, doc);
            Explanation.ExplainedListener x = f.subject().map(wires::get).orElse(null);
            o.set("wire", x == null ? null : x.wire().map(Json::wire).orElse(null));
            arr.add(o);
        }
        n.set("coverage", Json.coverage(audit.coverage()));
        return n;
    }

    /** The fields of one finding, added to {@code o}. */
    static ObjectNode finding(ObjectNode o, PolicyFinding f, PolicyReader.Document doc) {
        o.put("kind", f.kind());
        o.put("violation", f.violation());
        o.put("sentence", AuditSentences.of(f));
        Listener l = listener(f);
        if (l == null) {
            o.putNull("listener");
        } else {
            o.set("listener", Json.listener(l));
        }
        Expect e = expect(f);
        if (e == null) {
            o.putNull("expect");
        } else {
            o.set("expect", expect(e, doc.lineOf(e)));
        }
        return o;
    }

    static ObjectNode expect(Expect e, int line) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("line", line);
        o.put("transport", e.transport().label());
        o.put("port", e.ports().toString());
        o.put("bind", e.bind().map(b -> b.label()).orElse(null));
        o.put("netns", e.netns().value());
        o.put("executable", e.identity().executable().orElse(null));
        o.put("unit", e.identity().unit().orElse(null));
        o.put("user", e.identity().user().orElse(null));
        o.put("image", e.identity().image().orElse(null));
        o.put("required", e.required());
        return o;
    }

    static List<String> kinds() {
        return List.of("unexpected", "missing", "wider-exposure", "other-owner", "owner-unknown");
    }
}
