package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.discovery.linux.proc.UserDirectory;
import org.portlens.internal.Command;
import org.portlens.internal.CommandRunner;
import org.portlens.model.BindScope;
import org.portlens.model.PortRange;
import org.portlens.model.RuleForward;
import org.portlens.model.RuleForwards;
import org.portlens.model.Transport;

/**
 * NAT rules followed to their servers on a fake /proc tree (LinuxSocketTableTest's), the rules being
 * recorded {@code nft -j list ruleset} output handed over by a recorded runner: which namespace's rules
 * are read how, which rules match the port asked about, and the server found behind a DNAT target.
 */
class RuleForwardsTest {

    @TempDir
    Path dir;

    private final List<LinuxSocketTableTest.Fixture> built = new ArrayList<>();

    /** The tree's links point outside it: removed as links, without JUnit's warnings. */
    @AfterEach
    void deleteTrees() throws IOException {
        for (LinuxSocketTableTest.Fixture f : built) {
            f.delete();
        }
    }

    /** Docker's rules as iptables-nft writes them: 8080 to 172.17.0.2:80, udp 5353 on 127.0.0.1. */
    private static String recorded(String name) throws IOException {
        try (InputStream in =
                RuleForwardsTest.class.getResourceAsStream("/org/portlens/discovery/linux/forward/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private record Table(LinuxSocketTable table, List<List<String>> ran) {}

    /**
     * The shared fake tree, whose pid 1200 lives in another namespace with 0.0.0.0:8080 and, here, the
     * address 10.88.0.2; the host's rules forward 8080 there and to 172.17.0.2 (nobody's).
     */
    private Table table(int viewerUid, String hostRules) throws IOException {
        return table(viewerUid, hostRules, "");
    }

    private Table table(int viewerUid, String hostRules, String hostIptables) throws IOException {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the fixtures hold little-endian addresses");
        LinuxSocketTableTest.Fixture f = LinuxSocketTableTest.Fixture.build(Files.createTempDirectory(dir, "t"));
        built.add(f);
        Files.writeString(f.proc.resolve("1200/net/fib_trie"), """
                Main:
                  +-- 0.0.0.0/0 3 0 5
                     |-- 10.88.0.2
                        /32 host LOCAL
                Local:
                     |-- 10.88.0.2
                        /32 host LOCAL
                """);
        Files.writeString(f.proc.resolve("1200/net/if_inet6"), "");
        ProcRoot root = new ProcRoot(f.proc);
        List<List<String>> ran = new ArrayList<>();
        CommandRunner runner = argv -> {
            synchronized (ran) {
                ran.add(argv);
            }
            boolean inOther = argv.get(0).equals("nsenter");
            String out =
                    argv.contains("nft") ? (inOther ? "{\"nftables\": []}" : hostRules) : inOther ? "" : hostIptables;
            return new Command.Result(0, out, "");
        };
        SocketTables tables = new SocketTables(root, List.of());
        return new Table(
                new LinuxSocketTable(
                        root, new UserDirectory(f.passwd), tables, viewerUid, new NamespaceRules(root, tables, runner)),
                ran);
    }

    private static final String RULES = """
            {"nftables": [
              {"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
              {"table": {"family": "ip", "name": "nat", "handle": 1}},
              {"chain": {"family": "ip", "table": "nat", "name": "prerouting", "handle": 1,
                "type": "nat", "hook": "prerouting", "prio": -100, "policy": "accept"}},
              {"chain": {"family": "ip", "table": "nat", "name": "DOCKER", "handle": 2}},
              {"rule": {"family": "ip", "table": "nat", "chain": "prerouting", "handle": 3, "expr": [
                {"match": {"op": "==", "left": {"fib": {"result": "type", "flags": ["daddr"]}}, "right": "local"}},
                {"jump": {"target": "DOCKER"}}]}},
              {"rule": {"family": "ip", "table": "nat", "chain": "DOCKER", "handle": 4, "expr": [
                {"match": {"op": "!=", "left": {"meta": {"key": "iifname"}}, "right": "docker0"}},
                {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 8080}},
                {"dnat": {"addr": "10.88.0.2", "port": 8080}}]}},
              {"rule": {"family": "ip", "table": "nat", "chain": "DOCKER", "handle": 5, "expr": [
                {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": "127.0.0.1"}},
                {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 9443}},
                {"dnat": {"addr": "172.17.0.2", "port": 443}}]}}
            ]}
            """;

    @Test
    void aDnatRuleIsFollowedToTheListenerOwningItsTargetInAnotherNamespace() throws IOException {
        Table t = table(0, RULES);
        RuleForwards rules = t.table().ruleForwards(PortRange.of(8080), Optional.of(Transport.TCP));
        assertThat(rules.notes()).isEmpty();
        RuleForward f = rules.forwards().get(0);
        assertThat(rules.forwards()).hasSize(1);
        assertThat(f.namespace().current()).isTrue();
        assertThat(f.target()).isEqualTo("10.88.0.2:8080");
        assertThat(f.chain()).containsExactly("DOCKER");
        assertThat(f.tool()).isEqualTo("nft");
        assertThat(f.localOnly()).isTrue();
        assertThat(f.inInterface()).isEqualTo("!docker0");
        assertThat(f.reach()).isEqualTo(BindScope.ALL);
        assertThat(f.matches()).isEqualTo("any local address, not arriving on docker0");
        assertThat(f.servers()).singleElement().satisfies(l -> {
            assertThat(l.namespace().current()).isFalse();
            assertThat(l.local().hostPort()).isEqualTo("0.0.0.0:8080");
            assertThat(l.processes()).extracting(p -> p.pid()).containsExactly(1200);
        });
        assertThat(f.notes()).isEmpty();
        // the host's rules directly, the other namespace's through nsenter with a process in it
        assertThat(t.ran()).contains(List.of("nft", "-j", "list", "ruleset"));
        assertThat(t.ran())
                .anySatisfy(argv -> assertThat(argv)
                        .startsWith("nsenter")
                        .anySatisfy(a -> assertThat(a).endsWith("proc/1200/ns/net"))
                        .endsWith("nft", "-j", "list", "ruleset"));
    }

    @Test
    void aRuleToLoopbackOnlyIsReachableFromThisHostAndATargetNobodyServesSaysSo() throws IOException {
        RuleForwards rules = table(0, RULES).table().ruleForwards(PortRange.of(9443), Optional.empty());
        RuleForward f = rules.forwards().get(0);
        assertThat(f.reach()).isEqualTo(BindScope.LOOPBACK);
        assertThat(f.matches()).isEqualTo("127.0.0.1");
        assertThat(f.servers()).isEmpty();
        assertThat(f.notes())
                .containsExactly("nothing listens on 172.17.0.2:443 in the network namespaces portlens can see");
        assertThat(table(0, RULES)
                        .table()
                        .ruleForwards(PortRange.of(9443), Optional.of(Transport.UDP))
                        .forwards())
                .as("the rule forwards tcp only")
                .isEmpty();
    }

    @Test
    void anotherUserIsToldThatRulesNeedRootAndNothingRuns() throws IOException {
        Table t = table(1000, RULES);
        RuleForwards rules = t.table().ruleForwards(PortRange.of(8080), Optional.empty());
        assertThat(rules.forwards()).isEmpty();
        assertThat(rules.notes()).singleElement().asString().startsWith("not read: nft and iptables-save need root");
        assertThat(t.ran()).isEmpty();
    }

    @Test
    void aRecordedDockerRulesetForwardsItsPorts() throws IOException {
        // iptables-nft's rules hide their DNAT targets from nft: iptables-save is read as well
        RuleForwards rules = table(0, recorded("docker-iptables-nft.json"), recorded("docker-iptables-save.txt"))
                .table()
                .ruleForwards(PortRange.of(9005), Optional.of(Transport.TCP));
        assertThat(rules.forwards()).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualTo("172.17.0.3:9005");
            assertThat(f.tool()).isEqualTo("iptables");
            assertThat(f.chain()).containsExactly("DOCKER");
            assertThat(f.servers()).isEmpty();
        });
    }
}
