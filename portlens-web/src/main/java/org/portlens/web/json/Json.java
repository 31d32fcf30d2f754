package org.portlens.web.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.portlens.Explanation;
import org.portlens.HostScan;
import org.portlens.discovery.Discovery;
import org.portlens.findings.Finding;
import org.portlens.model.Container;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;
import org.portlens.model.RuleForward;
import org.portlens.model.Transport;
import org.portlens.packages.PackageOrigin;
import org.portlens.probe.Answer;
import org.portlens.probe.TlsInfo;
import org.portlens.probe.Wire;
import org.portlens.registry.Contact;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.KnownUse;
import org.portlens.registry.Reference;
import org.portlens.registry.Registry;
import org.portlens.scan.PortState;
import org.portlens.scan.ScanReport;
import org.portlens.store.OpenPeriod;

/**
 * The JSON output, built field by field so the schema (docs/json.md) stays stable whatever the
 * Java records look like. Every document has {@code "schema": "portlens/2"} and a {@code "kind"}.
 */
public final class Json {

    public static final String SCHEMA = "portlens/2";
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One line per document: server-sent events, JSON lines. */
    public static final ObjectWriter COMPACT = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    public static void print(PrintWriter out, ObjectNode node) {
        try {
            out.println(MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode doc(String kind) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("schema", SCHEMA);
        n.put("kind", kind);
        return n;
    }

    public static ObjectNode explanation(Explanation e) {
        return explanation(e, Map.of());
    }

    /** With {@code openSince} per listener from {@code portlens watch}'s history (by socket inode). */
    public static ObjectNode explanation(Explanation e, Map<Long, OpenPeriod> history) {
        ObjectNode n = doc("explanation");
        n.put("ports", e.ports().toString());
        n.put("low", e.ports().low());
        n.put("high", e.ports().high());
        n.put("transport", e.transport().map(Transport::label).orElse(null));
        ObjectNode reg = n.putObject("registry");
        reg.put("status", e.status().label());
        reg.put("statusText", e.status().description());
        ArrayNode recs = reg.putArray("records");
        for (IanaRecord r : e.records()) {
            recs.add(record(r));
        }
        ObjectNode range = n.putObject("range");
        range.put("class", e.rangeClass().label());
        range.put("title", e.rangeClass().title());
        range.put("low", e.rangeClass().low());
        range.put("high", e.rangeClass().high());
        range.put("meaning", e.rangeClass().meaning());
        if (e.ephemeral().isEmpty()) {
            n.putNull("ephemeral");
        } else {
            ObjectNode eph = n.putObject("ephemeral");
            eph.put("low", e.ephemeral().get().range().low());
            eph.put("high", e.ephemeral().get().range().high());
            eph.put("source", e.ephemeral().get().source());
            eph.put("contains", e.inEphemeralRange());
        }
        n.set("knownUses", knownUses(e.knownUses()));
        if (e.discovery().isEmpty()) {
            n.putNull("listeners");
            n.put("discoveryNote", e.discoveryNote());
        } else {
            Discovery d = e.discovery().get();
            ArrayNode ls = MAPPER.createArrayNode();
            for (Explanation.ExplainedListener x : e.listeners()) {
                ObjectNode ln = listener(x.listener(), x.packages(), true);
                ln.set("wire", x.wire().map(Json::wire).orElse(null));
                ln.put("probedAt", x.probedAt());
                ln.put(
                        "probedInside",
                        x.wire().isPresent() && !x.listener().namespace().current());
                ln.put("notProbed", x.notProbed());
                ln.set("forward", x.forward().map(Json::forward).orElse(null));
                OpenPeriod open = history.get(x.listener().inode());
                if (open == null) {
                    ln.putNull("openSince");
                } else {
                    ln.put("openSince", open.since().toString());
                    ln.put("openSinceAtLeast", open.atLeast());
                }
                ls.add(ln);
            }
            n.set("listeners", ls);
            n.put("establishedConnections", d.established());
            n.put("connectedUdpSockets", d.connectedUdp());
            n.set("coverage", coverage(d.coverage()));
        }
        ArrayNode rules = n.putArray("ruleForwards");
        for (Explanation.ExplainedRule r : e.ruleForwards()) {
            ObjectNode rn = ruleForward(r.rule());
            rn.set("wire", r.wire().map(Json::wire).orElse(null));
            rn.put("probedAt", r.probedAt());
            rn.put("notProbed", r.notProbed());
            rules.add(rn);
        }
        ArrayNode ruleNotes = n.putArray("ruleNotes");
        e.ruleNotes().forEach(ruleNotes::add);
        ArrayNode findings = n.putArray("findings");
        for (Finding f : e.findings()) {
            findings.add(JsonFindings.finding(f));
        }
        ArrayNode checks = n.putArray("checks");
        for (Explanation.ManualCheck c : e.checks()) {
            ObjectNode cn = checks.addObject();
            cn.put("os", c.os());
            cn.put("command", c.command());
            cn.put("purpose", c.purpose());
        }
        return n;
    }

    public static ObjectNode probe(String target, Transport transport, Wire r) {
        ObjectNode n = doc("probe");
        n.put("target", target);
        n.put("transport", transport.label());
        n.set("wire", wire(r));
        return n;
    }

    public static ObjectNode wire(Wire r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("outcome", r.outcome().label());
        n.put("protocol", r.protocol());
        n.put("product", r.product());
        n.put("version", r.version());
        ObjectNode details = n.putObject("details");
        r.details().forEach(details::put);
        if (r.tls() == null) {
            n.putNull("tls");
        } else {
            TlsInfo t = r.tls();
            ObjectNode tn = n.putObject("tls");
            tn.put("version", t.version());
            tn.put("cipher", t.cipher());
            tn.put("alpn", t.alpn());
            tn.put("subject", t.subject());
            tn.put("issuer", t.issuer());
            ArrayNode sans = tn.putArray("sans");
            t.sans().forEach(sans::add);
            tn.put("notBefore", t.notBefore() == null ? null : t.notBefore().toString());
            tn.put("notAfter", t.notAfter() == null ? null : t.notAfter().toString());
            tn.put("expired", t.expired());
            tn.put("selfSigned", t.selfSigned());
        }
        n.put("confident", r.confident());
        n.put("bytesReceived", r.bytesReceived());
        n.put("firstBytes", r.firstBytes());
        ArrayNode tried = n.putArray("tried");
        r.tried().forEach(tried::add);
        n.put("elapsedMillis", r.elapsedMillis());
        n.put("error", r.error());
        n.put(
                "connectFailure",
                r.connectFailure().map(Wire.ConnectFailure::label).orElse(null));
        if (r.answer().isPresent()) {
            Answer a = r.answer().get();
            ObjectNode an = n.putObject("answer");
            an.put("length", a.length());
            an.put("shape", a.shape().label());
            an.put("framing", a.framing());
            an.put("text", a.text());
            an.put("hex", a.hex());
            an.put("nmap", a.nmap());
        } else {
            n.putNull("answer");
        }
        return n;
    }

    public static ObjectNode scan(HostScan result) {
        ScanReport report = result.report();
        ObjectNode n = doc("scan");
        n.put("host", report.host());
        n.put("transport", report.transport().label());
        n.put("portsScanned", report.portsScanned());
        n.put("elapsedMillis", report.elapsedMillis());
        n.put("selfConnects", report.selfConnects());
        n.put("engine", report.engine().label());
        if (!report.engineNote().isEmpty()) {
            n.put("engineNote", report.engineNote());
        }
        ObjectNode counts = n.putObject("counts");
        for (Map.Entry<PortState, Integer> e : report.counts().entrySet()) {
            counts.put(e.getKey().label(), e.getValue());
        }
        ArrayNode arr = n.putArray("ports");
        for (HostScan.Row r : result.rows()) {
            ObjectNode pn = arr.addObject();
            pn.put("port", r.port());
            pn.put("state", r.state().label());
            pn.put("iana", r.ianaName());
            pn.set("wire", r.wire().map(Json::wire).orElse(null));
        }
        return n;
    }

    public static ObjectNode listing(List<Listener> rows, Discovery d) {
        return listing(rows, d, Map.of());
    }

    /** With each listener's {@code forward} (null when no forwarder holds it). */
    public static ObjectNode listing(List<Listener> rows, Discovery d, Map<Listener, Forward> forwards) {
        ObjectNode n = doc("listeners");
        ArrayNode arr = MAPPER.createArrayNode();
        for (Listener l : rows) {
            ObjectNode ln = listener(l);
            Forward f = forwards.get(l);
            ln.set("forward", f == null ? null : forward(f));
            arr.add(ln);
        }
        n.set("listeners", arr);
        n.set("coverage", coverage(d.coverage()));
        return n;
    }

    public static ObjectNode lookup(String query, List<IanaRecord> records, List<KnownUse> uses) {
        ObjectNode n = doc("lookup");
        n.put("query", query);
        ArrayNode recs = n.putArray("records");
        for (IanaRecord r : records) {
            recs.add(record(r));
        }
        n.set("knownUses", knownUses(uses));
        return n;
    }

    public static ObjectNode search(String query, List<Registry.Hit> hits) {
        ObjectNode n = doc("search");
        n.put("query", query);
        ArrayNode arr = n.putArray("results");
        for (Registry.Hit h : hits) {
            ObjectNode r = record(h.record());
            r.put("score", h.score());
            arr.add(r);
        }
        return n;
    }

    public static ObjectNode registryInfo(Registry.Info info, String origin) {
        ObjectNode n = doc("registry");
        n.put("updated", info.updated());
        n.put("inUse", origin);
        n.put("source", info.source());
        n.put("sha256", info.sha256());
        n.put("importedAt", info.importedAt());
        n.put("records", info.records());
        n.put("serviceNames", info.serviceNames());
        n.put("people", info.people());
        ObjectNode by = n.putObject("byTransport");
        for (Map.Entry<Transport, Integer> e : info.byTransport().entrySet()) {
            by.put(e.getKey().label(), e.getValue());
        }
        return n;
    }

    public static ObjectNode record(IanaRecord r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("serviceName", r.serviceName());
        n.put("transport", r.transport() == null ? null : r.transport().label());
        if (r.ports() == null) {
            n.putNull("port");
            n.putNull("portHigh");
        } else {
            n.put("port", r.ports().low());
            n.put("portHigh", r.ports().high());
        }
        n.put("description", r.description());
        n.set("assignees", contacts(r.assignees()));
        n.set("contacts", contacts(r.contacts()));
        n.put("registered", r.registered());
        n.put("modified", r.modified());
        ArrayNode refs = n.putArray("references");
        for (Reference ref : r.references()) {
            ObjectNode rn = refs.addObject();
            rn.put("type", ref.type());
            rn.put("data", ref.data());
            rn.put("url", ref.url());
        }
        n.put("serviceCode", r.serviceCode());
        n.put("notes", r.notes());
        n.put("unauthorizedUse", r.unauthorizedUse());
        return n;
    }

    private static ArrayNode contacts(List<Contact> list) {
        ArrayNode arr = MAPPER.createArrayNode();
        for (Contact c : list) {
            ObjectNode n = arr.addObject();
            n.put("id", c.id());
            n.put("name", c.name());
            n.put("org", c.org());
            n.put("uri", c.uri());
        }
        return arr;
    }

    private static ArrayNode knownUses(List<KnownUse> uses) {
        ArrayNode arr = MAPPER.createArrayNode();
        for (KnownUse u : uses) {
            ObjectNode n = arr.addObject();
            n.put("port", u.ports().low());
            n.put("portHigh", u.ports().high());
            ArrayNode t = n.putArray("transports");
            u.transports().forEach(x -> t.add(x.label()));
            n.put("software", u.software());
            n.put("use", u.use());
            n.put("source", u.source());
            n.put("identity", u.identity().toString());
        }
        return arr;
    }

    public static ArrayNode listeners(List<Listener> listeners) {
        ArrayNode arr = MAPPER.createArrayNode();
        for (Listener l : listeners) {
            arr.add(listener(l));
        }
        return arr;
    }

    /** A forward: the forwarder, its target, the listeners serving it, what could not be followed. */
    private static ObjectNode forward(Forward f) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("program", f.program());
        n.put("pid", f.pid());
        n.put("transport", f.transport().label());
        n.put("targetAddress", f.targetAddress());
        n.put("targetPort", f.targetPort());
        ArrayNode servers = n.putArray("servers");
        for (Listener l : f.servers()) {
            servers.add(listener(l, Map.of(), true));
        }
        ArrayNode notes = n.putArray("notes");
        f.notes().forEach(notes::add);
        return n;
    }

    /** A port forwarded by a NAT rule: what the rule matches, where it leads, the listeners serving it. */
    static ObjectNode ruleForward(RuleForward f) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("transport", f.transport().label());
        n.put("port", f.port());
        ObjectNode ns = n.putObject("netns");
        ns.put("inode", f.namespace().inode());
        ns.put("name", f.namespace().name());
        ns.put("current", f.namespace().current());
        n.put("tool", f.tool());
        ArrayNode chain = n.putArray("chain");
        f.chain().forEach(chain::add);
        n.put("matchAddress", f.matchAddress());
        n.put("localOnly", f.localOnly());
        n.put("inInterface", f.inInterface());
        n.put("matches", f.matches());
        n.put("action", f.redirect() ? "redirect" : "dnat");
        n.put("targetAddress", f.targetAddress());
        n.put("targetPort", f.targetPort());
        n.put("target", f.target());
        n.put("reach", f.reach().label());
        ArrayNode servers = n.putArray("servers");
        for (Listener l : f.servers()) {
            servers.add(listener(l, Map.of(), true));
        }
        ArrayNode notes = n.putArray("notes");
        f.notes().forEach(notes::add);
        return n;
    }

    public static ObjectNode listener(Listener l) {
        return listener(l, Map.of(), false);
    }

    /** A listener; in an explanation, each known owner with its {@code package} (null when not looked up). */
    private static ObjectNode listener(Listener l, Map<Integer, PackageOrigin> packages, boolean withPackages) {
        {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("transport", l.transport().label());
            n.put("address", l.local().address());
            n.put("port", l.local().port());
            n.put("ipv6Socket", l.local().ipv6());
            n.put("scope", l.local().scope().label());
            n.put(
                    "acceptsIpv4",
                    l.local().dualStack() == Endpoint.DualStack.LIKELY
                            ? "likely"
                            : l.local().dualStack() == Endpoint.DualStack.NO ? "no" : null);
            n.put("state", l.state().label());
            n.put("uid", l.uid());
            n.put("user", l.user());
            n.put("inode", l.inode());
            ObjectNode ns = n.putObject("netns");
            ns.put("inode", l.namespace().inode());
            ns.put("name", l.namespace().name());
            ns.put("current", l.namespace().current());
            ArrayNode owners = n.putArray("owners");
            for (Owner o : l.owners()) {
                ObjectNode on = owner(o);
                if (withPackages && o instanceof Owner.Known k) {
                    PackageOrigin p = packages.get(k.process().pid());
                    on.set("package", p == null ? null : packageOrigin(p));
                }
                owners.add(on);
            }
            return n;
        }
    }

    private static ObjectNode owner(Owner o) {
        ObjectNode n = MAPPER.createObjectNode();
        if (o instanceof Owner.Known) {
            Owner.Known k = (Owner.Known) o;
            n.put("status", "known");
            n.put("fd", k.fd());
            n.set("process", process(k.process()));
        } else if (o instanceof Owner.Hidden) {
            n.put("status", "hidden");
            n.put("reason", ((Owner.Hidden) o).reason());
        } else if (o instanceof Owner.Gone) {
            n.put("status", "gone");
            n.put("pid", ((Owner.Gone) o).pid());
        } else {
            n.put("status", "none");
            n.put("reason", ((Owner.None) o).reason());
        }
        return n;
    }

    /** Where an owner's executable came from (docs/json.md, "package"). */
    static ObjectNode packageOrigin(PackageOrigin p) {
        ObjectNode n = MAPPER.createObjectNode();
        String status;
        String path = "";
        String reason = "";
        boolean otherRoot = false;
        if (p instanceof PackageOrigin.Installed i) {
            status = "installed";
            otherRoot = i.otherRoot();
        } else if (p instanceof PackageOrigin.NotPackaged np) {
            status = "not-packaged";
            path = np.path();
            reason = np.note();
            otherRoot = np.otherRoot();
        } else if (p instanceof PackageOrigin.Deleted d) {
            status = "deleted";
            path = d.path();
        } else if (p instanceof PackageOrigin.OtherRoot o) {
            status = "other-root";
            path = o.path();
            reason = o.reason();
            otherRoot = true;
        } else if (p instanceof PackageOrigin.Hidden h) {
            status = "hidden";
            reason = h.reason();
        } else {
            status = "unknown";
            reason = ((PackageOrigin.Unknown) p).reason();
        }
        n.put("status", status);
        PackageOrigin.Installed i = p instanceof PackageOrigin.Installed x ? x : null;
        n.put("manager", i == null ? null : i.manager().label());
        n.put("name", i == null ? "" : i.name());
        n.put("version", i == null ? "" : i.version());
        n.put("architecture", i == null ? "" : i.architecture());
        n.put("otherRoot", otherRoot);
        n.put("path", path);
        n.put("reason", reason);
        n.put("text", p.summary());
        return n;
    }

    private static ObjectNode process(ProcessInfo p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("pid", p.pid());
        n.put("ppid", p.ppid());
        n.put("name", p.name());
        n.put("executable", p.executable());
        ArrayNode args = n.putArray("commandLine");
        p.commandLine().forEach(args::add);
        n.put("uid", p.uid());
        n.put("user", p.user());
        n.put("startTime", p.startTime() == null ? null : p.startTime().toString());
        n.put("workingDirectory", p.workingDirectory());
        n.put("tty", p.tty());
        ObjectNode src = n.putObject("source");
        src.put("kind", p.source().kind().label());
        src.put("name", p.source().name());
        src.put("detail", p.source().detail());
        ArrayNode anc = n.putArray("ancestry");
        for (ProcessRef a : p.ancestry()) {
            ObjectNode an = anc.addObject();
            an.put("pid", a.pid());
            an.put("name", a.name());
            an.put("command", a.command());
        }
        ArrayNode unread = n.putArray("unreadable");
        p.unreadable().forEach(unread::add);
        Container c = p.container();
        if (c == null) {
            n.putNull("container");
        } else {
            ObjectNode cn = n.putObject("container");
            cn.put("runtime", c.runtimeLabel());
            cn.put("id", c.id());
            cn.put("name", c.name());
            cn.put("shown", p.containerName());
            cn.put("image", c.image());
            cn.put("imageId", c.imageId());
            Container.Kubernetes k = c.kubernetes();
            if (k == null) {
                cn.putNull("kubernetes");
            } else {
                ObjectNode kn = cn.putObject("kubernetes");
                kn.put("namespace", k.namespace());
                kn.put("pod", k.pod());
                kn.put("container", k.container());
                kn.put("podUid", k.podUid());
            }
            ArrayNode addresses = cn.putArray("addresses");
            c.addresses().forEach(addresses::add);
            ArrayNode published = cn.putArray("published");
            for (Container.PublishedPort pp : c.published()) {
                ObjectNode pn = published.addObject();
                pn.put("transport", pp.transport().label());
                pn.put("hostAddress", pp.hostAddress());
                pn.put("hostPort", pp.hostPort());
                pn.put("containerPort", pp.containerPort());
            }
            ArrayNode notes = cn.putArray("notes");
            c.notes().forEach(notes::add);
        }
        return n;
    }

    public static ObjectNode coverage(Coverage c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("privileged", c.privileged());
        n.put("processesScanned", c.processesRead());
        n.put("processesSkipped", c.processesSkipped());
        n.put("processesUnreadable", c.processesUnreadable());
        n.put("processesVanished", c.processesVanished());
        n.put("ownersHidden", c.ownersHidden());
        n.put("ownersGone", c.ownersGone());
        n.put("malformedLines", c.malformedLines());
        n.put("partial", c.partial());
        ArrayNode notes = n.putArray("notes");
        c.notes().forEach(notes::add);
        return n;
    }
}
