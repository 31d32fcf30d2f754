package org.portlens.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a writer in the middle of its writes: the database opens intact and holds every event the
 * writer reported committed (WAL with synchronous=NORMAL loses nothing committed when only the process
 * dies).
 */
class KillDuringWriteIT {

    @TempDir
    Path dataDir;

    @Test
    void aWriterKilledMidWriteLosesNoCommittedEvent() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        HistoryWriterMain.class.getName(),
                        dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long reported = 0;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while ((line = out.readLine()) != null) {
                reported = Long.parseLong(line.substring("committed ".length()));
                if (reported >= 3000 || System.nanoTime() > deadline) {
                    break;
                }
            }
            assertThat(reported).as("the writer wrote before it was killed").isGreaterThanOrEqualTo(300);
            // SIGKILL, mid-write (it writes without pause); by kill(1), since Process.destroyForcibly also
            // closes the pipe this test still reads the last lines from
            new ProcessBuilder("kill", "-KILL", Long.toString(child.pid()))
                    .inheritIO()
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(137);
            // what it printed before dying was committed too
            while ((line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    reported = Long.parseLong(line.substring("committed ".length()));
                }
            }
        } finally {
            child.destroyForcibly();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + HistoryStore.sqliteFile(dataDir));
                Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                r.next();
                assertThat(r.getString(1)).isEqualTo("ok");
            }
            try (ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT at) FROM event")) {
                r.next();
                long events = r.getLong(1);
                assertThat(events).isBetween(reported, reported + 3);
                assertThat(events % 3).as("whole calls only").isZero();
                assertThat(r.getLong(2)).isEqualTo(events / 3);
            }
        }
        // and a writer starts again on it
        try (HistoryStore s = HistoryStore.open(null, dataDir, "killed")) {
            assertThat(s.history(HistoryQuery.port(1)).events()).isNotEmpty();
        }
    }
}
