package org.portlens.discovery.linux.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portlens.discovery.linux.forward.NatForward.Action.DNAT;
import static org.portlens.discovery.linux.forward.NatForward.Action.REDIRECT;
import static org.portlens.model.Transport.TCP;
import static org.portlens.model.Transport.UDP;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.model.PortRange;

/** {@code nft -j list ruleset} as recorded by record-nat.sh (the README beside the fixtures). */
class NftRulesetTest {

    static String fixture(String name) {
        String path = "/org/portlens/discovery/linux/forward/" + name;
        try (InputStream in = NftRulesetTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NatForward nft(
            org.portlens.model.Transport t,
            String match,
            boolean local,
            String iif,
            PortRange ports,
            NatForward.Action action,
            String target,
            PortRange to,
            String... chains) {
        return new NatForward(t, match, local, iif, ports, action, target, to, List.of(chains), "nft");
    }

    static PortRange p(int port) {
        return PortRange.of(port);
    }

    @Test
    void followsDockersChainToItsDnatRules() {
        NftRuleset.Parsed parsed = NftRuleset.parse(fixture("native-nft.json"));
        assertThat(parsed.hasIptablesTargets()).isFalse();
        assertThat(parsed.rules().forwards())
                .startsWith(
                        nft(TCP, "", true, "!docker0", p(8080), DNAT, "172.17.0.2", p(80), "DOCKER"),
                        nft(UDP, "127.0.0.1", true, "!docker0", p(5353), DNAT, "172.17.0.2", p(53), "DOCKER"),
                        nft(
                                TCP,
                                "",
                                true,
                                "!docker0",
                                new PortRange(9000, 9010),
                                DNAT,
                                "172.17.0.3",
                                new PortRange(9000, 9010),
                                "DOCKER"));
    }

    @Test
    void readsSetsFamiliesRedirectsAndVerdictMapsWrittenInTheRule() {
        List<NatForward> shapes = NftRuleset.parse(fixture("native-nft.json")).rules().forwards().stream()
                .filter(f -> !f.chainPath().equals(List.of("DOCKER")))
                .toList();
        assertThat(shapes)
                .containsExactly(
                        nft(TCP, "", false, "", p(80), DNAT, "192.168.50.10", p(80), "prerouting"),
                        nft(TCP, "", false, "", p(443), DNAT, "192.168.50.10", p(443), "prerouting"),
                        nft(
                                TCP,
                                "",
                                false,
                                "",
                                new PortRange(8000, 8002),
                                DNAT,
                                "192.168.50.10",
                                new PortRange(8000, 8002),
                                "prerouting"),
                        nft(UDP, "", false, "", p(514), DNAT, "192.168.50.11", p(5514), "prerouting"),
                        nft(TCP, "fd00::1", false, "", p(25), DNAT, "fd00::25", p(2525), "prerouting"),
                        nft(TCP, "", false, "", p(3128), REDIRECT, "", p(8080), "prerouting"),
                        nft(UDP, "", false, "", p(5300), REDIRECT, "", p(5300), "prerouting"),
                        // the goto from iifname eth0; the vmap's port 9999 meets web's 8081 nowhere
                        nft(TCP, "", false, "eth0", p(8081), DNAT, "192.168.50.12", p(80), "web"));
    }

    @Test
    void saysAMapInADnatStatementIsUnsupported() {
        assertThat(NftRuleset.parse(fixture("native-nft.json")).rules().notes())
                .containsExactly("unsupported map in a dnat statement (1 rule, first: inet portlens_shapes prerouting"
                        + " handle 10)");
    }

    @Test
    void saysKubeProxysNamedVerdictMapsAreUnsupported() {
        NatRules rules = NftRuleset.parse(fixture("kube-proxy-nft.json")).rules();
        assertThat(rules.forwards()).isEmpty();
        assertThat(rules.notes())
                .containsExactly(
                        "unsupported map (verdict map @service-ips) (1 rule, first: ip kube-proxy services handle 12)",
                        "unsupported map (verdict map @service-nodeports) (1 rule, first: ip kube-proxy services"
                                + " handle 13)");
    }

    @Test
    void saysIptablesNftRulesHideTheirTargets() {
        NftRuleset.Parsed docker = NftRuleset.parse(fixture("docker-iptables-nft.json"));
        assertThat(docker.hasIptablesTargets()).isTrue();
        assertThat(docker.rules().forwards()).isEmpty();
        assertThat(docker.rules().notes())
                .containsExactly("an iptables-nft DNAT rule, whose target nft cannot show: read from iptables-save"
                        + " (3 rules, first: ip nat DOCKER handle 11)");
        NftRuleset.Parsed kube = NftRuleset.parse(fixture("kube-iptables-nft.json"));
        assertThat(kube.hasIptablesTargets()).isTrue();
        assertThat(kube.rules().notes()).singleElement().asString().contains("(3 rules, first: ip nat KUBE-SEP-");
    }

    @Test
    void countsRulesItDoesNotUnderstandAndFollowsTheRest() {
        NatRules rules = NftRuleset.parse(fixture("nft-problems.json")).rules();
        assertThat(rules.forwards())
                .containsExactly(nft(TCP, "", false, "", p(8082), DNAT, "10.0.0.10", p(80), "A", "B"));
        assertThat(rules.notes())
                .containsExactlyInAnyOrder(
                        "a statement nft calls 'frobnicate' that portlens does not know (1 rule, first: ip nat B handle 8)",
                        "unsupported set lookup (@allowed_ports) (1 rule, first: ip nat B handle 9)",
                        "a dnat to ports it does not understand (1 rule, first: ip nat B handle 10)",
                        "a rule without a list of expressions (1 rule, first: ip nat B handle 11)",
                        "a loop of jumps (1 rule, first: PREROUTING → A → B → A)",
                        "a jump to a chain that is not there (1 rule, first: PREROUTING → MISSING)");
    }

    @Test
    void saysWhenTheOutputIsTruncatedOrNotARuleset() {
        NftRuleset.Parsed cut = NftRuleset.parse(fixture("native-nft-truncated.json"));
        assertThat(cut.rules().forwards()).isEmpty();
        assertThat(cut.rules().notes())
                .singleElement()
                .asString()
                .startsWith("nft -j output is not valid JSON (")
                .contains("truncated?");
        assertThat(NftRuleset.parse(fixture("nft-not-a-ruleset.json")).rules().notes())
                .containsExactly("nft -j output has no \"nftables\" array");
        assertThat(NftRuleset.parse("{\"nftables\": []}").rules()).isEqualTo(new NatRules(List.of(), List.of()));
    }

    @Test
    void formatsTheChainPathForPeople() {
        assertThat(nft(
                                TCP,
                                "",
                                true,
                                "",
                                p(30080),
                                DNAT,
                                "10.244.1.5",
                                p(8080),
                                "KUBE-NODEPORTS",
                                "KUBE-SVC-X",
                                "KUBE-SEP-A")
                        .chainDisplay())
                .isEqualTo("KUBE-NODEPORTS → KUBE-SVC-X → KUBE-SEP-A");
    }
}
