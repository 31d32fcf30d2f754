package org.portlens.discovery.windows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.model.BindScope;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;

/** The whole Windows reader on a recorded host: what it runs, and the listeners it makes of the answers. */
class WindowsSocketTableTest {

    private static final Map<String, String> ADMIN = Map.of("powershell.exe", "powershell-admin.json");

    private static Discovery read(RecordedWindows host, int port) {
        return new WindowsSocketTable(new WindowsTools(host)).read(Query.ports(new PortRange(port, port)));
    }

    private static ProcessInfo known(Listener l) {
        assertThat(l.owners().get(0)).isInstanceOf(Owner.Known.class);
        return ((Owner.Known) l.owners().get(0)).process();
    }

    @Test
    void onePowerShellRunAnswersAndNodeIsFoundFromCmdInTheDesktopSession() {
        RecordedWindows host = new RecordedWindows(ADMIN);
        Discovery d = read(host, 3640);
        assertThat(host.ran).hasSize(1);
        assertThat(host.ran.get(0)).startsWith("powershell.exe", "-NoProfile", "-NonInteractive", "-EncodedCommand");
        assertThat(d.listeners()).extracting(l -> l.local().hostPort()).containsExactly("127.0.0.1:3640", "[::1]:3640");
        Listener l = d.listeners().get(0);
        assertThat(l.local().scope()).isEqualTo(BindScope.LOOPBACK);
        assertThat(l.user()).isEqualTo("DESKTOP-1\\alice");
        ProcessInfo node = known(l);
        assertThat(node.pid()).isEqualTo(4242);
        assertThat(node.command()).isEqualTo("C:\\Program Files\\nodejs\\node.exe server.js");
        assertThat(node.source().kind()).isEqualTo(Source.Kind.SHELL);
        assertThat(node.source().detail()).isEqualTo("interactive cmd in session 1 (cmd.exe, pid 7316)");
        assertThat(node.ancestry()).extracting(a -> a.name()).startsWith("cmd.exe", "explorer.exe");
        assertThat(d.established()).isEqualTo(2);
        assertThat(d.coverage().privileged()).isTrue();
        assertThat(d.coverage().notes()).isEmpty();
    }

    @Test
    void theScriptIsGivenThePortsAskedAbout() {
        String script = WindowsTools.script(new PortRange(3640, 3650));
        assertThat(script).contains("$low = 3640", "$high = 3650").doesNotContain("@LOW@", "@HIGH@");
    }

    @Test
    void servicesAndTheKernelAreTheSources() {
        ProcessInfo rpc =
                known(read(new RecordedWindows(ADMIN), 135).listeners().get(0));
        assertThat(rpc.source().kind()).isEqualTo(Source.Kind.WINDOWS_SERVICE);
        assertThat(rpc.source().detail()).isEqualTo("Windows services RpcEptMapper, RpcSs (one shared process)");
        ProcessInfo system =
                known(read(new RecordedWindows(ADMIN), 445).listeners().get(0));
        assertThat(system.pid()).isEqualTo(4);
        assertThat(system.source().kind()).isEqualTo(Source.Kind.KERNEL);
        assertThat(system.source().detail()).contains("http.sys");
        ProcessInfo dns =
                known(read(new RecordedWindows(ADMIN), 5355).listeners().get(0));
        assertThat(dns.source().name()).isEqualTo("Dnscache");
    }

    @Test
    void asAStandardUserEveryOwnerIsKnownButOtherUsersCommandLinesAreHidden() {
        Discovery d = read(new RecordedWindows(Map.of("powershell.exe", "powershell-user.json")), 135);
        ProcessInfo rpc = known(d.listeners().get(0));
        assertThat(rpc.pid()).isEqualTo(1052);
        assertThat(rpc.unreadable()).isNotEmpty();
        assertThat(d.coverage().privileged()).isFalse();
        assertThat(d.coverage().ownersHidden()).isZero();
        assertThat(d.coverage().notes()).anyMatch(n -> n.contains("run as Administrator"));
    }

    @Test
    void withoutPowerShellNetstatAndTasklistStandIn() {
        RecordedWindows host = new RecordedWindows(Map.of(
                "netstat",
                "netstat-ano-de.txt",
                "tasklist",
                "tasklist-v-de.csv",
                "tasklist-svc",
                "tasklist-svc-en.csv"));
        Discovery d = read(host, 3640);
        assertThat(host.ran)
                .extracting(a -> a.get(0))
                .containsExactly("powershell.exe", "pwsh.exe", "netstat", "tasklist", "tasklist");
        assertThat(d.listeners()).extracting(l -> l.local().hostPort()).containsExactly("127.0.0.1:3640", "[::1]:3640");
        ProcessInfo node = known(d.listeners().get(0));
        assertThat(node.name()).isEqualTo("node.exe");
        assertThat(node.unreadable()).anyMatch(u -> u.contains("tasklist does not show them"));
        assertThat(d.established()).isEqualTo(2); // HERGESTELLT
        assertThat(d.coverage().notes())
                .anyMatch(n -> n.startsWith("PowerShell: pwsh.exe: not found; read with netstat -ano and tasklist"));
        ProcessInfo rpc = known(read(host, 135).listeners().get(0));
        assertThat(rpc.source().name()).isEqualTo("RpcEptMapper,RpcSs"); // one process, two services
    }

    @Test
    void aPartPowerShellCouldNotGiveIsReadTheOlderWay() {
        RecordedWindows host = new RecordedWindows(
                Map.of("powershell.exe", "powershell-partial.json", "netstat", "netstat-ano-en.txt"));
        Discovery d = read(host, 3640);
        assertThat(host.ran).extracting(a -> a.get(0)).containsExactly("powershell.exe", "netstat");
        assertThat(d.listeners()).hasSize(2);
        assertThat(known(d.listeners().get(0)).commandLine()).isNotEmpty(); // processes still from PowerShell
        assertThat(d.coverage().notes())
                .anyMatch(n -> n.startsWith("PowerShell could not read tcp (The term 'Get-NetTCPConnection'")
                        && n.endsWith("read with netstat -ano"));
    }

    @Test
    void outputThatIsNoJsonFallsBackWithAReason() {
        RecordedWindows host = new RecordedWindows(
                Map.of("powershell.exe", "=Set-ExecutionPolicy : Access denied", "netstat", "netstat-ano-it.txt"));
        Discovery d = read(host, 3640);
        assertThat(d.listeners()).hasSize(2);
        assertThat(d.coverage().notes()).anyMatch(n -> n.startsWith("PowerShell: powershell.exe printed no JSON"));
        assertThat(d.listeners().get(0).owners().get(0)).isInstanceOf(Owner.Gone.class); // tasklist missing too
    }

    @Test
    void udpEndpointsAreListenersAndTheEphemeralRangeIsNetshs() {
        Discovery d = new WindowsSocketTable(new WindowsTools(new RecordedWindows(ADMIN)))
                .read(Query.ports(new PortRange(1900, 1900), Transport.UDP));
        assertThat(d.listeners())
                .extracting(l -> l.local().hostPort())
                .contains("127.0.0.1:1900", "[fe80::1c2d:3e4f:5a6b:7c8d%13]:1900");
        RecordedWindows netsh =
                new RecordedWindows(Map.of("netsh", "=Start Port      : 49152\r\nNumber of Ports : 16384\r\n"));
        assertThat(new WindowsSocketTable(new WindowsTools(netsh)).ephemeralRange())
                .hasValueSatisfying(r -> assertThat(r.range()).isEqualTo(new PortRange(49152, 65535)));
    }

    @Test
    void theProcessTableReadsTheSameRun() {
        WindowsProcessTable t = new WindowsProcessTable(new WindowsTools(new RecordedWindows(ADMIN)));
        assertThat(t.process(4242)).hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("node.exe"));
        assertThat(t.process(1)).isEmpty();
        assertThat(t.children(7316)).extracting(c -> c.pid()).contains(4242, 7340);
    }
}
