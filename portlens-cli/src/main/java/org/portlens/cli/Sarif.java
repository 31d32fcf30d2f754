package org.portlens.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.portlens.model.Listener;
import org.portlens.policy.Audit;
import org.portlens.policy.AuditSentences;
import org.portlens.policy.Expect;
import org.portlens.policy.PolicyFinding;
import org.portlens.watch.Changes;
import org.portlens.web.json.Json;

/**
 * {@code portlens audit --sarif}: SARIF 2.1.0 as GitHub code scanning takes it. One run; the tool's
 * driver lists a rule per kind of finding; every result has a rule, a level, a message, and a
 * location in the policy file (the expect entry's line, or the {@code expect:} line for a listener
 * no entry covers) with the listener as a logical location, and a fingerprint from the listener's
 * identity (never a pid), so that the same finding on the next run is the same alert.
 */
final class Sarif {

    static final String SCHEMA =
            "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";

    private record Rule(String id, String name, String level, String short_, String full) {}

    static final List<Rule> RULES = List.of(
            new Rule(
                    "unexpected",
                    "UnexpectedListener",
                    "error",
                    "A listener the policy does not expect",
                    "Something listens that no expect entry of the policy covers (and no ignore rule passes over)."),
            new Rule(
                    "missing",
                    "MissingListener",
                    "warning",
                    "An expected listener is not there",
                    "A required expect entry of the policy has no listener."),
            new Rule(
                    "wider-exposure",
                    "WiderExposure",
                    "error",
                    "Bound wider than the policy allows",
                    "The expected listener is there, but bound more widely than its entry allows (for example to all"
                            + " interfaces where loopback is expected)."),
            new Rule(
                    "other-owner",
                    "OtherOwner",
                    "error",
                    "Held by another owner than expected",
                    "A listener at an expected place is held by a process whose executable, unit or user is not the"
                            + " one the entry names."),
            new Rule(
                    "owner-unknown",
                    "OwnerUnknown",
                    "note",
                    "Owner could not be checked",
                    "The owner of a listener at an expected place could not be read (another user's process: run"
                            + " as root), so the audit is partial there."));

    private Sarif() {}

    static ObjectNode log(PolicyReader.Document doc, Audit audit) {
        ObjectNode log = Json.MAPPER.createObjectNode();
        log.put("$schema", SCHEMA);
        log.put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "portlens");
        driver.put("semanticVersion", Version.number());
        ArrayNode rules = driver.putArray("rules");
        for (Rule r : RULES) {
            ObjectNode o = rules.addObject();
            o.put("id", r.id());
            o.put("name", r.name());
            o.putObject("shortDescription").put("text", r.short_());
            o.putObject("fullDescription").put("text", r.full());
            o.putObject("help").put("text", r.full() + " See docs/policy.md.");
            o.putObject("defaultConfiguration").put("level", r.level());
        }
        String uri = uri(doc);
        ArrayNode results = run.putArray("results");
        for (PolicyFinding f : audit.findings()) {
            int index = indexOf(f.kind());
            ObjectNode res = results.addObject();
            res.put("ruleId", f.kind());
            res.put("ruleIndex", index);
            res.put("level", RULES.get(index).level());
            res.putObject("message").put("text", AuditSentences.of(f));
            ObjectNode loc = res.putArray("locations").addObject();
            ObjectNode phys = loc.putObject("physicalLocation");
            phys.putObject("artifactLocation").put("uri", uri);
            Expect e = AuditText.expect(f);
            phys.putObject("region").put("startLine", Math.max(1, e == null ? doc.expectLine() : doc.lineOf(e)));
            String subject = AuditText.subject(f);
            ObjectNode logical = loc.putArray("logicalLocations").addObject();
            logical.put("name", subject);
            logical.put("fullyQualifiedName", "portlens:" + subject);
            logical.put("kind", "resource");
            res.putObject("partialFingerprints").put("portlensIdentity/v1", fingerprint(f));
        }
        run.putArray("invocations").addObject().put("executionSuccessful", true);
        return log;
    }

    private static int indexOf(String kind) {
        for (int i = 0; i < RULES.size(); i++) {
            if (RULES.get(i).id().equals(kind)) {
                return i;
            }
        }
        throw new IllegalStateException("no SARIF rule for finding kind " + kind);
    }

    /** The policy file as a URI reference: relative as given (for a file in the repository), else absolute. */
    static String uri(PolicyReader.Document doc) {
        String path = doc.file().toString().replace('\\', '/');
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot make a URI of " + path, e);
        }
    }

    /** A hash of the finding's kind and the listener's identity (or the entry's), never of a pid. */
    static String fingerprint(PolicyFinding f) {
        Listener l = AuditText.listener(f);
        Expect e = AuditText.expect(f);
        StringBuilder key = new StringBuilder(f.kind());
        if (l != null) {
            key.append('|')
                    .append(l.transport().label())
                    .append('|')
                    .append(l.local().hostPort())
                    .append('|')
                    // a named namespace by its name (it survives being made again); an unnamed one
                    // other than portlens's own has only its inode to tell it from the others
                    .append(
                            l.namespace().current()
                                    ? "host"
                                    : l.namespace().name().isEmpty()
                                            ? "inode " + l.namespace().inode()
                                            : l.namespace().name());
            Optional.ofNullable(Changes.principal(l))
                    .ifPresent(p -> key.append('|')
                            .append(p.executable())
                            .append('|')
                            .append(p.source().name())
                            .append('|')
                            .append(p.user()));
        }
        if (e != null) {
            key.append('|').append(e);
        }
        try {
            byte[] h =
                    MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
    }
}
