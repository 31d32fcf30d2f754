package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.model.BindScope;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;
import org.portlens.store.HistoryStore;
import org.portlens.watch.WatchEvent;
import org.portlens.web.json.Json;

/** {@code portlens history}: on a SQLite history the test writes through the store's own API. */
class HistoryCommandTest {

    static final Instant T0 = Instant.parse("2026-12-01T14:03:00Z");

    @TempDir
    Path dataDir;

    static ProcessInfo process(int pid, String name, String exe) {
        return new ProcessInfo(
                pid,
                1,
                name,
                exe,
                List.of(exe),
                0,
                "root",
                T0.minusSeconds(60),
                "/",
                List.of(),
                new Source(Source.Kind.SYSTEMD_UNIT, name + ".service", "systemd unit " + name + ".service"),
                "",
                List.of());
    }

    static Listener listener(int port, long inode, ProcessInfo p) {
        return new Listener(
                Transport.TCP,
                new Endpoint("0.0.0.0", port, false, BindScope.ALL, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                0,
                "root",
                inode,
                new NetNamespace(4026531840L, "", true),
                List.of(new Owner.Known(p, 3)));
    }

    static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    void writeHistory(String host) {
        ProcessInfo nginx = process(812, "nginx", "/usr/sbin/nginx");
        ProcessInfo caddy = process(900, "caddy", "/usr/bin/caddy");
        try (HistoryStore s = HistoryStore.open(null, dataDir, host)) {
            s.record(List.of(new WatchEvent.Opened(at(0), listener(8080, 1, nginx))));
            s.record(List.of(new WatchEvent.OwnerChanged(at(10), listener(8080, 1, caddy), listener(8080, 1, nginx))));
            s.record(List.of(new WatchEvent.Closed(at(20), listener(8080, 1, caddy))));
            s.record(List.of(new WatchEvent.Opened(at(30), listener(8080, 2, caddy))));
        }
    }

    CliRun history(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "history";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data-dir";
        all[args.length + 2] = dataDir.toString();
        return CliRun.of(all);
    }

    @Test
    void withoutAHistorySaysSoAndCreatesNothing() throws Exception {
        Path dir = dataDir.resolve("none");
        CliRun r = CliRun.of("history", "8080", "--data-dir", dir.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .startsWith("No history yet (" + dir.resolve("history.db") + " holds none): run portlens watch");
        assertThat(dir).doesNotExist();
    }

    @Test
    void tellsSinceWhenItIsOpenWhoHeldItBeforeAndWhenItClosed() {
        writeHistory(HistoryStore.localHost());
        CliRun r = history("8080", "--no-color");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).startsWith("Port 8080 on " + HistoryStore.localHost() + ": watched from ");
        assertThat(r.out())
                .contains("2026-12-01 14:03:00 UTC  tcp 0.0.0.0:8080  opened, held by nginx (pid 812, /usr/sbin/nginx,"
                        + " user root, systemd unit nginx.service)")
                .contains("2026-12-01 14:13:00 UTC  tcp 0.0.0.0:8080  now held by caddy (pid 900, /usr/bin/caddy,"
                        + " user root, systemd unit caddy.service); before by nginx (pid 812, /usr/sbin/nginx)")
                .contains(
                        "2026-12-01 14:23:00 UTC  tcp 0.0.0.0:8080  closed (at or before this time), last held by caddy")
                .contains("tcp 0.0.0.0:8080  open since 2026-12-01 14:33:00 UTC, held by caddy (pid 900");
        assertThat(r.out().indexOf("14:03:00")).isLessThan(r.out().indexOf("14:33:00"));
    }

    @Test
    void escapesProcessNamesForTheTerminal() {
        ProcessInfo evil = process(66, "ev\u001b[2Jil", "/tmp/\u001b]0;title\u0007x");
        try (HistoryStore s = HistoryStore.open(null, dataDir, HistoryStore.localHost())) {
            s.record(List.of(new WatchEvent.Opened(at(0), listener(6666, 1, evil))));
        }
        CliRun r = history("6666", "--no-color");
        assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u0007").contains("ev\\x1b[2Jil");
    }

    @Test
    void jsonCarriesEveryEvent() throws Exception {
        writeHistory(HistoryStore.localHost());
        CliRun r = history("8080/tcp", "--json");
        assertThat(r.code()).isZero();
        JsonNode n = Json.MAPPER.readTree(r.out());
        assertThat(n.get("kind").asText()).isEqualTo("history");
        assertThat(n.get("transport").asText()).isEqualTo("tcp");
        assertThat(n.get("events")).hasSize(4);
        JsonNode change = n.get("events").get(1);
        assertThat(change.get("kind").asText()).isEqualTo("owner-changed");
        assertThat(change.get("owner").get("pid").asInt()).isEqualTo(900);
        assertThat(change.get("owner").get("source").get("kind").asText()).isEqualTo("systemd-unit");
        assertThat(change.get("before").get("name").asText()).isEqualTo("nginx");
        assertThat(n.get("watched")).hasSize(1);
    }

    @Test
    void otherHostsAndAllHosts() {
        writeHistory("elsewhere");
        assertThat(history("8080").out()).contains("nothing was seen listening on it");
        assertThat(history("8080", "--host", "elsewhere").out()).contains("Port 8080 on elsewhere: watched from");
        assertThat(history("8080", "--all-hosts").out())
                .contains("Port 8080 on all hosts")
                .contains("opened, held by");
        CliRun both = history("8080", "--host", "x", "--all-hosts");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--host and --all-hosts are two choices: give one");
    }

    @Test
    void sinceUntilAndLimit() {
        writeHistory(HistoryStore.localHost());
        String out = history("8080", "--since", "2026-12-01T14:10Z", "--until", "2026-12-01T14:25Z")
                .out();
        assertThat(out)
                .contains("14:13:00")
                .contains("14:23:00")
                .doesNotContain("14:03:00")
                .doesNotContain("14:33:00");
        String limited = history("8080", "--limit", "1").out();
        assertThat(limited)
                .contains("older events left out")
                .contains("14:33:00")
                .doesNotContain("14:23:00");
    }

    @Test
    void aBadTimeIsOneLineNamingItAndTheAcceptedForms() {
        CliRun r = history("8080", "--since", "yesterday");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .isEqualTo("portlens: --since: cannot read 'yesterday' as a time: give 2026-12-01T14:00 (local time,"
                        + " or with Z or +01:00), 2026-12-01, or an age such as 30m, 2h, 3d or 1w (that long ago)\n");
    }

    @Test
    void aBadUrlIsExitTwoAndADamagedFileExitFour() throws Exception {
        CliRun bad = history("8080", "--db", "jdbc:mysql://db/x");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unsupported history database URL 'jdbc:mysql://db/x'");
        Files.write(dataDir.resolve("history.db"), new byte[4096]);
        Files.writeString(dataDir.resolve("history.db"), "this is not a database, just text long enough to look");
        CliRun corrupt = history("8080");
        assertThat(corrupt.code()).isEqualTo(4);
        assertThat(corrupt.err())
                .startsWith("portlens: history database " + dataDir.resolve("history.db") + " is damaged")
                .doesNotContain("internal error");
    }

    @Test
    void aNewerSchemaIsExitFour() throws Exception {
        writeHistory(HistoryStore.localHost());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("history.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO schema_version (version, applied_at) VALUES (7, 0)");
        }
        CliRun r = history("8080");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("has schema version 7; this portlens knows up to 1: upgrade portlens");
    }

    @Test
    void aRangeOrANameIsRefused() {
        assertThat(history("8080-8090").err()).contains("history takes one port, not a range");
        assertThat(history("http").err()).contains("history takes a port number");
    }

    @Test
    void timesInEveryAcceptedForm() {
        Instant now = Instant.parse("2026-12-01T16:00:00Z");
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertThat(TimeArg.parse("--since", "2h", now, paris)).isEqualTo(Instant.parse("2026-12-01T14:00:00Z"));
        assertThat(TimeArg.parse("--since", "3d", now, paris)).isEqualTo(Instant.parse("2026-11-28T16:00:00Z"));
        assertThat(TimeArg.parse("--since", "30m", now, paris)).isEqualTo(Instant.parse("2026-12-01T15:30:00Z"));
        assertThat(TimeArg.parse("--since", "2026-12-01", now, paris)).isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
        assertThat(TimeArg.parse("--since", "2026-12-01T14:00", now, paris))
                .isEqualTo(Instant.parse("2026-12-01T13:00:00Z"));
        assertThat(TimeArg.parse("--since", "2026-12-01 14:00:30", now, paris))
                .isEqualTo(Instant.parse("2026-12-01T13:00:30Z"));
        assertThat(TimeArg.parse("--since", "2026-12-01T14:00Z", now, paris))
                .isEqualTo(Instant.parse("2026-12-01T14:00:00Z"));
        assertThat(TimeArg.parse("--since", "2026-12-01T14:00+02:00", now, paris))
                .isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));
        assertThatThrownBy(() -> TimeArg.parse("--until", "2026-13-01", now, paris))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("--until: cannot read '2026-13-01' as a time");
    }
}
