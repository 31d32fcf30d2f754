package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.policy.Bind;
import org.portlens.policy.Expect;
import org.portlens.policy.Netns;

/** Policy files read strictly: every problem is one line with file, line and column. */
class PolicyReaderTest {

    @TempDir
    Path dir;

    static final Path FILE = Path.of("policy.yaml");

    static String error(String yaml) {
        try {
            PolicyReader.parse(yaml, FILE);
        } catch (InputException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("no error for:\n" + yaml);
    }

    @Test
    void readsEveryKey() {
        PolicyReader.Document doc = PolicyReader.parse("""
                # a comment
                version: 1
                expect:
                  - transport: tcp
                    port: 22
                    bind: all
                    executable: /usr/sbin/sshd
                    unit: ssh.service
                    user: root
                  - transport: udp
                    port: 5353
                    bind: "::1"
                    netns: blue
                    image: docker.io/library/avahi:1
                    required: false
                ignore:
                  - transport: udp
                    port: 32768-60999
                    reason: clients
                """, FILE);

        assertThat(doc.policy().expect()).hasSize(2);
        Expect ssh = doc.policy().expect().get(0);
        assertThat(ssh.transport()).isEqualTo(Transport.TCP);
        assertThat(ssh.ports()).isEqualTo(PortRange.of(22));
        assertThat(ssh.bind()).contains(Bind.all());
        assertThat(ssh.netns()).isEqualTo(Netns.HOST);
        assertThat(ssh.identity().executable()).contains("/usr/sbin/sshd");
        assertThat(ssh.identity().unit()).contains("ssh.service");
        assertThat(ssh.identity().user()).contains("root");
        assertThat(ssh.required()).isTrue();
        Expect mdns = doc.policy().expect().get(1);
        assertThat(mdns.bind().map(Bind::address)).contains("::1");
        assertThat(mdns.netns()).isEqualTo(new Netns("blue"));
        assertThat(mdns.identity().image()).contains("docker.io/library/avahi:1");
        assertThat(mdns.required()).isFalse();
        assertThat(doc.lineOf(ssh)).isEqualTo(4);
        assertThat(doc.lineOf(mdns)).isEqualTo(10);
        assertThat(doc.expectLine()).isEqualTo(3);
        assertThat(doc.policy().ignore().get(0).transport()).contains(Transport.UDP);
        assertThat(doc.policy().ignore().get(0).ports()).isEqualTo(new PortRange(32768, 60999));
        assertThat(doc.policy().ignore().get(0).reason()).isEqualTo("clients");
    }

    @Test
    void aMisspeltKeyNamesTheNearestOne() {
        assertThat(error("expect:\n  - transport: tcp\n    prot: 22\n"))
                .isEqualTo("policy.yaml:3:5: unknown key 'prot' in an expect entry; did you mean 'port'? (keys:"
                        + " transport, port, bind, netns, executable, unit, user, image, required)");
        assertThat(error("expects:\n  - port: 22\n"))
                .startsWith("policy.yaml:1:1: unknown key 'expects' at the top of a policy; did you mean 'expect'?");
    }

    @Test
    void aWrongTypeSaysWhatWasExpected() {
        assertThat(error("expect:\n  - transport: tcp\n    port: [22, 23]\n"))
                .isEqualTo("policy.yaml:3:11: port must be a port 0-65535 or a range such as 3000-3005, got a list");
        assertThat(error("expect:\n  transport: tcp\n"))
                .isEqualTo("policy.yaml:2:3: expected a list of entries (lines starting with '- '), got a mapping");
        assertThat(error("expect:\n  - transport: tcp\n    port: 22\n    required: maybe\n"))
                .isEqualTo("policy.yaml:4:15: required must be true or false, got maybe");
        assertThat(error("expect:\n  - transport: sctp\n    port: 22\n"))
                .isEqualTo("policy.yaml:2:16: listeners are found for tcp and udp, not sctp");
    }

    @Test
    void aPortOutOfRangeIsAnError() {
        assertThat(error("expect:\n  - transport: tcp\n    port: 70000\n"))
                .isEqualTo("policy.yaml:3:11: port must be 0-65535, got 70000");
    }

    @Test
    void aBindThatIsNoScopeAndNoAddressIsAnError() {
        assertThat(error("expect:\n  - transport: tcp\n    port: 22\n    bind: everywhere\n"))
                .isEqualTo("policy.yaml:4:11: bind must be loopback, all or an IP address, got 'everywhere'");
        // a name is not looked up: it is no address
        assertThat(error("expect:\n  - transport: tcp\n    port: 22\n    bind: 1.example.com\n"))
                .startsWith("policy.yaml:4:11: bind must be loopback, all or an IP address");
    }

    @Test
    void hostAndAnyAreNamespacesInAnyCase() {
        var doc = PolicyReader.parse(
                "expect:\n  - transport: tcp\n    port: 22\n    netns: HOST\n  - transport: tcp\n    port: 23\n"
                        + "    netns: Any\n  - transport: tcp\n    port: 24\n    netns: blue\n",
                FILE);
        assertThat(doc.policy().expect().get(0).netns()).isEqualTo(Netns.HOST);
        assertThat(doc.policy().expect().get(1).netns()).isEqualTo(Netns.ANY);
        assertThat(doc.policy().expect().get(2).netns()).isEqualTo(new Netns("blue"));
    }

    @Test
    void aBlankIdentityIsAnErrorNeverAny() {
        assertThat(error("ignore:\n  - port: 0-65535\n    executable: \"\"\n"))
                .isEqualTo("policy.yaml:3:17: executable must not be empty: leave the key out for any executable");
        assertThat(error("expect:\n  - transport: tcp\n    port: 22\n    user: \" \"\n"))
                .startsWith("policy.yaml:4:11: user must not be empty");
    }

    @Test
    void duplicateEntriesAndKeysAreErrors() {
        assertThat(error("expect:\n  - transport: tcp\n    port: 22\n  - transport: tcp\n    port: 22\n"))
                .isEqualTo("policy.yaml:4:5: duplicate expect entry: the same as the one at line 2");
        assertThat(error("expect:\n  - transport: tcp\n    port: 22\n    port: 23\n"))
                .startsWith("policy.yaml:4:")
                .contains("port");
    }

    @Test
    void anEmptyFileIsAnError() {
        assertThat(error(""))
                .isEqualTo(
                        "policy.yaml:1:1: the policy is empty: expected 'expect:' and/or 'ignore:' (see docs/policy.md)");
        assertThat(error("# only a comment\n")).startsWith("policy.yaml:").contains("the policy is empty");
    }

    @Test
    void aYamlAliasBombIsRefusedAtItsFirstAlias() {
        String bomb = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                """;
        assertThat(error(bomb)).startsWith("policy.yaml:1:1: unknown key 'a'");
        String inEntry = "expect:\n  - &e {transport: tcp, port: 22}\n  - *e\n";
        assertThat(error(inEntry))
                .isEqualTo("policy.yaml:3:5: YAML aliases (*e) are not allowed in a policy file: write the entry out");
    }

    @Test
    void invalidYamlIsOneLineWithItsPlace() {
        assertThat(error("version: 1: 2\n")).matches("policy\\.yaml:\\d+:\\d+: not valid YAML: .*");
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsRead() throws IOException {
        Path big = dir.resolve("big.yaml");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(1L << 30); // 1 GB, sparse
        }
        assertThatThrownBy(() -> PolicyReader.read(big))
                .isInstanceOf(InputException.class)
                .hasMessage(big + ":1:1: " + big + " holds more than 32 MB, the limit for a policy file");
    }

    @Test
    void aMissingFileSaysHowToMakeOne() {
        Path none = dir.resolve("none.yaml");
        assertThatThrownBy(() -> PolicyReader.read(none))
                .isInstanceOf(InputException.class)
                .hasMessage("no policy file at " + none + ": write one with 'portlens baseline -o " + none
                        + "', or give --policy FILE");
    }

    @Test
    void theCliSaysItInOneLineWithExitCode2() throws IOException {
        Path bad = dir.resolve("policy.yaml");
        Files.writeString(bad, "expect:\n  - transport: tcp\n    port: 70000\n");
        CliRun run = CliRun.of("audit", "--policy", bad.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("portlens: " + bad + ":3:11: port must be 0-65535, got 70000\n");
    }

    @Test
    void anIgnoreEntryNeedsOnlyAPort() {
        PolicyReader.Document doc = PolicyReader.parse("ignore:\n  - port: 9000-9100\n", FILE);
        assertThat(doc.policy().ignore().get(0).transport()).isEqualTo(Optional.empty());
        assertThat(doc.policy().expect()).isEmpty();
    }
}
