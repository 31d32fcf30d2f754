package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.model.BindScope;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;
import org.portlens.policy.Audit;
import org.portlens.policy.Baseline;

/**
 * {@code portlens audit --sarif} against the official SARIF 2.1.0 JSON schema (a test resource, see
 * its README), and against what GitHub code scanning needs besides: a driver with rules, and
 * results each with a ruleId, a level, a message and a physical location with a line.
 */
class SarifTest {

    static final NetNamespace HOST = new NetNamespace(4026531840L, "", true);

    static Listener tcp(String address, int port, BindScope scope, Owner owner) {
        return new Listener(
                Transport.TCP,
                new Endpoint(address, port, false, scope, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                0,
                "root",
                port,
                HOST,
                List.of(owner));
    }

    static ProcessInfo process(int pid, String exe) {
        return new ProcessInfo(
                pid,
                1,
                exe.substring(exe.lastIndexOf('/') + 1),
                exe,
                List.of(exe, "-m", "http.server"),
                0,
                "root",
                Instant.parse("2026-12-01T10:00:00Z"),
                "/",
                List.of(),
                new Source(Source.Kind.SHELL, "bash", "interactive shell bash on pts/0"),
                "pts/0",
                List.of());
    }

    static Audit everyKind(PolicyReader.Document doc) {
        Discovery d = new Discovery(
                List.of(
                        tcp("127.0.0.1", 3640, BindScope.LOOPBACK, new Owner.Known(process(10, "/usr/bin/python3"), 3)),
                        tcp("0.0.0.0", 8000, BindScope.ALL, new Owner.Known(process(11, "/usr/bin/python3"), 3)),
                        tcp("127.0.0.1", 22, BindScope.LOOPBACK, new Owner.Known(process(12, "/usr/bin/nc"), 3)),
                        tcp("127.0.0.1", 5432, BindScope.LOOPBACK, new Owner.Hidden("run as root to see it"))),
                0,
                0,
                new Coverage(false, 3, 1, 0, 1, 0, 0, List.of()));
        return Audit.of(doc.policy(), d);
    }

    static final String POLICY = """
            version: 1
            expect:
              - transport: tcp
                port: 8000
                bind: loopback
                executable: python3
              - transport: tcp
                port: 22
                executable: /usr/sbin/sshd
              - transport: tcp
                port: 5432
                user: postgres
              - transport: tcp
                port: 443
            """;

    static Schema schema() throws IOException {
        try (InputStream in = SarifTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
            assertThat(in).as("the schema resource").isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                    .getSchema(text, InputFormat.JSON);
        }
    }

    @Test
    void everyKindOfFindingIsValidSarif210() throws IOException {
        PolicyReader.Document doc = PolicyReader.parse(POLICY, Path.of("ops/policy.yaml"));
        Audit audit = everyKind(doc);
        assertThat(audit.findings())
                .extracting(f -> f.kind())
                .containsExactlyInAnyOrder("unexpected", "wider-exposure", "other-owner", "owner-unknown", "missing");

        ObjectNode log = Sarif.log(doc, audit);
        List<Error> errors = schema().validate(log);

        assertThat(errors).as("schema errors").isEmpty();
        assertThat(log.get("version").asText()).isEqualTo("2.1.0");
        JsonNode run = log.get("runs").get(0);
        JsonNode rules = run.get("tool").get("driver").get("rules");
        assertThat(run.get("tool").get("driver").get("name").asText()).isEqualTo("portlens");
        assertThat(rules).hasSize(5);
        for (JsonNode r : run.get("results")) {
            String ruleId = r.get("ruleId").asText();
            assertThat(rules.get(r.get("ruleIndex").asInt()).get("id").asText()).isEqualTo(ruleId);
            assertThat(r.get("level").asText()).isIn("error", "warning", "note");
            assertThat(r.get("message").get("text").asText()).isNotBlank();
            JsonNode phys = r.get("locations").get(0).get("physicalLocation");
            assertThat(phys.get("artifactLocation").get("uri").asText()).isEqualTo("ops/policy.yaml");
            assertThat(phys.get("region").get("startLine").asInt()).isPositive();
            assertThat(r.get("partialFingerprints").get("portlensIdentity/v1").asText())
                    .hasSize(32);
        }
        JsonNode missing = find(run, "missing");
        assertThat(missing.get("locations")
                        .get(0)
                        .get("physicalLocation")
                        .get("region")
                        .get("startLine")
                        .asInt())
                .isEqualTo(13);
        JsonNode wider = find(run, "wider-exposure");
        assertThat(wider.get("locations")
                        .get(0)
                        .get("physicalLocation")
                        .get("region")
                        .get("startLine")
                        .asInt())
                .isEqualTo(3);
        assertThat(wider.get("locations")
                        .get(0)
                        .get("logicalLocations")
                        .get(0)
                        .get("name")
                        .asText())
                .isEqualTo("tcp 0.0.0.0:8000");
        assertThat(find(run, "unexpected")
                        .get("locations")
                        .get(0)
                        .get("physicalLocation")
                        .get("region")
                        .get("startLine")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void aCleanAuditIsValidSarifWithNoResults() throws IOException {
        PolicyReader.Document empty = PolicyReader.parse("expect: []\n", Path.of("/etc/portlens policy.yaml"));
        Discovery none = new Discovery(List.of(), 0, 0, new Coverage(true, 1, 0, 0, 0, 0, 0, List.of()));
        ObjectNode log = Sarif.log(empty, Audit.of(Baseline.of(none), none));
        assertThat(schema().validate(log)).isEmpty();
        assertThat(log.get("runs").get(0).get("results")).isEmpty();
        assertThat(Sarif.uri(empty)).isEqualTo("/etc/portlens%20policy.yaml");
    }

    @Test
    void theSchemaCatchesABrokenLog() throws IOException {
        PolicyReader.Document doc = PolicyReader.parse(POLICY, Path.of("policy.yaml"));
        ObjectNode log = Sarif.log(doc, everyKind(doc));
        ((ObjectNode) log.get("runs").get(0).get("results").get(0)).put("level", "fatal");
        assertThat(schema().validate(log)).isNotEmpty();
    }

    private static JsonNode find(JsonNode run, String ruleId) {
        for (JsonNode r : run.get("results")) {
            if (r.get("ruleId").asText().equals(ruleId)) {
                return r;
            }
        }
        throw new AssertionError("no result of rule " + ruleId);
    }
}
