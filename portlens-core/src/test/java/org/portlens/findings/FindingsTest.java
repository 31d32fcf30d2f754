package org.portlens.findings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
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
import org.portlens.probe.Wire;
import org.portlens.registry.KnownUses;
import org.portlens.registry.PortStatus;
import org.portlens.registry.Registry;

/** The findings and their sentences: label against owner, and exposure. */
class FindingsTest {

    static final Registry REGISTRY = Registry.bundled();
    static final NetNamespace HOST = new NetNamespace(4026531840L, "", true);

    static ProcessInfo process(int pid, String name, List<String> argv, Source source) {
        return new ProcessInfo(
                pid,
                1,
                name,
                "/usr/bin/" + name,
                argv,
                1000,
                "app",
                Instant.now(),
                "/home/app",
                List.of(),
                source,
                "",
                List.of());
    }

    static Listener listener(int port, BindScope scope, String address, NetNamespace ns, Owner... owners) {
        return new Listener(
                Transport.TCP,
                new Endpoint(address, port, false, scope, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                1000,
                "alice",
                77,
                ns,
                List.of(owners));
    }

    static List<Finding> findings(int port, Listener... listeners) {
        Discovery d = new Discovery(List.of(listeners), 0, 0, new Coverage(true, 10, 0, 0, 0, 0, 0, List.of()));
        return Findings.of(
                PortRange.of(port),
                REGISTRY.byPort(port),
                PortStatus.of(REGISTRY.byPort(port), List.of()),
                KnownUses.bundled().overlapping(PortRange.of(port)),
                d,
                Optional.empty(),
                Map.of());
    }

    static List<String> verdict(int port, Listener... listeners) {
        return findings(port, listeners).stream().map(Sentences::of).toList();
    }

    @Test
    void theOwnersPackageIdentifiesAKnownUseAndIsNamedInTheVerdict() {
        // a renamed node_exporter binary: its name says nothing, its package says what it is
        ProcessInfo p = process(4242, "exporter", List.of("/usr/bin/exporter"), Source.unknown("test"));
        Listener l = listener(9100, BindScope.ALL, "0.0.0.0", HOST, new Owner.Known(p, 3));
        Discovery d = new Discovery(List.of(l), 0, 0, new Coverage(true, 10, 0, 0, 0, 0, 0, List.of()));
        List<Finding> without = Findings.of(
                PortRange.of(9100),
                REGISTRY.byPort(9100),
                PortStatus.of(REGISTRY.byPort(9100), List.of()),
                KnownUses.bundled().overlapping(PortRange.of(9100)),
                d,
                Optional.empty(),
                Map.of());
        List<Finding> with = Findings.of(
                PortRange.of(9100),
                REGISTRY.byPort(9100),
                PortStatus.of(REGISTRY.byPort(9100), List.of()),
                KnownUses.bundled().overlapping(PortRange.of(9100)),
                d,
                Optional.empty(),
                Map.of(),
                Map.of(4242, "prometheus-node-exporter 1.5.0-1+b6"));

        assertThat(without).noneMatch(f -> f instanceof Finding.KnownUseMatch);
        assertThat(with)
                .anySatisfy(f -> assertThat(f).isInstanceOfSatisfying(Finding.KnownUseMatch.class, k -> {
                    assertThat(k.matchedBy()).isEqualTo("package prometheus-node-exporter");
                    assertThat(k.holder().installed()).isEqualTo("prometheus-node-exporter 1.5.0-1+b6");
                }));
        assertThat(with.stream().map(Sentences::of).toList())
                .anySatisfy(s ->
                        assertThat(s).contains("(pid 4242, user app, package prometheus-node-exporter 1.5.0-1+b6)"));
    }

    @Test
    void saysTheLabelDoesNotExplainAPythonServerFromAShell() {
        ProcessInfo py = process(
                4242,
                "python3",
                List.of("python3", "-m", "http.server", "3640"),
                new Source(Source.Kind.SHELL, "bash", "interactive bash on pts/0"));
        List<String> v = verdict(3640, listener(3640, BindScope.ALL, "0.0.0.0", HOST, new Owner.Known(py, 3)));
        assertThat(v.get(0))
                .contains("The IANA label 'netplay-port1' does not explain this listener on 3640/tcp")
                .contains("a Python HTTP server")
                .contains("pid 4242, user app")
                .contains("started from an interactive bash on pts/0")
                .contains("reachable from the network");
    }

    @Test
    void recognisesTheRegisteredServiceWhenTheProcessIsNamedLikeIt() {
        ProcessInfo sshd = process(
                900,
                "sshd",
                List.of("/usr/sbin/sshd", "-D"),
                new Source(Source.Kind.SYSTEMD_UNIT, "ssh.service", "systemd unit ssh.service"));
        List<String> v = verdict(22, listener(22, BindScope.ALL, "0.0.0.0", HOST, new Owner.Known(sshd, 3)));
        assertThat(v.get(0))
                .startsWith("This looks like the registered service ssh on 22/tcp")
                .contains("run by systemd unit ssh.service");
    }

    @Test
    void creditsAKnownUseWhenIanaSaysSomethingElse() {
        ProcessInfo etcd = process(
                50,
                "etcd",
                List.of("etcd", "--data-dir", "/var/lib/etcd"),
                new Source(Source.Kind.SYSTEMD_UNIT, "etcd.service", "systemd unit etcd.service"));
        Listener l = listener(2379, BindScope.LOOPBACK, "127.0.0.1", HOST, new Owner.Known(etcd, 7));
        List<String> v = verdict(2379, l);
        assertThat(String.join(" ", v)).contains("etcd").contains("reachable only from this host (loopback)");
        assertThat(findings(2379, l).get(0)).isInstanceOfSatisfying(Finding.KnownUseMatch.class, k -> {
            assertThat(k.kind()).isEqualTo("known-use");
            assertThat(k.software()).containsIgnoringCase("etcd");
        });
    }

    @Test
    void nothingListeningOnARegisteredButUnusedPort() {
        List<String> v = verdict(3640);
        assertThat(v.get(0)).isEqualTo("Nothing is listening on 3640 here.");
        assertThat(v.get(1)).contains("registered with no reference and no software known to use it");
    }

    @Test
    void hiddenOwnerIsSaidWithItsReason() {
        List<String> v = verdict(
                3640,
                listener(
                        3640,
                        BindScope.ALL,
                        "0.0.0.0",
                        HOST,
                        new Owner.Hidden("owned by a process of user postgres (uid 112); run as root to see it")));
        assertThat(v.get(0)).contains("owner is not shown: owned by a process of user postgres");
    }

    @Test
    void listenerInsideAnotherNamespaceIsNotCalledReachableFromTheNetwork() {
        ProcessInfo py = process(5, "python3", List.of("python3", "-m", "http.server"), Source.unknown("x"));
        List<String> v = verdict(
                8000,
                listener(8000, BindScope.ALL, "0.0.0.0", new NetNamespace(99, "blue", false), new Owner.Known(py, 3)));
        assertThat(v.get(0))
                .contains("on all interfaces inside netns blue")
                .doesNotContain("reachable from the network");
    }

    @Test
    void describesDockerProxyWithItsTarget() {
        ProcessInfo proxy = process(
                77,
                "docker-proxy",
                List.of(
                        "/usr/bin/docker-proxy",
                        "-proto",
                        "tcp",
                        "-host-ip",
                        "0.0.0.0",
                        "-host-port",
                        "8080",
                        "-container-ip",
                        "172.17.0.2",
                        "-container-port",
                        "80"),
                Source.unknown("x"));
        assertThat(Sentences.describe(proxy)).isEqualTo("docker-proxy, forwarding to container 172.17.0.2:80");
    }

    @Test
    void describesInterpretersByTheirScript() {
        assertThat(Sentences.describe(
                        process(1, "node", List.of("node", "--inspect", "server.js"), Source.unknown("x"))))
                .isEqualTo("a Node.js program (server.js)");
        assertThat(Sentences.describe(
                        process(1, "java", List.of("java", "-Xmx1g", "-jar", "app.jar"), Source.unknown("x"))))
                .isEqualTo("a Java program (app.jar)");
        assertThat(Sentences.describe(process(1, "nginx", List.of("nginx: master process"), Source.unknown("x"))))
                .isEqualTo("nginx");
    }

    static Wire wire(Wire.Outcome outcome, String protocol) {
        return new Wire(
                outcome,
                protocol,
                "",
                "",
                Map.of(),
                null,
                outcome == Wire.Outcome.IDENTIFIED,
                0,
                "",
                List.of(),
                5,
                outcome == Wire.Outcome.NONE ? "connection refused" : "");
    }

    static List<Finding> withWire(int port, Listener l, Wire w) {
        Discovery d = new Discovery(List.of(l), 0, 0, new Coverage(true, 10, 0, 0, 0, 0, 0, List.of()));
        return Findings.of(
                PortRange.of(port),
                REGISTRY.byPort(port),
                PortStatus.of(REGISTRY.byPort(port), List.of()),
                List.of(),
                d,
                Optional.empty(),
                Map.of(l, w));
    }

    @Test
    void aStrangerOnARegisteredPortIsALabelMismatchWithItsFacts() {
        ProcessInfo py = process(4242, "python3", List.of("python3", "-m", "http.server", "3640"), Source.unknown("x"));
        List<Finding> f = findings(3640, listener(3640, BindScope.ALL, "0.0.0.0", HOST, new Owner.Known(py, 3)));
        assertThat(f).hasSize(1).first().isInstanceOf(Finding.LabelMismatch.class);
        Finding.LabelMismatch m = (Finding.LabelMismatch) f.get(0);
        assertThat(m.kind()).isEqualTo("label-mismatch");
        assertThat(m.labels()).containsExactly("netplay-port1");
        assertThat(m.holder().process().pid()).isEqualTo(4242);
        assertThat(m.holder().exposure().scope()).isEqualTo(BindScope.ALL);
        assertThat(m.holder().exposure().fromNetwork()).isTrue();
    }

    @Test
    void aNamesakeDaemonIsTheRegisteredService() {
        ProcessInfo sshd = process(900, "sshd", List.of("/usr/sbin/sshd", "-D"), Source.unknown("x"));
        assertThat(findings(22, listener(22, BindScope.LOOPBACK, "127.0.0.1", HOST, new Owner.Known(sshd, 3))))
                .first()
                .isEqualTo(new Finding.RegisteredService(
                        new Holder(Transport.TCP, 22, sshd, 0, new Exposure(BindScope.LOOPBACK, "127.0.0.1", HOST)),
                        "ssh"));
    }

    @Test
    void aHiddenOwnerIsItsOwnKindWithTheReason() {
        List<Finding> f =
                findings(3640, listener(3640, BindScope.ALL, "0.0.0.0", HOST, new Owner.Hidden("run as root")));
        assertThat(f)
                .first()
                .isEqualTo(new Finding.HiddenOwner(
                        Transport.TCP, 3640, new Exposure(BindScope.ALL, "0.0.0.0", HOST), "run as root"));
    }

    @Test
    void theWireIsComparedWithTheLabel() {
        ProcessInfo p = process(7, "mystery", List.of("mystery"), Source.unknown("x"));
        Listener on3640 = listener(3640, BindScope.LOOPBACK, "127.0.0.1", HOST, new Owner.Known(p, 3));
        Listener on80 = listener(80, BindScope.LOOPBACK, "127.0.0.1", HOST, new Owner.Known(p, 3));
        assertThat(wireVerdict(withWire(3640, on3640, wire(Wire.Outcome.IDENTIFIED, "http"))))
                .isEqualTo(Finding.WireVerdict.DISAGREES);
        assertThat(wireVerdict(withWire(80, on80, wire(Wire.Outcome.IDENTIFIED, "http"))))
                .isEqualTo(Finding.WireVerdict.MATCHES_LABEL);
        assertThat(wireVerdict(withWire(3640, on3640, wire(Wire.Outcome.NONE, ""))))
                .isEqualTo(Finding.WireVerdict.SILENT);
        assertThat(wireVerdict(withWire(3640, on3640, wire(Wire.Outcome.UNKNOWN, ""))))
                .isEqualTo(Finding.WireVerdict.UNKNOWN);
        List<Finding> f = withWire(3640, on3640, wire(Wire.Outcome.IDENTIFIED, "http"));
        assertThat(f.get(1).kind()).isEqualTo("wire-disagrees");
        assertThat(Sentences.of(f.get(1)))
                .isEqualTo("The wire on 3640/tcp says http, which IANA's label 'netplay-port1' does not describe.");
    }

    private static Finding.WireVerdict wireVerdict(List<Finding> f) {
        return ((Finding.WireSeen) f.get(1)).verdict();
    }

    @Test
    void theEphemeralRangeAndHiddenOwnersAreFindingsOfTheirOwn() {
        ProcessInfo p = process(7, "app", List.of("app"), Source.unknown("x"));
        Listener l = listener(40000, BindScope.LOOPBACK, "127.0.0.1", HOST, new Owner.Known(p, 3));
        Discovery d = new Discovery(List.of(l), 0, 0, new Coverage(false, 10, 2, 0, 2, 0, 0, List.of()));
        EphemeralRange eph = new EphemeralRange(new PortRange(32768, 60999), "/proc/sys/net/ipv4/ip_local_port_range");
        List<Finding> f = Findings.of(
                PortRange.of(40000),
                List.of(),
                PortStatus.of(List.of(), List.of()),
                List.of(),
                d,
                Optional.of(eph),
                Map.of());
        assertThat(f)
                .extracting(Finding::kind)
                .containsExactly("no-registered-name", "ephemeral-range", "partial-answer");
        assertThat(f.get(2)).isEqualTo(new Finding.PartialAnswer(2, 0, false));
        assertThat(Sentences.of(f.get(2))).endsWith("run as root to see them.");
    }

    @Test
    void ownersThatExitedMakeAPartialAnswerThatSaysSoAndNotHidden() {
        ProcessInfo p = process(7, "app", List.of("app"), Source.unknown("x"));
        Listener l = listener(40000, BindScope.LOOPBACK, "127.0.0.1", HOST, new Owner.Known(p, 3));
        Discovery d = new Discovery(List.of(l), 0, 0, new Coverage(true, 10, 0, 1, 0, 1, 0, List.of()));
        List<Finding> f = Findings.of(
                PortRange.of(40000),
                List.of(),
                PortStatus.of(List.of(), List.of()),
                List.of(),
                d,
                Optional.empty(),
                Map.of());
        assertThat(f.get(f.size() - 1)).isEqualTo(new Finding.PartialAnswer(0, 1, true));
        assertThat(Sentences.of(f.get(f.size() - 1)))
                .isEqualTo("Part of the answer is missing: 1 owner process(es) exited while portlens read them;"
                        + " run again for a full answer.");
    }

    @Test
    void namesTheTransportsThatHaveARecordWhenTheAskedOneHasNone() {
        Registry iana = Registry.bundled();
        PortRange p3640 = PortRange.of(3640);
        assertThat(Findings.recordForTransport(p3640, Transport.SCTP, iana.overlapping(p3640)))
                .contains(
                        new Finding.NoRecordForTransport(p3640, Transport.SCTP, List.of(Transport.TCP, Transport.UDP)));
        assertThat(Findings.recordForTransport(p3640, Transport.TCP, iana.overlapping(p3640)))
                .isEmpty();
        PortRange range = new PortRange(3640, 3641);
        Finding f = Findings.recordForTransport(range, Transport.DCCP, iana.overlapping(range))
                .orElseThrow();
        assertThat(Sentences.of(f)).isEqualTo("No DCCP record for 3640-3641 (IANA assigns ports in it for tcp, udp).");
        assertThat(f.kind()).isEqualTo("no-record-for-transport");
        // no transport at all: nothing to add to "unassigned"
        assertThat(Findings.recordForTransport(p3640, Transport.SCTP, List.of()))
                .isEmpty();
    }
}
