package org.portlens.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portlens.store.Events.listener;
import static org.portlens.store.Events.opened;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.store.StoreException.Reason;
import org.portlens.testkit.Needs;

/** The history store on SQLite: the shared contract, and what only a file can do wrong. */
class SqliteHistoryStoreTest extends HistoryStoreContract {

    @TempDir
    Path tmp;

    Path dataDir;

    @BeforeEach
    void makeDataDir() {
        dataDir = tmp.resolve("data").resolve("portlens");
    }

    @Override
    Path dataDir() {
        return dataDir;
    }

    Path file() {
        return HistoryStore.sqliteFile(dataDir);
    }

    @Override
    Backend backend() {
        return new Backend() {
            @Override
            public HistoryStore open(String host, HistoryStore.Options options) {
                return HistoryStore.open(null, dataDir, host, options);
            }

            @Override
            public Optional<HistoryStore> openReadOnly(String host) {
                return HistoryStore.openReadOnly(null, dataDir, host);
            }

            @Override
            public Connection connect() throws SQLException {
                return DriverManager.getConnection("jdbc:sqlite:" + file());
            }

            @Override
            public void failInsertsOnPort(int port) throws SQLException {
                try (Connection c = connect();
                        Statement s = c.createStatement()) {
                    s.executeUpdate("CREATE TRIGGER fail_" + port + " BEFORE INSERT ON event WHEN NEW.port = " + port
                            + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
                }
            }
        };
    }

    @Test
    void createsAPrivateDirectoryAndFileInWalMode() throws Exception {
        writer(HOST).close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
                .isEqualTo("rw-------");
        try (Connection c = backend().connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void aReaderNeverCreatesTheFile() {
        assertThat(HistoryStore.exists(dataDir)).isFalse();
        assertThat(HistoryStore.openReadOnly(null, dataDir, HOST)).isEmpty();
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aCorruptFileIsNamedAndLeftAsItIs() throws Exception {
        Files.createDirectories(dataDir);
        byte[] garbage = new byte[8192];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        Files.write(file(), garbage);
        for (Runnable open :
                List.<Runnable>of(() -> writer(HOST), () -> HistoryStore.openReadOnly(null, dataDir, HOST))) {
            assertThatThrownBy(open::run)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(file().toString())
                    .hasMessageContaining("left as it is")
                    .extracting(e -> ((StoreException) e).reason())
                    .isEqualTo(Reason.CORRUPT);
            assertThat(Files.readAllBytes(file())).isEqualTo(garbage);
        }
        assertThat(Files.exists(dataDir.resolve(HistoryStore.FILE_NAME + "-wal")))
                .isFalse();
    }

    @Test
    void aLockedDatabaseIsLockedAfterTheBusyTimeout() throws Exception {
        HistoryStore.Options quick = OPTIONS.withBusyTimeout(Duration.ofMillis(300));
        try (HistoryStore s = backend().open(HOST, quick);
                Connection other = backend().connect();
                Statement st = other.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            st.executeUpdate("INSERT INTO schema_version (version, applied_at) VALUES (50, 0)");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> s.record(List.of(opened(0, listener(80, 1, nginx)))))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(file() + " is locked")
                    .extracting(e -> ((StoreException) e).reason())
                    .isEqualTo(Reason.LOCKED);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(250);
            assertThatThrownBy(() -> backend().open(HOST, quick))
                    .extracting(e -> ((StoreException) e).reason())
                    .isEqualTo(Reason.LOCKED);
            // a reader is not stopped by a writer (WAL)
            try (HistoryStore r = HistoryStore.openReadOnly(null, dataDir, HOST).orElseThrow()) {
                assertThat(r.history(HistoryQuery.port(80)).events()).isEmpty();
            }
            st.execute("ROLLBACK");
            s.record(List.of(opened(0, listener(80, 1, nginx))));
        }
        assertThat(count("SELECT count(*) FROM event")).isEqualTo(1);
    }

    @Test
    void aReadOnlyFileIsReadOnly() throws Exception {
        writer(HOST).close();
        Files.deleteIfExists(dataDir.resolve(HistoryStore.FILE_NAME + "-wal"));
        Files.deleteIfExists(dataDir.resolve(HistoryStore.FILE_NAME + "-shm"));
        byte[] before = Files.readAllBytes(file());
        // root ignores file modes, not the immutable attribute
        boolean root = Needs.isRoot();
        if (root) {
            Path chattr = Needs.binary("chattr", "e2fsprogs", "/usr/bin/chattr");
            run(chattr.toString(), "+i", file().toString());
        } else {
            Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("r--------"));
        }
        try {
            assertThatThrownBy(() -> writer(HOST))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(file() + " is read-only")
                    .extracting(e -> ((StoreException) e).reason())
                    .isEqualTo(Reason.READ_ONLY);
        } finally {
            if (root) {
                run("chattr", "-i", file().toString());
            } else {
                Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-------"));
            }
        }
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
    }

    @Test
    void aReadOnlyDirectoryIsReadOnly() throws Exception {
        writer(HOST).close(); // the last connection removes -wal and -shm: a writer must make them again
        assertThat(dataDir.resolve(HistoryStore.FILE_NAME + "-wal")).doesNotExist();
        boolean root = Needs.isRoot();
        if (root) {
            Path chattr = Needs.binary("chattr", "e2fsprogs", "/usr/bin/chattr");
            run(chattr.toString(), "+i", dataDir.toString());
        } else {
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("r-x------"));
        }
        try {
            assertThatThrownBy(() -> writer(HOST))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(file() + " is read-only")
                    .extracting(e -> ((StoreException) e).reason())
                    .isEqualTo(Reason.READ_ONLY);
            Path other = dataDir.resolve("sub");
            assertThatThrownBy(() -> HistoryStore.open(null, other, HOST))
                    .extracting(e -> ((StoreException) e).reason())
                    .isEqualTo(Reason.READ_ONLY);
        } finally {
            if (root) {
                run("chattr", "-i", dataDir.toString());
            } else {
                Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    @Test
    void aDirectoryThatCannotBeMadeIsReadOnly() throws Exception {
        Path blocker = tmp.resolve("blocker");
        Files.writeString(blocker, "a file where a directory should be");
        assertThatThrownBy(() -> HistoryStore.open(null, blocker.resolve("portlens"), HOST))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(blocker.resolve("portlens")
                        .resolve(HistoryStore.FILE_NAME)
                        .toString());
    }

    @Test
    void anUnknownUrlIsABadUrlNamingTheAcceptedForms() {
        assertThatThrownBy(() -> HistoryStore.open("jdbc:mysql://db/portlens?password=hunter2", dataDir, HOST))
                .isInstanceOf(StoreException.class)
                .hasMessage("unsupported history database URL 'jdbc:mysql://db/portlens?password=***': give none"
                        + " (SQLite in the data directory) or jdbc:postgresql://HOST[:PORT]/DATABASE")
                .extracting(e -> ((StoreException) e).reason())
                .isEqualTo(Reason.BAD_URL);
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void redactsPasswords() {
        assertThat(HistoryStore.redact("jdbc:postgresql://db:5432/h?user=p&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/h?user=p&password=***&ssl=true");
        assertThat(HistoryStore.redact("jdbc:postgresql://u:pw@db/h")).isEqualTo("jdbc:postgresql://u:***@db/h");
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
