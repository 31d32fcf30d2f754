package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.discovery.Discovery;
import org.portlens.model.BindScope;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.EphemeralRange;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;
import org.portlens.policy.Audit;
import org.portlens.policy.Baseline;
import org.portlens.policy.Identity;
import org.portlens.policy.Ignore;
import org.portlens.policy.Netns;
import org.portlens.policy.Policy;

/** The baseline file: readable, commented, and read back to the very policy it was written from. */
class BaselineWriterTest {

    @TempDir
    Path dir;

    static Listener listener(Transport t, String address, int port, BindScope scope, NetNamespace ns, Owner owner) {
        return new Listener(
                t,
                new Endpoint(address, port, address.contains(":"), scope, Endpoint.DualStack.NOT_APPLICABLE),
                t == Transport.TCP ? ListenerState.LISTEN : ListenerState.UNCONN,
                0,
                "root",
                port,
                ns,
                List.of(owner));
    }

    static ProcessInfo process(int pid, String exe, String user, Source source, List<String> argv) {
        return new ProcessInfo(
                pid,
                1,
                exe.substring(exe.lastIndexOf('/') + 1),
                exe,
                argv,
                0,
                user,
                Instant.parse("2026-11-27T16:08:28Z"),
                "/",
                List.of(),
                source,
                "",
                List.of());
    }

    static final NetNamespace HOST = new NetNamespace(1, "", true);
    static final NetNamespace ODD = new NetNamespace(2, "blue net", false);

    @Test
    void writesACommentedPolicyThatReadsBackToTheSamePolicy() {
        Source unit = new Source(Source.Kind.SYSTEMD_UNIT, "ssh.service", "systemd unit ssh.service");
        ProcessInfo sshd = process(812, "/usr/sbin/sshd", "root", unit, List.of("sshd: /usr/sbin/sshd -D"));
        ProcessInfo odd = process(
                999, "/opt/my app/bin/serve\"x", "true", Source.unknown("none"), List.of("serve", "line\nbreak"));
        Discovery d = new Discovery(
                List.of(
                        listener(Transport.TCP, "0.0.0.0", 22, BindScope.ALL, HOST, new Owner.Known(sshd, 3)),
                        listener(Transport.TCP, "::", 22, BindScope.ALL, HOST, new Owner.Known(sshd, 4)),
                        listener(Transport.TCP, "::1", 8080, BindScope.LOOPBACK, ODD, new Owner.Known(odd, 3)),
                        listener(Transport.TCP, "192.0.2.10", 9000, BindScope.ADDRESS, HOST, new Owner.Known(odd, 5)),
                        listener(
                                Transport.TCP,
                                "0.0.0.0",
                                2024,
                                BindScope.ALL,
                                HOST,
                                new Owner.Hidden("pid 1 unreadable")),
                        listener(Transport.UDP, "0.0.0.0", 40000, BindScope.ALL, HOST, new Owner.Known(odd, 6))),
                0,
                0,
                new Coverage(true, 3, 1, 0, 1, 0, 0, List.of()));
        EphemeralRange eph = new EphemeralRange(new PortRange(32768, 60999), "/proc/sys/net/ipv4/ip_local_port_range");
        List<Ignore> ignore = List.of(new Ignore(
                Optional.of(Transport.UDP),
                eph.range(),
                Optional.empty(),
                Netns.HOST,
                Identity.ANY,
                "UDP client sockets"));

        String text = BaselineWriter.write(
                Baseline.entries(d, ignore),
                ignore,
                Optional.of(eph),
                List.of(d.listeners().get(5)),
                Instant.parse("2026-12-01T12:00:00Z"));
        Policy read = PolicyReader.parse(text, Path.of("baseline.yaml")).policy();

        assertThat(read).isEqualTo(Baseline.of(d, ignore));
        assertThat(read.expect()).hasSize(4);
        assertThat(Audit.of(read, d).findings()).isEmpty();
        assertThat(text)
                .contains("  # sshd: /usr/sbin/sshd -D (pid 812 at the time, user root)\n")
                .contains("  # source: systemd unit ssh.service [systemd-unit]; since 2026-11-27 16:08:28 UTC\n")
                .contains("  # sockets: 0.0.0.0:22, [::]:22\n")
                .contains("    executable: \"/opt/my app/bin/serve\\\"x\"\n")
                .contains("    user: \"true\"\n")
                .contains("    netns: \"blue net\"\n")
                .contains("  # It covered: 0.0.0.0:40000 serve\"x pid 999\n")
                .doesNotContain("line\nbreak");
        assertThat(text.lines().filter(l -> l.startsWith("  # owner not shown")))
                .hasSize(1);
    }

    @Test
    void everyScalarReadsBackAsExactlyTheSameText() throws Exception {
        // names from processes are untrusted: quotes, controls, C1, line separators, a BOM, spaces
        for (String v : List.of(
                "sshd",
                "my server",
                " leading space",
                "quote\"and\\backslash",
                "new\nline",
                "c1\u0085next-line",
                "sep\u2028arator",
                "para\u2029graph",
                "\ufeffbom",
                "yes",
                "-dash",
                "ünïcödé")) {
            String yaml = "v: " + BaselineWriter.scalar(v) + "\n";
            String back = new com.fasterxml.jackson.databind.ObjectMapper(
                            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(yaml)
                    .get("v")
                    .asText();
            assertThat(back).as(yaml).isEqualTo(v);
        }
    }

    @Test
    void baselineRefusesToOverwriteWithoutForceAndPrintsWithoutOutput() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "keep me\n");

        CliRun refused = CliRun.of("baseline", "-o", file.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err())
                .isEqualTo("portlens: " + file + " exists: give --force to replace it, or another -o FILE\n");
        assertThat(Files.readString(file)).isEqualTo("keep me\n");

        CliRun forced = CliRun.of("baseline", "-o", file.toString(), "--force");
        assertThat(forced.code()).isIn(0, 3);
        assertThat(Files.readString(file)).startsWith("# portlens policy:").contains("version: 1\n");
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly("policy.yaml");
        }

        CliRun printed = CliRun.of("baseline");
        assertThat(printed.out()).startsWith("# portlens policy:");
        PolicyReader.parse(printed.out(), Path.of("stdout"));
    }

    @Test
    void auditUsesTheXdgConfigPathByDefault() {
        assertThat(Env.policyFile(Path.of("x.yaml"))).isEqualTo(Path.of("x.yaml"));
        assertThat(Env.policyFile(null).toString()).endsWith("portlens/policy.yaml");
    }
}
