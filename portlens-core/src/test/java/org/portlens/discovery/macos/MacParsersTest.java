package org.portlens.discovery.macos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.command.ProcessRow;
import org.portlens.discovery.command.SocketRow;
import org.portlens.testkit.Fixtures;

/** The macOS parsers on the outputs in macos/ (README.md there says how each was made). */
class MacParsersTest {

    private static String fixture(String name) {
        return Fixtures.text("/org/portlens/discovery/macos/" + name);
    }

    private static String row(SocketRow s) {
        return s.transport() + " " + s.address() + " " + s.port() + (s.ipv6() ? " v6" : " v4") + " " + s.state()
                + " pid" + s.pid();
    }

    @Test
    void lsofAsRootListsEveryUsersSocketsWithTheirProcesses() {
        LsofFields.Result r = LsofFields.parse(fixture("lsof-root.bin"));
        assertThat(r.malformed()).isZero();
        assertThat(r.processes().get(312).login()).isEqualTo("_mdnsresponder");
        assertThat(r.processes().get(312).uid()).isEqualTo(65);
        assertThat(r.processes().get(6021).command()).isEqualTo("Google Chrome Helper");
        assertThat(r.processes().get(8088).command()).isEqualTo("Zürich-srv");
        assertThat(r.sockets())
                .extracting(MacParsersTest::row)
                .contains(
                        "TCP :: 3640 v6 LISTEN pid4242",
                        "TCP 0.0.0.0 8080 v4 LISTEN pid350",
                        "TCP 0.0.0.0 8080 v4 LISTEN pid351", // the worker shares the master's socket
                        "TCP 127.0.0.1 631 v4 LISTEN pid1",
                        "TCP ::1 631 v6 LISTEN pid1",
                        "TCP 192.168.1.20 8443 v4 LISTEN pid8088",
                        "UDP 0.0.0.0 5353 v4 UDP_OPEN pid312",
                        "UDP 192.168.1.20 61834 v4 UDP_CONNECTED pid312",
                        "UDP fe80:1::1 5353 v6 UDP_OPEN pid8088",
                        "TCP 127.0.0.1 3000 v6 ESTABLISHED pid5120"); // an IPv4 peer on a dual-stack socket
    }

    @Test
    void lsofInTheCLocaleEscapesNamesAndTheyAreReadBack() {
        LsofFields.Result r = LsofFields.parse(fixture("lsof-root-c-locale.bin"));
        assertThat(r.processes().get(8088).command()).isEqualTo("Zürich-srv");
        assertThat(LsofFields.parse(fixture("lsof-root.bin")).sockets()).isEqualTo(r.sockets());
    }

    @Test
    void lsofAsAUserListsOnlyItsProcesses() {
        LsofFields.Result r = LsofFields.parse(fixture("lsof-user.bin"));
        assertThat(r.processes().values()).allMatch(p -> p.uid() == 501);
        assertThat(r.sockets()).noneMatch(s -> s.port() == 22 || s.port() == 8080);
    }

    @Test
    void garbledLsofOutputIsCountedAndTheFilesOfABadProcessAreNotGivenToAnother() {
        LsofFields.Result r = LsofFields.parse(fixture("lsof-garbled.bin"));
        assertThat(r.sockets())
                .extracting(MacParsersTest::row)
                .contains("TCP :: 3640 v6 LISTEN pid4242", "TCP :: 3000 v6 LISTEN pid5120")
                .doesNotContain("TCP 127.0.0.1 7777 v4 LISTEN pid4242", "TCP 0.0.0.0 9999 v4 LISTEN pid4242")
                .noneMatch(s -> s.contains(" 7777 ") || s.contains(" 8443 "));
        assertThat(r.malformed()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void bsdNetstatListsEverySocketWithItsFamilyAndPassesOverOtherSections() {
        BsdNetstat.Result r = BsdNetstat.parse(fixture("netstat-anl.txt"));
        assertThat(r.malformed()).isZero();
        assertThat(r.sockets())
                .extracting(s -> row(s) + " " + s.dualStack())
                .contains(
                        "TCP :: 3640 v6 LISTEN pid-1 YES", // tcp46
                        "TCP :: 8080 v6 LISTEN pid-1 NO", // tcp6
                        "TCP 0.0.0.0 8080 v4 LISTEN pid-1 UNKNOWN",
                        "TCP 127.0.0.1 3000 v4 ESTABLISHED pid-1 UNKNOWN",
                        "TCP 127.0.0.1 3000 v4 OTHER pid-1 UNKNOWN", // TIME_WAIT
                        "UDP fe80::1%lo0 5353 v6 UDP_OPEN pid-1 NO",
                        "UDP fe80::1c2d:3e4f:5a6b:7c8d%en0 1900 v6 UDP_OPEN pid-1 NO",
                        "UDP :: 57621 v6 UDP_OPEN pid-1 YES",
                        "UDP 192.168.1.20 60193 v4 UDP_CONNECTED pid-1 UNKNOWN");
        assertThat(r.sockets()).noneMatch(s -> s.address().contains("mDNSResponder"));
        // every socket lsof saw as root is in netstat's list
        assertThat(r.sockets())
                .extracting(s -> s.transport() + "/" + s.port())
                .containsAll(LsofFields.parse(fixture("lsof-root.bin")).sockets().stream()
                        .map(s -> s.transport() + "/" + s.port())
                        .toList());
    }

    @Test
    void bsdNetstatWithoutLCutsLongIpv6AddressesAndTheyStayAsPrinted() {
        BsdNetstat.Result r = BsdNetstat.parse(fixture("netstat-an.txt"));
        assertThat(r.sockets()).extracting(MacParsersTest::row).contains("UDP fe80::1c2d:3e4f: 1900 v6 UDP_OPEN pid-1");
    }

    @Test
    void psGivesPathsCommandLinesUsersTerminalsAndStartTimes() {
        PsOutput.Result r = PsOutput.parse(fixture("ps-fields.txt"), fixture("ps-args.txt"), ZoneOffset.UTC);
        assertThat(r.malformed()).isZero();
        Map<Integer, ProcessRow> ps = r.processes();
        ProcessRow code = ps.get(4711);
        assertThat(code.name()).isEqualTo("Code Helper");
        assertThat(code.executable())
                .isEqualTo(
                        "/Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper.app/Contents/MacOS/Code Helper");
        assertThat(code.commandLine()).first().isEqualTo(code.executable());
        assertThat(code.commandLine()).contains("--type=utility");
        ProcessRow node = ps.get(4242);
        assertThat(node.name()).isEqualTo("node");
        assertThat(node.executable()).isNull(); // argv[0] as typed, not a path
        assertThat(node.commandLine()).containsExactly("node", "server.js");
        assertThat(node.terminal()).isEqualTo("ttys001");
        assertThat(node.user()).isEqualTo("alice");
        assertThat(node.uid()).isEqualTo(501);
        assertThat(node.ppid()).isEqualTo(1191);
        assertThat(node.startTime()).isEqualTo(Instant.parse("2026-12-02T06:32:04Z"));
        assertThat(ps.get(350).name()).isEqualTo("nginx");
        assertThat(ps.get(1191).name()).isEqualTo("-zsh");
        assertThat(ps.get(1).terminal()).isEmpty();
        assertThat(ps.get(8088).commandLine())
                .containsExactly("/Users/alice/Tools/Zürich-srv", "--config", "/Users/alice/Tools/zürich.toml");
        assertThat(ps.get(1).startTime()).isEqualTo(Instant.parse("2026-11-30T08:12:31Z"));
    }

    @Test
    void psStartTimesAreInTheMacsZone() {
        PsOutput.Result r = PsOutput.parse(fixture("ps-fields.txt"), fixture("ps-args.txt"), ZoneOffset.ofHours(1));
        assertThat(r.processes().get(4242).startTime()).isEqualTo(Instant.parse("2026-12-02T05:32:04Z"));
    }

    @Test
    void psLinesThatDoNotParseAreCounted() {
        PsOutput.Result r = PsOutput.parse(
                "  12     1     0 root ?? Wed Dec  2 06:32:04 2026 /bin/x\n  13 garbage\n",
                "  12 /bin/x -v\nnot a pid\n",
                ZoneOffset.UTC);
        assertThat(r.processes()).containsOnlyKeys(12);
        assertThat(r.malformed()).isEqualTo(2);
        assertThat(r.processes().get(12).commandLine()).isEqualTo(List.of("/bin/x", "-v"));
    }

    @Test
    void launchctlNamesTheJobsThatRun() {
        Map<Integer, String> jobs = Launchctl.labels(fixture("launchctl-list.txt"));
        assertThat(jobs).containsEntry(350, "homebrew.mxcl.nginx").containsEntry(312, "com.apple.mDNSResponder");
        assertThat(jobs).doesNotContainValue("com.apple.periodic-daily"); // not running: pid "-"
        assertThat(Launchctl.labels(fixture("launchctl-list-user.txt")))
                .containsEntry(1187, "application.com.apple.Terminal.3224066.3224072");
    }
}
