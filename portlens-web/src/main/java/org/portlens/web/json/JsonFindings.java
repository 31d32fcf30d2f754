package org.portlens.web.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.portlens.findings.Exposure;
import org.portlens.findings.Finding;
import org.portlens.findings.Holder;
import org.portlens.findings.Sentences;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Transport;

/** A finding in JSON: its kind, its sentence, and its facts as fields (docs/json.md, "findings"). */
public final class JsonFindings {

    private JsonFindings() {}

    public static ObjectNode finding(Finding f) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kind", f.kind());
        n.put("text", Sentences.of(f));
        if (f instanceof Finding.NotChecked c) {
            n.put("reason", c.reason());
        } else if (f instanceof Finding.NoRecordForTransport t) {
            n.put("ports", t.ports().toString());
            n.put("transport", t.transport().label());
            strings(
                    n,
                    "assignedFor",
                    t.assignedFor().stream().map(Transport::label).toList());
        } else if (f instanceof Finding.NothingListening x) {
            n.put("ports", x.ports().toString());
        } else if (f instanceof Finding.RegisteredUnused r) {
            strings(n, "labels", r.labels());
        } else if (f instanceof Finding.EstablishedOnly e) {
            n.put("connections", e.connections());
        } else if (f instanceof Finding.RegisteredService r) {
            n.set("holder", holder(r.holder()));
            n.put("serviceName", r.serviceName());
        } else if (f instanceof Finding.KnownUseMatch k) {
            n.set("holder", holder(k.holder()));
            strings(n, "labels", k.labels());
            n.put("software", k.software());
            n.put("matchedBy", k.matchedBy());
        } else if (f instanceof Finding.NoRegisteredName u) {
            n.set("holder", holder(u.holder()));
            strings(n, "knownUses", u.knownUses());
        } else if (f instanceof Finding.LabelMismatch m) {
            n.set("holder", holder(m.holder()));
            strings(n, "labels", m.labels());
            strings(n, "knownUses", m.knownUses());
        } else if (f instanceof Finding.HiddenOwner h) {
            n.put("transport", h.transport().label());
            n.put("port", h.port());
            n.set("exposure", exposure(h.exposure()));
            n.put("reason", h.reason());
        } else if (f instanceof Finding.WireSeen w) {
            n.put("transport", w.transport().label());
            n.put("port", w.port());
            n.put("verdict", w.verdict().label());
            n.put("outcome", w.wire().outcome().label());
            n.put("protocol", w.wire().protocol());
            n.put("product", w.wire().product());
            n.put("version", w.wire().version());
            strings(n, "ianaNames", w.names());
        } else if (f instanceof Finding.ForwardedByRule r) {
            n.put("transport", r.forward().transport().label());
            n.put("port", r.forward().port());
            n.set("forward", Json.ruleForward(r.forward()));
            n.set("exposure", exposure(r.exposure()));
        } else if (f instanceof Finding.Published p) {
            n.put("transport", p.transport().label());
            n.put("port", p.port());
            n.put("program", p.forward().program());
            n.put("pid", p.forward().pid());
            n.put("target", p.forward().target());
            n.set("exposure", exposure(p.exposure()));
        } else if (f instanceof Finding.InEphemeralRange r) {
            n.put("low", r.range().range().low());
            n.put("high", r.range().range().high());
            n.put("source", r.range().source());
        } else if (f instanceof Finding.PartialAnswer p) {
            n.put("ownersHidden", p.ownersHidden());
            n.put("ownersGone", p.ownersGone());
            n.put("privileged", p.privileged());
        }
        return n;
    }

    private static void strings(ObjectNode n, String field, List<String> values) {
        ArrayNode arr = n.putArray(field);
        values.forEach(arr::add);
    }

    private static ObjectNode holder(Holder h) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        ProcessInfo p = h.process();
        n.put("transport", h.transport().label());
        n.put("port", h.port());
        n.put("pid", p.pid());
        n.put("name", p.name());
        n.put("description", Sentences.describe(p));
        n.put("user", p.user());
        n.put("uid", p.uid());
        n.put("source", p.source().kind().label());
        n.put("otherProcesses", h.others());
        if (h.installed().isEmpty()) {
            n.putNull("package");
        } else {
            n.put("package", h.installed());
        }
        n.set("exposure", exposure(h.exposure()));
        return n;
    }

    private static ObjectNode exposure(Exposure e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("scope", e.scope().label());
        n.put("address", e.address());
        n.put("fromNetwork", e.fromNetwork());
        n.put("netns", e.namespace().label());
        n.put("text", Sentences.exposure(e));
        return n;
    }
}
