package org.portlens.discovery.linux.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portlens.discovery.linux.forward.NatForward.Action.DNAT;
import static org.portlens.discovery.linux.forward.NatForward.Action.REDIRECT;
import static org.portlens.discovery.linux.forward.NftRulesetTest.fixture;
import static org.portlens.discovery.linux.forward.NftRulesetTest.p;
import static org.portlens.model.Transport.TCP;
import static org.portlens.model.Transport.UDP;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/** {@code iptables-save -t nat} as recorded by record-nat.sh, and a hand-written malformed one. */
class IptablesSaveTest {

    static NatForward ipt(
            Transport t,
            String match,
            boolean local,
            String iif,
            PortRange ports,
            NatForward.Action action,
            String target,
            PortRange to,
            String... chains) {
        return new NatForward(t, match, local, iif, ports, action, target, to, List.of(chains), "iptables");
    }

    @Test
    void followsDockersChainToItsDnatRules() {
        NatRules rules = IptablesSave.parse(fixture("docker-iptables-save.txt"));
        assertThat(rules.forwards())
                .containsExactly(
                        ipt(TCP, "", true, "!docker0", p(8080), DNAT, "172.17.0.2", p(80), "DOCKER"),
                        ipt(UDP, "127.0.0.1", true, "!docker0", p(5353), DNAT, "172.17.0.2", p(53), "DOCKER"),
                        ipt(
                                TCP,
                                "",
                                true,
                                "!docker0",
                                new PortRange(9000, 9010),
                                DNAT,
                                "172.17.0.3",
                                new PortRange(9000, 9010),
                                "DOCKER"));
        assertThat(rules.notes()).isEmpty();
    }

    @Test
    void followsKubeProxyFromClusterIpAndNodePortToEveryEndpoint() {
        NatRules rules = IptablesSave.parse(fixture("kube-iptables-save.txt"));
        assertThat(rules.forwards())
                .containsExactly(
                        ipt(
                                UDP,
                                "10.96.0.10",
                                false,
                                "",
                                p(53),
                                DNAT,
                                "10.244.0.3",
                                p(53),
                                "KUBE-SERVICES",
                                "KUBE-SVC-TCOU7JCQXEZGVUNU",
                                "KUBE-SEP-DNSDNSDNSDNSDNS1"),
                        ipt(
                                TCP,
                                "10.96.12.34",
                                false,
                                "",
                                p(80),
                                DNAT,
                                "10.244.1.5",
                                p(8080),
                                "KUBE-SERVICES",
                                "KUBE-SVC-WEB4PORTWEB4PORT",
                                "KUBE-SEP-AAAAAAAAAAAAAAAA"),
                        ipt(
                                TCP,
                                "10.96.12.34",
                                false,
                                "",
                                p(80),
                                DNAT,
                                "10.244.2.7",
                                p(8080),
                                "KUBE-SERVICES",
                                "KUBE-SVC-WEB4PORTWEB4PORT",
                                "KUBE-SEP-BBBBBBBBBBBBBBBB"),
                        ipt(
                                TCP,
                                "",
                                true,
                                "",
                                p(30080),
                                DNAT,
                                "10.244.1.5",
                                p(8080),
                                "KUBE-SERVICES",
                                "KUBE-NODEPORTS",
                                "KUBE-EXT-WEB4PORT",
                                "KUBE-SVC-WEB4PORTWEB4PORT",
                                "KUBE-SEP-AAAAAAAAAAAAAAAA"),
                        ipt(
                                TCP,
                                "",
                                true,
                                "",
                                p(30080),
                                DNAT,
                                "10.244.2.7",
                                p(8080),
                                "KUBE-SERVICES",
                                "KUBE-NODEPORTS",
                                "KUBE-EXT-WEB4PORT",
                                "KUBE-SVC-WEB4PORTWEB4PORT",
                                "KUBE-SEP-BBBBBBBBBBBBBBBB"));
        assertThat(rules.notes()).isEmpty();
    }

    @Test
    void readsWhatItUnderstandsOfAMalformedSaveAndCountsTheRest() {
        NatRules rules = IptablesSave.parse(fixture("iptables-save-malformed.txt"));
        assertThat(rules.forwards())
                .containsExactly(
                        ipt(TCP, "", false, "", p(3128), REDIRECT, "", p(8080), "FWD"),
                        ipt(TCP, "", false, "", p(80), DNAT, "10.0.0.2", p(80), "FWD"),
                        ipt(TCP, "", false, "", p(443), DNAT, "10.0.0.2", p(443), "FWD"),
                        ipt(
                                TCP,
                                "",
                                false,
                                "",
                                new PortRange(8000, 8002),
                                DNAT,
                                "10.0.0.2",
                                new PortRange(8000, 8002),
                                "FWD"),
                        ipt(UDP, "", false, "", p(53), DNAT, "10.0.0.3-10.0.0.5", new PortRange(5353, 5355), "FWD"),
                        ipt(TCP, "192.0.2.10", false, "", p(443), DNAT, "2001:db8::10", p(8443), "lower-case-chain"));
        assertThat(rules.notes())
                .containsExactlyInAnyOrder(
                        "a rule with an unclosed quote (1 rule, first: line 13)",
                        "an option it does not know (--frobnicate) (1 rule, first: line 14)",
                        "a port match it does not understand (! 2224) (1 rule, first: line 15)",
                        "a DNAT target it does not understand (--to-destination 10.0.0.1:notaport) (1 rule, first:"
                                + " line 16)",
                        "a line iptables-save does not write (1 rule, first: line 17)",
                        "a NETMAP target (whole networks mapped), not followed (1 rule, first: line 22)");
    }

    @Test
    void saysWhenThereIsNoNatTable() {
        assertThat(IptablesSave.parse("*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n").notes())
                .containsExactly("no *nat table in the iptables-save output");
        assertThat(IptablesSave.parse("").forwards()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "172.17.0.2:80|172.17.0.2|80-80",
                "172.17.0.2|172.17.0.2|",
                "10.0.0.1-10.0.0.3:80-90|10.0.0.1-10.0.0.3|80-90",
                "[fd00::1]:8443|fd00::1|8443-8443",
                "fd00::1|fd00::1|",
            })
    void readsDnatDestinations(String to, String address, String ports) {
        Chains.Dnat d = IptablesSave.dnat(to);
        assertThat(d).isNotNull();
        assertThat(d.address()).isEqualTo(address);
        assertThat(d.ports()).isEqualTo(ports == null ? null : PortRange.parse(ports));
    }

    @ParameterizedTest
    @CsvSource({"'172.17.0.2:'", "':80'", "'[fd00::1'", "'[fd00::1]80'", "'1.2.3.4:70000'", "''"})
    void refusesMalformedDnatDestinations(String to) {
        assertThat(IptablesSave.dnat(to)).isNull();
    }

    @Test
    void splitsQuotedWordsAsIptablesSaveWritesThem() {
        assertThat(IptablesSave.tokens("-A X -m comment --comment \"a \\\"b\\\" c\" -j Y"))
                .containsExactly("-A", "X", "-m", "comment", "--comment", "a \"b\" c", "-j", "Y");
        assertThat(IptablesSave.tokens("-A X --comment \"open")).isNull();
    }
}
