package org.portlens.discovery.windows;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portlens.discovery.command.ProcessRow;
import org.portlens.discovery.command.SocketRow;
import org.portlens.model.PortRange;
import org.portlens.testkit.Fixtures;

/** The Windows parsers on the outputs in windows/ (README.md there says how each was made). */
class WindowsParsersTest {

    private static String fixture(String name) {
        return Fixtures.text("/org/portlens/discovery/windows/" + name);
    }

    private static String row(SocketRow s) {
        return s.transport() + " " + s.address() + " " + s.port() + (s.ipv6() ? " v6" : " v4") + " " + s.state()
                + " pid" + s.pid();
    }

    @ParameterizedTest
    @ValueSource(strings = {"netstat-ano-en.txt", "netstat-ano-de.txt", "netstat-ano-it.txt"})
    void netstatIsReadTheSameInEnglishGermanAndItalian(String file) {
        NetstatAno.Result r = NetstatAno.parse(fixture(file));
        assertThat(r.malformed()).isZero();
        assertThat(r.unknownStates()).isEmpty();
        assertThat(r.sockets())
                .isEqualTo(NetstatAno.parse(fixture("netstat-ano-en.txt")).sockets());
        assertThat(r.sockets())
                .extracting(WindowsParsersTest::row)
                .contains(
                        "TCP 0.0.0.0 135 v4 LISTEN pid1052",
                        "TCP :: 135 v6 LISTEN pid1052",
                        "TCP 127.0.0.1 3640 v4 LISTEN pid4242",
                        "TCP ::1 3640 v6 LISTEN pid4242",
                        "TCP 192.168.1.20 139 v4 LISTEN pid4",
                        "TCP 127.0.0.1 3640 v4 ESTABLISHED pid4242",
                        "TCP 127.0.0.1 51230 v4 OTHER pid0", // TIME_WAIT, WARTEND
                        "UDP 0.0.0.0 5353 v4 UDP_OPEN pid2468",
                        "UDP fe80::1c2d:3e4f:5a6b:7c8d%13 1900 v6 UDP_OPEN pid3908");
    }

    @Test
    void aStateWordNotKnownIsNamedAndNotCountedAsEstablished() {
        NetstatAno.Result r = NetstatAno.parse("  TCP    127.0.0.1:3640   127.0.0.1:51234   ÉTABLIE   4242\r\n");
        assertThat(r.sockets())
                .extracting(WindowsParsersTest::row)
                .containsExactly("TCP 127.0.0.1 3640 v4 OTHER pid4242");
        assertThat(r.unknownStates()).containsExactly("ÉTABLIE");
    }

    @Test
    void garbledNetstatLinesAreCountedAndOtherProtocolsPassedOver() {
        NetstatAno.Result r = NetstatAno.parse(fixture("netstat-ano-garbled.txt"));
        assertThat(r.sockets()).extracting(WindowsParsersTest::row).contains("TCP 127.0.0.1 3640 v4 LISTEN pid4242");
        assertThat(r.sockets()).noneMatch(s -> s.port() == 8080 || s.port() == 9899);
        assertThat(r.malformed()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void powerShellAsAdministratorGivesEveryPart() throws Exception {
        PowerShellOutput.Result r = PowerShellOutput.parse(fixture("powershell-admin.json"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.admin()).isTrue();
        assertThat(r.tcp())
                .extracting(WindowsParsersTest::row)
                .contains("TCP ::1 3640 v6 LISTEN pid4242", "TCP 127.0.0.1 3640 v4 ESTABLISHED pid4242");
        assertThat(r.udp())
                .extracting(WindowsParsersTest::row)
                .contains("UDP fe80::1c2d:3e4f:5a6b:7c8d%13 1900 v6 UDP_OPEN pid3908");
        ProcessRow node = r.processes().get(4242);
        assertThat(node.name()).isEqualTo("node.exe");
        assertThat(node.executable()).isEqualTo("C:\\Program Files\\nodejs\\node.exe");
        assertThat(node.commandLine()).containsExactly("C:\\Program Files\\nodejs\\node.exe", "server.js");
        assertThat(node.ppid()).isEqualTo(7316);
        assertThat(node.user()).isEqualTo("DESKTOP-1\\alice");
        assertThat(node.uid()).isEqualTo(-1);
        assertThat(node.terminal()).isEqualTo("session 1");
        assertThat(node.startTime()).isNotNull();
        assertThat(node.unreadable()).isEmpty();
        ProcessRow unicode = r.processes().get(5520);
        assertThat(unicode.name()).isEqualTo("ünïcode srv.exe");
        assertThat(r.services()).extracting(s -> s.pid() + " " + s.name()).contains("1052 RpcSs", "1052 RpcEptMapper");
    }

    @Test
    void powerShellAsAUserHidesOtherUsersCommandLinesAndSaysSo() throws Exception {
        PowerShellOutput.Result r = PowerShellOutput.parse(fixture("powershell-user.json")); // with a BOM
        assertThat(r.admin()).isFalse();
        ProcessRow svchost = r.processes().get(1052);
        assertThat(svchost.commandLine()).isEmpty();
        assertThat(svchost.unreadable()).containsExactly("command line: not shown to this user: run as Administrator");
        assertThat(r.processes().get(4242).commandLine()).isNotEmpty();
        assertThat(r.processes().get(1052).user()).isEmpty(); // GetOwner refused
    }

    @Test
    void linesBeforeTheJsonArePassedOver() throws Exception {
        String warned = "WARNING: a profile said something\r\n" + fixture("powershell-admin.json");
        assertThat(PowerShellOutput.parse(warned).tcp())
                .isEqualTo(
                        PowerShellOutput.parse(fixture("powershell-admin.json")).tcp());
    }

    @Test
    void aPartThatFailedIsNamedAndLeftForTheFallback() throws Exception {
        PowerShellOutput.Result r = PowerShellOutput.parse(fixture("powershell-partial.json"));
        assertThat(r.tcp()).isNull();
        assertThat(r.udp()).isNotNull();
        assertThat(r.errors()).containsKey("tcp");
        assertThat(r.errors().get("tcp")).startsWith("The term 'Get-NetTCPConnection' is not recognized");
    }

    @ParameterizedTest
    @ValueSource(strings = {"powershell-single.json"})
    void aHandRunConvertToJsonOfOneRowIsAnObjectWithANumericState(String file) throws Exception {
        PowerShellOutput.Result r = PowerShellOutput.parse(fixture(file));
        assertThat(r.tcp()).extracting(WindowsParsersTest::row).containsExactly("TCP 127.0.0.1 3640 v4 LISTEN pid4242");
        assertThat(r.processes()).isNull();
    }

    @Test
    void creationDatesAreReadWithTheirOffset() {
        assertThat(PowerShellOutput.start("2026-12-02T06:32:04.1234560Z"))
                .isEqualTo(Instant.parse("2026-12-02T06:32:04.123456Z"));
        assertThat(PowerShellOutput.start("2026-12-02T07:32:04+01:00"))
                .isEqualTo(Instant.parse("2026-12-02T06:32:04Z"));
        assertThat(PowerShellOutput.start("/Date(1764657124000)/")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tasklist-v-en.csv", "tasklist-v-de.csv"})
    void tasklistIsReadByColumnPositionInAnyLanguage(String file) {
        Tasklist.Processes t = Tasklist.processes(fixture(file));
        assertThat(t.malformed()).isZero();
        assertThat(t.processes().get(4242).name()).isEqualTo("node.exe");
        assertThat(t.processes().get(4242).terminal()).isEqualTo("session 1");
        assertThat(t.processes().get(4242).user()).isEqualTo("DESKTOP-1\\alice");
        assertThat(t.processes().get(4242).unreadable()).anyMatch(u -> u.contains("tasklist does not show them"));
        assertThat(t.processes()).containsKeys(0, 4, 1052, 5520);
    }

    @Test
    void tasklistNamesNoUserItMayNotSee() {
        Tasklist.Processes t = Tasklist.processes(fixture("tasklist-v-en.csv")); // not elevated
        ProcessRow svchost = t.processes().get(1052);
        assertThat(svchost.user()).isEmpty();
        assertThat(svchost.unreadable()).anyMatch(u -> u.startsWith("user: not shown"));
    }

    @Test
    void tasklistServicesAreSplitAndNoneIsNone() {
        List<Service> s = Tasklist.services(fixture("tasklist-svc-en.csv"));
        assertThat(s)
                .extracting(x -> x.pid() + " " + x.name())
                .contains("1052 RpcEptMapper", "1052 RpcSs", "2468 Dnscache");
        assertThat(s).noneMatch(x -> x.name().equals("N/A"));
        assertThat(Tasklist.services("\"svchost.exe\",\"1052\",\"Nicht zutreffend\"\r\n"))
                .isEmpty();
    }

    @Test
    void csvQuotesAndACutRowAreRead() {
        assertThat(Tasklist.rows("\"a \"\"b\"\"\",\"1\"\r\n\"c\",\"2"))
                .containsExactly(List.of("a \"b\"", "1"), List.of("c", "2"));
    }

    @Test
    void netshsDynamicPortRangeInAnyLanguage() {
        assertThat(WindowsTools.dynamicPorts(
                        "\r\nProtocol tcp Dynamic Port Range\r\n---------------------------------\r\n"
                                + "Start Port      : 49152\r\nNumber of Ports : 16384\r\n"))
                .isEqualTo(new PortRange(49152, 65535));
        assertThat(WindowsTools.dynamicPorts("Startport       : 1025\r\nAnzahl der Ports: 3976\r\n"))
                .isEqualTo(new PortRange(1025, 5000));
        assertThat(WindowsTools.dynamicPorts("garbage")).isNull();
    }
}
