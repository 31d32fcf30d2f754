package org.portlens.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portlens.testkit.Fixtures.BLUE;
import static org.portlens.testkit.Fixtures.HOST;
import static org.portlens.testkit.Fixtures.SHELL;
import static org.portlens.testkit.Fixtures.SSH_UNIT;
import static org.portlens.testkit.Fixtures.owner;
import static org.portlens.testkit.Fixtures.process;
import static org.portlens.testkit.Fixtures.table;
import static org.portlens.testkit.Fixtures.tcp;
import static org.portlens.testkit.Fixtures.udp;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.model.BindScope;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Transport;

/** The audit rules and the baseline, as pure functions over fabricated socket tables. */
class AuditTest {

    static Expect expect(Transport t, int port, Optional<Bind> bind, Identity identity) {
        return new Expect(t, PortRange.of(port), bind, Netns.HOST, identity, true);
    }

    static Identity exe(String exe) {
        return new Identity(Optional.of(exe), Optional.empty(), Optional.empty(), Optional.empty());
    }

    final ProcessInfo sshd = process(812, "/usr/sbin/sshd", "root", SSH_UNIT);
    final ProcessInfo python = process(13789, "/usr/bin/python3.11", "root", SHELL);

    @Test
    void aNewPidForTheSameExecutableAndUnitIsClean() {
        Discovery before = table(
                tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)), tcp("::", 22, BindScope.ALL, true, owner(sshd)));
        Policy policy = Baseline.of(before);
        ProcessInfo restarted = process(4242, "/usr/sbin/sshd", "root", SSH_UNIT);
        Discovery after = table(
                tcp("0.0.0.0", 22, BindScope.ALL, false, owner(restarted)),
                tcp("::", 22, BindScope.ALL, true, owner(restarted)));

        Audit audit = Audit.of(policy, after);

        assertThat(audit.findings()).isEmpty();
        assertThat(audit.clean()).isTrue();
        assertThat(audit.partial()).isFalse();
        assertThat(audit.checked()).isEqualTo(2);
    }

    @Test
    void everyEntryASocketSatisfiesIsMetNotTheFirstOnly() {
        // one process on [::]:41030 and on 192.0.2.2:41030: its baseline has an entry for each bind
        Discovery d = table(
                tcp("::", 41030, BindScope.ALL, true, owner(python)),
                tcp("192.0.2.2", 41030, BindScope.ADDRESS, false, owner(python)));
        Audit audit = Audit.of(Baseline.of(d), d);
        assertThat(audit.findings()).isEmpty();
    }

    @Test
    void aServerExpectedInsideAnIgnoredRangeStillMeetsItsEntry() {
        ProcessInfo wg = process(900, "/usr/bin/wg-server", "root", SHELL);
        Policy policy = new Policy(
                List.of(new Expect(
                        Transport.UDP, PortRange.of(51820), Optional.empty(), Netns.HOST, exe("wg-server"), true)),
                List.of(new Ignore(
                        Optional.of(Transport.UDP),
                        new PortRange(32768, 60999),
                        Optional.empty(),
                        Netns.HOST,
                        Identity.ANY,
                        "UDP client sockets")));
        Audit audit = Audit.of(policy, table(udp("0.0.0.0", 51820, HOST, owner(wg)), udp("0.0.0.0", 40000, HOST)));
        assertThat(audit.findings()).isEmpty();
        assertThat(audit.ignored()).isEqualTo(1);
    }

    @Test
    void aBinaryReplacedByAnUpgradeIsTheSameExecutableUntilTheServerRestarts() {
        ProcessInfo upgraded = process(812, "/usr/sbin/sshd (deleted)", "root", SSH_UNIT);
        Discovery d = table(tcp("0.0.0.0", 22, BindScope.ALL, false, owner(upgraded)));
        assertThat(Audit.of(Baseline.of(table(tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)))), d)
                        .findings())
                .isEmpty();
        assertThat(Identity.of(upgraded).executable()).contains("/usr/sbin/sshd");
    }

    @Test
    void baselineGroupsTheIpv4AndIpv6SocketsOfOneServerIntoOneEntry() {
        Discovery d = table(
                tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)),
                tcp("::", 22, BindScope.ALL, true, owner(sshd)),
                tcp("127.0.0.1", 8000, BindScope.LOOPBACK, false, owner(python)));

        List<Baseline.Entry> entries = Baseline.entries(d, List.of());

        assertThat(entries).hasSize(2);
        Expect ssh = entries.get(0).expect();
        assertThat(entries.get(0).listeners()).hasSize(2);
        assertThat(ssh.transport()).isEqualTo(Transport.TCP);
        assertThat(ssh.ports()).isEqualTo(PortRange.of(22));
        assertThat(ssh.bind()).contains(Bind.all());
        assertThat(ssh.netns()).isEqualTo(Netns.HOST);
        assertThat(ssh.identity().executable()).contains("/usr/sbin/sshd");
        assertThat(ssh.identity().unit()).contains("ssh.service");
        assertThat(ssh.identity().user()).contains("root");
        assertThat(entries.get(1).expect().bind()).contains(Bind.loopback());
        assertThat(entries.get(1).expect().identity().unit()).isEmpty();
    }

    @Test
    void loopbackExpectedButBoundToAllInterfacesIsWiderExposure() {
        Policy policy = new Policy(
                List.of(expect(Transport.TCP, 8000, Optional.of(Bind.loopback()), exe("python3.11"))), List.of());
        Listener wide = tcp("0.0.0.0", 8000, BindScope.ALL, false, owner(python));

        Audit audit = Audit.of(policy, table(wide));

        assertThat(audit.findings())
                .containsExactly(
                        new PolicyFinding.WiderExposure(wide, policy.expect().get(0)));
        assertThat(AuditSentences.of(audit.findings().get(0)))
                .isEqualTo("Bound wider than the policy allows: tcp 8000 may listen on loopback only, but tcp"
                        + " 0.0.0.0:8000 is held by a Python program (pid 13789, user root) started from an interactive"
                        + " shell bash on pts/0, reachable from the network (all interfaces).");
    }

    @Test
    void aNarrowerBindThanAllowedIsFine() {
        Policy policy =
                new Policy(List.of(expect(Transport.TCP, 8000, Optional.of(Bind.all()), Identity.ANY)), List.of());

        assertThat(Audit.of(policy, table(tcp("127.0.0.1", 8000, BindScope.LOOPBACK, false, owner(python))))
                        .findings())
                .isEmpty();
    }

    @Test
    void anAddressBindIsWrittenAsListenersAreShown() {
        assertThat(Bind.parse("2001:DB8:0::1").address()).isEqualTo("2001:db8::1");
        assertThat(Bind.parse("[::1]").address()).isEqualTo("::1");
        assertThat(Bind.parse("::ffff:192.0.2.1").address()).isEqualTo("192.0.2.1");
        assertThat(Bind.parse("0.0.0.0")).isEqualTo(Bind.all());
        assertThat(Bind.parse("::")).isEqualTo(Bind.all());
        for (String bad : List.of("everywhere", "1.example.com", "256.1.1.1", "1.2.3", "", "a b")) {
            assertThatThrownBy(() -> Bind.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anAddressBindAllowsThatAddressAndLoopbackOnly() {
        Bind one = Bind.parse("192.0.2.10");
        assertThat(one.allows(
                        new Endpoint("192.0.2.10", 80, false, BindScope.ADDRESS, Endpoint.DualStack.NOT_APPLICABLE)))
                .isTrue();
        assertThat(one.allows(
                        new Endpoint("127.0.0.1", 80, false, BindScope.LOOPBACK, Endpoint.DualStack.NOT_APPLICABLE)))
                .isTrue();
        assertThat(one.allows(
                        new Endpoint("192.0.2.11", 80, false, BindScope.ADDRESS, Endpoint.DualStack.NOT_APPLICABLE)))
                .isFalse();
        assertThat(one.allows(new Endpoint("0.0.0.0", 80, false, BindScope.ALL, Endpoint.DualStack.NOT_APPLICABLE)))
                .isFalse();
    }

    @Test
    void aListenerNoEntryCoversIsUnexpected() {
        Listener stray = tcp("127.0.0.1", 3640, BindScope.LOOPBACK, false, owner(python));

        Audit audit = Audit.of(new Policy(List.of(), List.of()), table(stray));

        assertThat(audit.findings()).containsExactly(new PolicyFinding.Unexpected(stray));
        assertThat(audit.clean()).isFalse();
        assertThat(AuditSentences.of(audit.findings().get(0)))
                .startsWith("Not in the policy: tcp 127.0.0.1:3640 is held by a Python program")
                .endsWith("reachable only from this host (loopback).");
    }

    @Test
    void aRequiredEntryWithNoListenerIsMissingAndAnOptionalOneIsNot() {
        Expect ssh = expect(Transport.TCP, 22, Optional.of(Bind.all()), exe("/usr/sbin/sshd"));
        Expect dev =
                new Expect(Transport.TCP, new PortRange(8000, 8100), Optional.empty(), Netns.HOST, Identity.ANY, false);

        Audit audit = Audit.of(new Policy(List.of(ssh, dev), List.of()), table());

        assertThat(audit.findings()).containsExactly(new PolicyFinding.Missing(ssh));
        assertThat(AuditSentences.of(audit.findings().get(0)))
                .isEqualTo("Expected but not listening: tcp 22 (executable /usr/sbin/sshd, all interfaces).");
    }

    @Test
    void anotherExecutableOnAnExpectedPortIsOtherOwnerAndNotAlsoMissing() {
        Expect ssh = expect(Transport.TCP, 22, Optional.empty(), exe("/usr/sbin/sshd"));
        Listener l = tcp("0.0.0.0", 22, BindScope.ALL, false, owner(python));

        Audit audit = Audit.of(new Policy(List.of(ssh), List.of()), table(l));

        assertThat(audit.findings()).containsExactly(new PolicyFinding.OtherOwner(l, ssh, python));
        assertThat(AuditSentences.of(audit.findings().get(0)))
                .startsWith("Held by another owner than the policy names: tcp 0.0.0.0:22 should be held by executable"
                        + " /usr/sbin/sshd, but is held by a Python program");
    }

    @Test
    void unitAndUserMustMatchToo() {
        Identity unitOnly =
                new Identity(Optional.empty(), Optional.of("ssh.service"), Optional.empty(), Optional.empty());
        Identity nobody = new Identity(Optional.of("sshd"), Optional.empty(), Optional.of("nobody"), Optional.empty());
        assertThat(unitOnly.matches(sshd)).isTrue();
        assertThat(unitOnly.matches(python)).isFalse();
        assertThat(nobody.matches(sshd)).isFalse();
        assertThat(new Identity(Optional.of("sshd"), Optional.empty(), Optional.of("0"), Optional.empty())
                        .matches(sshd))
                .isTrue();
    }

    @Test
    void aHiddenOwnerMakesTheAuditPartialAndSaysSo() {
        Expect pg = expect(Transport.TCP, 5432, Optional.of(Bind.loopback()), exe("postgres"));
        Listener l = tcp(
                "127.0.0.1",
                5432,
                BindScope.LOOPBACK,
                false,
                new Owner.Hidden("owned by a process of user postgres (uid 112); run as root to see it"));

        Audit audit = Audit.of(new Policy(List.of(pg), List.of()), table(l));

        assertThat(audit.findings())
                .containsExactly(new PolicyFinding.OwnerUnknown(
                        l, pg, "owned by a process of user postgres (uid 112); run as root to see it"));
        assertThat(audit.clean()).isTrue();
        assertThat(audit.partial()).isTrue();
        assertThat(audit.coverage().ownersHidden()).isEqualTo(1);
        assertThat(AuditSentences.of(audit.findings().get(0)))
                .isEqualTo("Could not check who holds tcp 127.0.0.1:5432 (the policy names executable postgres):"
                        + " owned by a process of user postgres (uid 112); run as root to see it; this part of the"
                        + " audit is partial.");
    }

    @Test
    void aHiddenOwnerIsStillJudgedByItsBind() {
        Expect pg = expect(Transport.TCP, 5432, Optional.of(Bind.loopback()), exe("postgres"));
        Listener l = tcp("0.0.0.0", 5432, BindScope.ALL, false, new Owner.Hidden("run as root to see it"));

        Audit audit = Audit.of(new Policy(List.of(pg), List.of()), table(l));

        assertThat(audit.findings())
                .containsExactly(
                        new PolicyFinding.OwnerUnknown(l, pg, "run as root to see it"),
                        new PolicyFinding.WiderExposure(l, pg));
    }

    @Test
    void ignoreRulesPassOverTheEphemeralRangeForUdp() {
        Ignore clients = new Ignore(
                Optional.of(Transport.UDP),
                new PortRange(32768, 60999),
                Optional.empty(),
                Netns.HOST,
                Identity.ANY,
                "client sockets");
        Listener client = udp("0.0.0.0", 41234, HOST, owner(python));
        Listener tcpThere = tcp("127.0.0.1", 41234, BindScope.LOOPBACK, false, owner(python));

        Audit audit = Audit.of(new Policy(List.of(), List.of(clients)), table(client, tcpThere));

        assertThat(audit.findings()).containsExactly(new PolicyFinding.Unexpected(tcpThere));
        assertThat(audit.ignored()).isEqualTo(1);
        assertThat(Baseline.of(table(client, tcpThere), List.of(clients)).expect())
                .hasSize(1);
    }

    @Test
    void namespacesAreMatchedByNameAndHostIsTheDefault() {
        Listener inBlue = udp("0.0.0.0", 53, BLUE, owner(python));
        Expect hostOnly = new Expect(Transport.UDP, PortRange.of(53), Optional.empty(), Netns.HOST, Identity.ANY, true);
        Expect blue =
                new Expect(Transport.UDP, PortRange.of(53), Optional.empty(), new Netns("blue"), Identity.ANY, true);

        assertThat(Audit.of(new Policy(List.of(hostOnly), List.of()), table(inBlue))
                        .findings())
                .containsExactly(new PolicyFinding.Unexpected(inBlue), new PolicyFinding.Missing(hostOnly));
        assertThat(Audit.of(new Policy(List.of(blue), List.of()), table(inBlue)).findings())
                .isEmpty();
        assertThat(Baseline.of(table(inBlue)).expect().get(0).netns()).isEqualTo(new Netns("blue"));
    }

    @Test
    void baselineThenAuditOfTheSameTableIsClean() {
        Discovery d = table(
                tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)),
                tcp("127.0.0.1", 8000, BindScope.LOOPBACK, false, owner(python)),
                tcp("0.0.0.0", 2024, BindScope.ALL, false, new Owner.Hidden("pid 1 could not be read")),
                udp("0.0.0.0", 53, BLUE, owner(python)));

        Audit audit = Audit.of(Baseline.of(d), d);

        assertThat(audit.findings()).isEmpty();
    }

    @Test
    void aPolicyRefusesDuplicateEntries() {
        Expect e = expect(Transport.TCP, 22, Optional.empty(), Identity.ANY);
        assertThatThrownBy(() -> new Policy(List.of(e, e), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expect entry tcp 22 is given twice");
    }
}
