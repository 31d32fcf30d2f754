package org.portlens.discovery.linux.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portlens.discovery.linux.forward.NatForward.Action.DNAT;
import static org.portlens.discovery.linux.forward.NftRulesetTest.fixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.internal.Command;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.testkit.Needs;

/**
 * Real NAT rules in a network namespace this test creates and deletes: an nftables table with a
 * DNAT rule, and Docker-shaped rules through iptables-nft, read back by {@link NatRuleReader} inside
 * the namespace ({@code ip netns exec}). The host's own rules are only read, before and after, to
 * show they did not change. Needs root, ip (iproute2), nft (nftables) and iptables.
 */
class NatRulesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static String ip = "";
    private static String namespace = "";
    private static String hostRulesBefore = "";

    @BeforeAll
    static void createNamespace() throws IOException {
        Needs.root("creating a network namespace (ip netns add)");
        ip = Needs.binary("ip", "iproute2", "/usr/sbin/ip").toString();
        Needs.binary("nft", "nftables", "/usr/sbin/nft");
        Needs.binary("iptables-save", "iptables", "/usr/sbin/iptables-save");
        hostRulesBefore = hostRules();
        String name = "portlens-nat-it-" + ProcessHandle.current().pid();
        run(ip, "netns", "add", name);
        namespace = name;
    }

    @AfterAll
    static void deleteNamespace() throws IOException {
        if (namespace.isEmpty()) {
            return;
        }
        try {
            run(ip, "netns", "del", namespace);
        } finally {
            String left = run(ip, "netns", "list").stdout();
            assertThat(left).as("namespaces after the test").doesNotContain(namespace);
            assertThat(hostRules())
                    .as("the host's own nft ruleset after the test")
                    .isEqualTo(hostRulesBefore);
        }
    }

    /** The host namespace's ruleset, read only. */
    private static String hostRules() throws IOException {
        return run("nft", "list", "ruleset").stdout();
    }

    private static Command.Result run(String... argv) throws IOException {
        Command.Result r = Command.run(List.of(argv), TIMEOUT, 16_000_000);
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", argv) + " exited " + r.exit() + ": " + r.firstLine());
        }
        return r;
    }

    private static Command.Result inNamespace(String... argv) throws IOException {
        List<String> all = new ArrayList<>(List.of(ip, "netns", "exec", namespace));
        all.addAll(List.of(argv));
        return run(all.toArray(new String[0]));
    }

    private static NatRuleReader reader() {
        return new NatRuleReader(NatRuleReader.SYSTEM, List.of(ip, "netns", "exec", namespace));
    }

    @Test
    void readsTheDnatRuleOfARealNftablesTable(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("portlens-it.nft");
        Files.writeString(rules, """
                table ip portlens_it {
                	chain prerouting {
                		type nat hook prerouting priority dstnat; policy accept;
                		iifname != "lo" tcp dport 18080 dnat to 10.123.0.2:80
                	}
                }
                """);
        inNamespace("nft", "-f", rules.toString());
        NatRules read = reader().read();
        assertThat(read.forwards())
                .contains(new NatForward(
                        Transport.TCP,
                        "",
                        false,
                        "!lo",
                        PortRange.of(18080),
                        DNAT,
                        "10.123.0.2",
                        PortRange.of(80),
                        List.of("prerouting"),
                        "nft"));
    }

    @Test
    void readsDockerShapedRulesOfIptablesNftThroughIptablesSave(@TempDir Path dir) throws IOException {
        Needs.binary("iptables-restore", "iptables", "/usr/sbin/iptables-restore");
        Path rules = dir.resolve("docker.rules");
        Files.writeString(rules, fixture("docker.rules"));
        // iptables-restore reads the rules from standard input: a shell in the namespace redirects it
        inNamespace("/bin/sh", "-c", "iptables-restore < \"$1\"", "sh", rules.toString());
        NatRules read = reader().read();
        assertThat(read.forwards())
                .contains(new NatForward(
                        Transport.TCP,
                        "",
                        true,
                        "!docker0",
                        PortRange.of(8080),
                        DNAT,
                        "172.17.0.2",
                        PortRange.of(80),
                        List.of("DOCKER"),
                        "iptables"));
        assertThat(read.notes()).anySatisfy(n -> assertThat(n).startsWith("an iptables-nft DNAT rule"));
    }
}
