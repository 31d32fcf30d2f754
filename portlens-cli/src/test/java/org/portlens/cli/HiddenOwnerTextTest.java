package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.Explainer;
import org.portlens.Explanation;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.model.BindScope;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.web.json.Json;

/** A socket whose process is hidden is shown with its user's name (the kernel's uid, named), in text and JSON. */
class HiddenOwnerTextTest {

    static final Listener HIDDEN = new Listener(
            Transport.TCP,
            new Endpoint("0.0.0.0", 5432, false, BindScope.ALL, Endpoint.DualStack.NOT_APPLICABLE),
            ListenerState.LISTEN,
            112,
            "postgres",
            4242,
            new NetNamespace(1, "", true),
            List.of(new Owner.Hidden("owned by a process of user postgres (uid 112); run as root to see it")));

    static final Coverage COVERAGE = new Coverage(false, 10, 2, 0, 1, 0, 0, List.of());

    @Test
    void lsShowsTheUserNameNotTheUid() {
        StringWriter out = new StringWriter();
        new ListenerTable(new Style(false), new PrintWriter(out)).table(List.of(HIDDEN), COVERAGE);
        String row = out.toString().lines().skip(1).findFirst().orElseThrow();
        assertThat(row).contains("0.0.0.0:5432").contains(" postgres ").contains("(hidden: run as root)");
        assertThat(row).doesNotContain("112");
    }

    @Test
    void jsonHasTheUserNameAndKeepsTheUid() {
        JsonNode n = Json.listener(HIDDEN);
        assertThat(n.get("uid").asInt()).isEqualTo(112);
        assertThat(n.get("user").asText()).isEqualTo("postgres");
    }

    @Test
    void theExplanationNamesTheSocketsUser() {
        SocketTable table = new SocketTable() {
            @Override
            public Discovery read(Query query) {
                return new Discovery(List.of(HIDDEN), 0, 0, COVERAGE);
            }
        };
        Explanation e =
                Explainer.builder().socketTable(table).build().explain(PortRange.of(5432), Optional.of(Transport.TCP));
        StringWriter out = new StringWriter();
        new ExplanationText(new Style(false), new PrintWriter(out)).explanation(e);
        assertThat(out.toString()).contains("owner  hidden: owned by a process of user postgres (uid 112)");
        assertThat(out.toString()).contains("socket of user postgres (uid 112)");
    }
}
