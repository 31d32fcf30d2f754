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
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;
import org.portlens.web.json.Json;

/** A listener held by a forwarder, in text and JSON: the target and the server found behind it. */
class ForwardTextTest {

    private static ProcessInfo process(int pid, String name, List<String> argv) {
        return new ProcessInfo(
                pid,
                1,
                name,
                "/usr/bin/" + name,
                argv,
                0,
                "root",
                null,
                "/",
                List.of(),
                Source.unknown("test"),
                "",
                List.of());
    }

    private static Listener listener(String address, int port, NetNamespace ns, ProcessInfo p) {
        return new Listener(
                Transport.TCP,
                new Endpoint(address, port, false, BindScope.ALL, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                0,
                "root",
                port,
                ns,
                List.of(new Owner.Known(p, 4)));
    }

    static Explanation explanation() {
        Listener proxy = listener(
                "0.0.0.0",
                8080,
                new NetNamespace(1, "", true),
                process(811, "docker-proxy", List.of("docker-proxy", "-proto", "tcp", "-host-port", "8080")));
        Listener server = listener(
                "0.0.0.0", 80, new NetNamespace(2, "web\u001b[31m", false), process(2203, "nginx", List.of("nginx")));
        SocketTable table = new SocketTable() {
            @Override
            public Discovery read(Query query) {
                return new Discovery(List.of(proxy), 0, 0, new Coverage(true, 2, 0, 0, 0, 0, 0, List.of()));
            }

            @Override
            public Optional<Forward> forward(Listener l) {
                return Optional.of(new Forward(
                        "docker-proxy", 811, Transport.TCP, "172.17.0.2", 80, List.of(server), List.of("a note")));
            }
        };
        return Explainer.builder().socketTable(table).build().explain(PortRange.of(8080), Optional.of(Transport.TCP));
    }

    @Test
    void theForwardIsShownUnderTheOwnersWithTheServerBehindIt() {
        StringWriter out = new StringWriter();
        new ExplanationText(new Style(false), new PrintWriter(out)).explanation(explanation());
        String text = out.toString();
        assertThat(text)
                .contains("      forwards  to 172.17.0.2:80 (docker-proxy, pid 811, as its command line says)\n")
                .contains("      served    tcp 0.0.0.0:80  [netns web\\x1b[31m]  by nginx (pid 2203)\n")
                .contains("      not followed: a note\n")
                .doesNotContain("\u001b");
    }

    @Test
    void jsonHasTheForwardWithItsServers() {
        JsonNode f = Json.explanation(explanation()).get("listeners").get(0).get("forward");
        assertThat(f.get("program").asText()).isEqualTo("docker-proxy");
        assertThat(f.get("targetAddress").asText()).isEqualTo("172.17.0.2");
        assertThat(f.get("targetPort").asInt()).isEqualTo(80);
        assertThat(f.get("servers")
                        .get(0)
                        .get("owners")
                        .get(0)
                        .get("process")
                        .get("pid")
                        .asInt())
                .isEqualTo(2203);
        assertThat(f.get("notes").get(0).asText()).isEqualTo("a note");
    }
}
