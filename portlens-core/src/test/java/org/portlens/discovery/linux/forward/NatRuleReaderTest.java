package org.portlens.discovery.linux.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portlens.discovery.linux.forward.NftRulesetTest.fixture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portlens.internal.Command;
import org.portlens.internal.CommandRunner;

/** The reader with a fake runner that answers from the recorded fixtures. */
class NatRuleReaderTest {

    /** Answers by program name; records what ran. */
    static final class Fake implements CommandRunner {
        final Map<String, Object> answers;
        final List<List<String>> ran = new ArrayList<>();

        Fake(Map<String, Object> answers) {
            this.answers = answers;
        }

        @Override
        public Command.Result run(List<String> argv) throws IOException {
            ran.add(argv);
            String program = argv.get(argv.indexOf("ip") >= 0 ? 4 : 0);
            Object a = answers.get(program);
            if (a instanceof IOException e) {
                throw e;
            }
            if (a == null) {
                throw new IOException("Cannot run program \"" + program + "\": error=2, No such file or directory");
            }
            return (Command.Result) a;
        }
    }

    private static Command.Result ok(String out) {
        return new Command.Result(0, out, "");
    }

    @Test
    void readsNftAlone() {
        Fake fake = new Fake(Map.of("nft", ok(fixture("native-nft.json"))));
        NatRules rules = new NatRuleReader(fake, List.of()).read();
        assertThat(rules.forwards()).hasSize(11).allMatch(f -> f.tool().equals("nft"));
        assertThat(fake.ran).containsExactly(List.of("nft", "-j", "list", "ruleset"));
    }

    @Test
    void readsIptablesSaveTooWhenIptablesNftHidTheTargets() {
        Fake fake = new Fake(Map.of(
                "nft", ok(fixture("kube-iptables-nft.json")), "iptables-save", ok(fixture("kube-iptables-save.txt"))));
        NatRules rules = new NatRuleReader(fake, List.of()).read();
        assertThat(rules.forwards()).hasSize(5).allMatch(f -> f.tool().equals("iptables"));
        assertThat(rules.notes()).singleElement().asString().startsWith("an iptables-nft DNAT rule");
    }

    @Test
    void fallsBackToIptablesSaveWhenNftIsMissing() {
        Fake fake = new Fake(Map.of("iptables-save", ok(fixture("docker-iptables-save.txt"))));
        NatRules rules = new NatRuleReader(fake, List.of()).read();
        assertThat(rules.forwards()).hasSize(3);
        assertThat(rules.notes()).containsExactly("nft not found: apt-get install nftables");
    }

    @Test
    void saysWhatHelpsWhenBothAreRefused() {
        Command.Result refused = new Command.Result(1, "", "Operation not permitted (you must be root)\n");
        Command.Result denied = new Command.Result(
                4,
                "",
                "iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id:"
                        + " Permission denied (you must be root)\n");
        NatRules rules = new NatRuleReader(new Fake(Map.of("nft", refused, "iptables-save", denied)), List.of()).read();
        assertThat(rules.forwards()).isEmpty();
        assertThat(rules.notes())
                .containsExactly(
                        "nft -j list ruleset exited 1: Operation not permitted (you must be root) (reading NAT rules"
                                + " needs root, or CAP_NET_ADMIN)",
                        "iptables-save -t nat exited 4: iptables-save v1.8.9 (nf_tables): Could not fetch rule set"
                                + " generation id: Permission denied (you must be root) (reading NAT rules needs root,"
                                + " or CAP_NET_ADMIN)");
    }

    @Test
    void saysWhenNeitherProgramIsThere() {
        NatRules rules = new NatRuleReader(new Fake(Map.of()), List.of()).read();
        assertThat(rules.notes())
                .containsExactly(
                        "nft not found: apt-get install nftables", "iptables-save not found: apt-get install iptables");
    }

    @Test
    void runsTheProgramsAfterThePrefixAndTellsAMissingOneFromExit127() {
        Command.Result missing = new Command.Result(255, "", "exec of \"nft\" failed: No such file or directory\n");
        Fake fake = new Fake(Map.of("nft", missing, "iptables-save", ok(fixture("docker-iptables-save.txt"))));
        NatRules rules = new NatRuleReader(fake, List.of("ip", "netns", "exec", "blue")).read();
        assertThat(fake.ran.get(0)).containsExactly("ip", "netns", "exec", "blue", "nft", "-j", "list", "ruleset");
        assertThat(rules.forwards()).hasSize(3);
        assertThat(rules.notes()).containsExactly("nft not found: apt-get install nftables");
    }

    @Test
    void saysWhenAProgramCannotRun() {
        Fake fake = new Fake(
                Map.of("nft", new IOException("wrapped"), "iptables-save", ok(fixture("docker-iptables-save.txt"))));
        NatRules rules = new NatRuleReader(fake, List.of()).read();
        assertThat(rules.notes()).containsExactly("nft -j list ruleset could not run: wrapped");
    }
}
