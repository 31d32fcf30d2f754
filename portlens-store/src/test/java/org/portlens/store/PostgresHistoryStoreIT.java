package org.portlens.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.store.StoreException.Reason;
import org.portlens.testkit.PostgresCluster;

/**
 * The history store's contract against a real PostgreSQL server this class starts (initdb into a
 * temporary directory, trust auth, loopback only; {@link PostgresCluster}): a fresh database per test.
 */
class PostgresHistoryStoreIT extends HistoryStoreContract {

    @TempDir
    static Path clusterDir;

    static PostgresCluster cluster;
    static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path dataDir;

    String url;

    @BeforeAll
    static void startServer() throws Exception {
        cluster = PostgresCluster.start(clusterDir);
    }

    @AfterAll
    static void stopServer() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void freshDatabase() throws SQLException {
        String name = "history_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("postgres"));
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE DATABASE " + name);
        }
        url = cluster.jdbcUrl(name);
    }

    @Override
    Path dataDir() {
        return dataDir;
    }

    @Override
    Backend backend() {
        return new Backend() {
            @Override
            public HistoryStore open(String host, HistoryStore.Options options) {
                return HistoryStore.open(url, dataDir, host, options);
            }

            @Override
            public Optional<HistoryStore> openReadOnly(String host) {
                return HistoryStore.openReadOnly(url, dataDir, host);
            }

            @Override
            public Connection connect() throws SQLException {
                return DriverManager.getConnection(url);
            }

            @Override
            public void failInsertsOnPort(int port) throws SQLException {
                try (Connection c = connect();
                        Statement s = c.createStatement()) {
                    s.executeUpdate("CREATE FUNCTION fail_" + port + "() RETURNS trigger LANGUAGE plpgsql AS"
                            + " $$ BEGIN IF NEW.port = " + port + " THEN RAISE EXCEPTION 'refused by the test'; END IF;"
                            + " RETURN NEW; END $$");
                    s.executeUpdate("CREATE TRIGGER fail_" + port + " BEFORE INSERT ON event FOR EACH ROW EXECUTE"
                            + " FUNCTION fail_" + port + "()");
                }
            }
        };
    }

    @Test
    void writesOnlyTheOpenPlacesFileIntoTheDataDirectory() throws Exception {
        writer(HOST).close();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dataDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(OpenPlaces.DIR_NAME);
        }
    }

    @Test
    void aServerThatIsNotThereIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String nowhere = "jdbc:postgresql://127.0.0.1:" + port + "/h?user=postgres&password=secret";
        assertThatThrownBy(() -> HistoryStore.open(nowhere, dataDir, HOST))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot reach the history database jdbc:postgresql://127.0.0.1:" + port
                        + "/h?user=postgres&password=***: ")
                .hasMessageNotContaining("secret")
                .extracting(e -> ((StoreException) e).reason())
                .isEqualTo(Reason.UNREACHABLE);
    }

    @Test
    void aDatabaseThatDoesNotExistIsUnreachable() {
        assertThatThrownBy(() -> HistoryStore.openReadOnly(cluster.jdbcUrl("no_such_db"), dataDir, HOST))
                .extracting(e -> ((StoreException) e).reason())
                .isEqualTo(Reason.UNREACHABLE);
    }
}
