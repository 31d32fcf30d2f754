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
import org.portlens.findings.Finding;
import org.portlens.findings.Sentences;
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
import org.portlens.model.RuleForward;
import org.portlens.model.RuleForwards;
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
                .contains("      forwards  to 172.17.0.2:80 (docker-proxy, pid 811)\n")
                .contains("      served    tcp 0.0.0.0:80  [netns web\\x1b[31m]  by nginx (pid 2203)\n")
                .contains("      a note\n")
                .contains(
                        "      chain     0.0.0.0:8080 → docker-proxy (pid 811) → netns web\\x1b[31m → nginx (pid 2203)"
                                + " on 0.0.0.0:80\n")
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

    /** Nothing holds 8080 here; a rule in a chain with a hostile name forwards it to a container's server. */
    static Explanation ruleExplanation(List<String> notes) {
        Listener server =
                listener("0.0.0.0", 80, new NetNamespace(2, "web", false), process(2203, "nginx", List.of("nginx")));
        RuleForward rule = new RuleForward(
                Transport.TCP,
                8080,
                new NetNamespace(1, "", true),
                "",
                true,
                "!docker0",
                false,
                "172.17.0.2",
                80,
                List.of("DOCKER\u001b[2J"),
                "nft",
                List.of(server),
                List.of());
        SocketTable table = new SocketTable() {
            @Override
            public Discovery read(Query query) {
                return new Discovery(List.of(), 0, 0, new Coverage(true, 2, 0, 0, 0, 0, 0, List.of()));
            }

            @Override
            public RuleForwards ruleForwards(PortRange ports, Optional<Transport> transport) {
                return new RuleForwards(List.of(rule), notes);
            }
        };
        return Explainer.builder().socketTable(table).build().explain(PortRange.of(8080), Optional.of(Transport.TCP));
    }

    @Test
    void aPortForwardedByANatRuleIsSaidInsteadOfNothingListening() {
        Explanation e = ruleExplanation(List.of("netns x: nft not found: apt-get install nftables"));
        assertThat(e.findings().get(0)).isInstanceOf(Finding.ForwardedByRule.class);
        assertThat(e.findings()).noneMatch(f -> f instanceof Finding.NothingListening);
        StringWriter out = new StringWriter();
        new ExplanationText(new Style(false), new PrintWriter(out)).explanation(e);
        String text = out.toString();
        assertThat(text)
                .contains("  Nothing is listening on 8080, but a NAT rule forwards it:\n")
                .contains("  tcp 8080  forwarded by a NAT rule  (nft, chain DOCKER\\x1b[2J, for packets to any local"
                        + " address, not arriving on docker0)\n")
                .contains("      forwards  to 172.17.0.2:80\n")
                .contains("      served    tcp 0.0.0.0:80  [netns web]  by nginx (pid 2203)\n")
                .contains("  NAT rules: netns x: nft not found: apt-get install nftables\n")
                .contains("      chain     tcp 8080 → NAT rule (nft DOCKER\\x1b[2J) → netns web → nginx (pid 2203) on"
                        + " 0.0.0.0:80\n")
                .contains("sudo nft -a list ruleset | grep -w 8080")
                .doesNotContain("\u001b");
        assertThat(Sentences.of(e.findings().get(0)))
                .isEqualTo(
                        "8080/tcp is forwarded by a NAT rule (nft, chain DOCKER\u001b[2J) to 172.17.0.2:80, served by"
                                + " nginx (pid 2203) inside netns web; it matches packets to any local address, not arriving on"
                                + " docker0, so the network can reach the server through it whatever the server's own bind.");
    }

    @Test
    void jsonHasTheRuleForwardItsFindingAndTheNotes() {
        JsonNode e = Json.explanation(ruleExplanation(List.of("a note")));
        JsonNode r = e.get("ruleForwards").get(0);
        assertThat(r.get("target").asText()).isEqualTo("172.17.0.2:80");
        assertThat(r.get("action").asText()).isEqualTo("dnat");
        assertThat(r.get("reach").asText()).isEqualTo("all");
        assertThat(r.get("inInterface").asText()).isEqualTo("!docker0");
        assertThat(r.get("localOnly").asBoolean()).isTrue();
        assertThat(r.get("netns").get("current").asBoolean()).isTrue();
        assertThat(r.get("servers").get(0).get("port").asInt()).isEqualTo(80);
        assertThat(e.get("ruleNotes").get(0).asText()).isEqualTo("a note");
        JsonNode f = e.get("findings").get(0);
        assertThat(f.get("kind").asText()).isEqualTo("forwarded-by-rule");
        assertThat(f.get("exposure").get("fromNetwork").asBoolean()).isTrue();
    }

    @Test
    void aForwarderPublishesItsServerAsWideAsItsOwnSocket() {
        Explanation e = explanation();
        assertThat(e.findings()).anySatisfy(f -> {
            assertThat(f).isInstanceOf(Finding.Published.class);
            assertThat(((Finding.Published) f).exposure().fromNetwork()).isTrue();
            assertThat(Sentences.of(f))
                    .isEqualTo("8080/tcp is published by docker-proxy (pid 811) to 172.17.0.2:80, served by nginx"
                            + " (pid 2203) inside netns web\u001b[31m: the server is reachable from the network (all"
                            + " interfaces) through it, whatever its own bind inside its namespace says.");
        });
        // after the finding about the holder, before the rest
        assertThat(e.findings().get(1)).isInstanceOf(Finding.Published.class);
    }

    @Test
    void onATerminalTheRulesComeWithTheWireAfterTheProbes() {
        // a terminal prints the owners at once and the rest after the probes: the rules, read beside
        // the probes, come in that second part
        Explanation e = ruleExplanation(List.of("a NAT note"));
        StringWriter out = new StringWriter();
        new ExplanationText(new Style(false), new PrintWriter(out)).afterWire(e);
        assertThat(out.toString())
                .contains("What it speaks")
                .contains("  tcp 8080  forwarded by a NAT rule")
                .contains("      forwards  to 172.17.0.2:80\n")
                .contains("  NAT rules: a NAT note\n");
    }
}
