package org.portlens.discovery.macos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.model.BindScope;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;

/** The whole macOS reader on a recorded Mac: what it runs, and the listeners it makes of the answers. */
class MacSocketTableTest {

    private static MacSocketTable table(RecordedMac mac, boolean root) {
        return new MacSocketTable(new MacTools(mac, ZoneOffset.UTC), root);
    }

    private static Query port(int p) {
        return Query.ports(new PortRange(p, p));
    }

    private static ProcessInfo known(Owner o) {
        assertThat(o).isInstanceOf(Owner.Known.class);
        return ((Owner.Known) o).process();
    }

    @Test
    void runsOnlyTheMacsToolsAndAsksLsofForThePortOnly() {
        RecordedMac mac = RecordedMac.root();
        table(mac, true).read(port(3640));
        assertThat(mac.ran).extracting(a -> a.get(0)).containsExactly("lsof", "netstat", "ps", "ps", "launchctl");
        assertThat(mac.ran.get(0)).containsExactly("lsof", "-nP", "-w", "-iTCP:3640", "-iUDP:3640", "-FpcuLfnPtT0");
        assertThat(MacSocketTable.lsof(Query.ports(new PortRange(3000, 3999), Transport.UDP)))
                .containsExactly("lsof", "-nP", "-w", "-iUDP:3000-3999", "-FpcuLfnPtT0");
        assertThat(MacSocketTable.lsof(Query.all()))
                .containsExactly("lsof", "-nP", "-w", "-iTCP", "-iUDP", "-FpcuLfnPtT0");
    }

    @Test
    void port3640IsNodeFromAShellOnATerminal() {
        Discovery d = table(RecordedMac.root(), true).read(port(3640));
        assertThat(d.listeners()).hasSize(1);
        Listener l = d.listeners().get(0);
        assertThat(l.transport()).isEqualTo(Transport.TCP);
        assertThat(l.local().address()).isEqualTo("::");
        assertThat(l.local().scope()).isEqualTo(BindScope.ALL);
        assertThat(l.local().dualStack()).isEqualTo(Endpoint.DualStack.LIKELY); // netstat says tcp46
        assertThat(l.user()).isEqualTo("alice");
        assertThat(l.uid()).isEqualTo(501);
        assertThat(l.namespace().current()).isTrue();
        ProcessInfo node = known(l.owners().get(0));
        assertThat(node.pid()).isEqualTo(4242);
        assertThat(node.name()).isEqualTo("node");
        assertThat(node.command()).isEqualTo("node server.js");
        assertThat(node.source().kind()).isEqualTo(Source.Kind.SHELL);
        assertThat(node.source().detail()).isEqualTo("interactive zsh on ttys001");
        assertThat(node.ancestry()).extracting(a -> a.pid()).containsExactly(1191, 1190, 1187, 1);
        assertThat(d.established()).isEqualTo(1); // [::1]:3640 <- [::1]:51240
        assertThat(d.coverage().ownersHidden()).isZero();
        assertThat(d.coverage().privileged()).isTrue();
    }

    @Test
    void aSocketSharedByNginxsMasterAndWorkerHasBothAndTheirLaunchdJob() {
        Discovery d = table(RecordedMac.root(), true).read(Query.ports(new PortRange(8080, 8080), Transport.TCP));
        assertThat(d.listeners()).extracting(l -> l.local().hostPort()).containsExactly("0.0.0.0:8080", "[::]:8080");
        for (Listener l : d.listeners()) {
            assertThat(l.owners()).extracting(o -> known(o).pid()).containsExactly(350, 351);
            ProcessInfo master = known(l.owners().get(0));
            ProcessInfo worker = known(l.owners().get(1));
            assertThat(master.name()).isEqualTo("nginx");
            assertThat(worker.name()).isEqualTo("nginx");
            assertThat(worker.user()).isEqualTo("_www");
            // named as launchctl names the service: the system domain's, as root
            assertThat(master.source())
                    .isEqualTo(new Source(
                            Source.Kind.LAUNCHD_JOB,
                            "system/homebrew.mxcl.nginx",
                            "launchd job system/homebrew.mxcl.nginx"));
            assertThat(worker.source().name()).isEqualTo("system/homebrew.mxcl.nginx");
            assertThat(worker.source().detail()).endsWith(", through its ancestor nginx (pid 350)");
        }
        // the IPv6 socket has an IPv4 twin: it is not dual-stack (netstat: tcp6)
        assertThat(d.listeners().get(1).local().dualStack()).isEqualTo(Endpoint.DualStack.NO);
    }

    @Test
    void launchdItselfHoldsSocketActivatedPorts() {
        Discovery d = table(RecordedMac.root(), true).read(Query.ports(new PortRange(631, 631), Transport.TCP));
        assertThat(d.listeners()).extracting(l -> l.local().scope()).containsOnly(BindScope.LOOPBACK);
        ProcessInfo launchd = known(d.listeners().get(0).owners().get(0));
        assertThat(launchd.pid()).isEqualTo(1);
        assertThat(launchd.source().kind()).isEqualTo(Source.Kind.INIT);
    }

    @Test
    void asAUserTheSocketsOfOtherUsersAreListedWithTheirOwnerHidden() {
        Discovery d = table(RecordedMac.alice(), false).read(Query.all());
        Listener ssh = d.listeners().stream()
                .filter(l -> l.local().port() == 22 && !l.local().ipv6())
                .findFirst()
                .orElseThrow();
        assertThat(ssh.owners())
                .containsExactly(
                        new Owner.Hidden("lsof shows only your own processes' sockets: run as root (sudo portlens …)"));
        assertThat(d.listeners())
                .filteredOn(l -> l.local().port() == 3640)
                .singleElement()
                .satisfies(l -> assertThat(known(l.owners().get(0)).pid()).isEqualTo(4242));
        assertThat(d.coverage().ownersHidden()).isPositive();
        assertThat(d.coverage().partial()).isTrue();
        assertThat(d.coverage().privileged()).isFalse();
        // Terminal is an app of alice's launchd domain: its processes name it when no shell does
        ProcessInfo control = d.listeners().stream()
                .filter(l -> l.local().port() == 7000)
                .map(l -> known(l.owners().get(0)))
                .findFirst()
                .orElseThrow();
        assertThat(control.source().name()).isEqualTo("com.apple.controlcenter");
    }

    @Test
    void asRootNoSocketIsHiddenAndEveryListenerHasAProcess() {
        Discovery d = table(RecordedMac.root(), true).read(Query.all());
        assertThat(d.listeners()).isNotEmpty();
        assertThat(d.listeners()).allSatisfy(l -> assertThat(l.owners()).allMatch(o -> o instanceof Owner.Known));
        assertThat(d.listeners())
                .extracting(l -> l.transport() + " " + l.local().hostPort())
                .contains(
                        "TCP [::]:3640",
                        "TCP 192.168.1.20:8443",
                        "UDP 0.0.0.0:5353",
                        "UDP [::]:5353",
                        "UDP [::]:57621");
        assertThat(d.listeners()).noneMatch(l -> l.local().port() == 61834); // a connected UDP socket
        // lsof's fe80:1::1 (the interface index inside) and netstat's fe80::1%lo0 are one socket, shown as netstat has
        // it
        assertThat(d.listeners())
                .filteredOn(l -> l.local().address().startsWith("fe80"))
                .extracting(l -> l.local().hostPort())
                .containsExactlyInAnyOrder("[fe80::1%lo0]:5353", "[fe80::1c2d:3e4f:5a6b:7c8d%en0]:1900");
    }

    @Test
    void withoutLsofEverySocketIsListedAndTheNoteSaysWhy() {
        RecordedMac mac = new RecordedMac(
                Map.of("netstat", "netstat-anl.txt", "ps-fields", "ps-fields.txt", "ps-args", "ps-args.txt"));
        Discovery d = table(mac, false).read(port(3640));
        assertThat(d.listeners())
                .singleElement()
                .satisfies(l ->
                        assertThat(l.owners()).containsExactly(new Owner.Hidden("lsof did not run: no owners read")));
        assertThat(d.coverage().notes())
                .contains("lsof: not found: owners not read", "launchctl: not found: launchd jobs not named");
    }

    @Test
    void asRootWithoutLsofNoSocketIsCalledTheKernels() {
        RecordedMac mac = new RecordedMac(
                Map.of("netstat", "netstat-anl.txt", "ps-fields", "ps-fields.txt", "ps-args", "ps-args.txt"));
        Discovery d = table(mac, true).read(port(8080));
        assertThat(d.listeners())
                .allSatisfy(l ->
                        assertThat(l.owners()).containsExactly(new Owner.Hidden("lsof did not run: no owners read")));
        assertThat(d.coverage().privileged()).isFalse();
    }

    @Test
    void anAppOpenedInTheSessionIsNotALaunchdJobThatWouldRestartIt() {
        Discovery d = table(RecordedMac.alice(), false).read(Query.ports(new PortRange(57621, 57621), Transport.TCP));
        ProcessInfo spotify = known(d.listeners().get(0).owners().get(0));
        assertThat(spotify.source().kind()).isEqualTo(Source.Kind.SESSION);
        assertThat(spotify.source().detail()).startsWith("an app opened in the user's session (application.");
    }

    @Test
    void theEphemeralRangeIsSysctls() {
        assertThat(table(RecordedMac.root(), true).ephemeralRange())
                .hasValueSatisfying(r -> assertThat(r.range()).isEqualTo(new PortRange(49152, 65535)));
        assertThat(table(new RecordedMac(Map.of()), true).ephemeralRange()).isEmpty();
    }

    @Test
    void theProcessTableReadsPsAndNamesChildren() {
        MacProcessTable t = new MacProcessTable(new MacTools(RecordedMac.root(), ZoneOffset.UTC), true);
        assertThat(t.process(4242))
                .hasValueSatisfying(p -> assertThat(p.source().kind()).isEqualTo(Source.Kind.SHELL));
        assertThat(t.process(99999)).isEmpty();
        assertThat(t.children(350)).extracting(c -> c.pid()).isEqualTo(List.of(351));
    }
}
