package org.portlens.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portlens.store.Events.at;
import static org.portlens.store.Events.changed;
import static org.portlens.store.Events.closed;
import static org.portlens.store.Events.listener;
import static org.portlens.store.Events.opened;
import static org.portlens.store.Events.present;
import static org.portlens.store.Events.process;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;
import org.portlens.watch.WatchEvent;

/**
 * What every backend of the history store must do, on hand-written event sequences: the same tests
 * run on SQLite ({@link SqliteHistoryStoreTest}) and on a real PostgreSQL server
 * ({@link PostgresHistoryStoreIT}).
 */
abstract class HistoryStoreContract {

    static final String HOST = "alpha";
    static final Clock CLOCK = Clock.fixed(at(120), ZoneOffset.UTC);
    static final HistoryStore.Options OPTIONS =
            HistoryStore.Options.defaults().withClock(CLOCK).withRetention(Duration.ofDays(3650));

    final ProcessInfo nginx = process(812, "nginx", "/usr/sbin/nginx");
    final ProcessInfo caddy = process(900, "caddy", "/usr/bin/caddy");

    abstract Backend backend();

    /** The data directory the backend's writers are given. */
    abstract java.nio.file.Path dataDir();

    HistoryStore writer(String host) {
        return backend().open(host, OPTIONS);
    }

    @Test
    void migratesFromEmptyAndReopensWithoutMigratingAgain() throws Exception {
        writer(HOST).close();
        writer(HOST).close();
        try (Connection c = backend().connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
            List<Integer> versions = new ArrayList<>();
            while (r.next()) {
                versions.add(r.getInt(1));
            }
            assertThat(versions).containsExactly(HistoryStore.SCHEMA_VERSION);
        }
    }

    @Test
    void twoWritersStartingAtOnceMigrateOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String host = "h" + i;
                all.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    try (HistoryStore s = backend().open(host, OPTIONS)) {
                        s.record(List.of(opened(1, listener(80, 1, nginx))));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM schema_version")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM event")).isEqualTo(4);
    }

    @Test
    void readerFindsNoHistoryBeforeAWriterAndCreatesNothing() throws Exception {
        assertThat(backend().openReadOnly(HOST)).isEmpty();
        assertThat(backend().openReadOnly(HOST)).isEmpty();
    }

    @Test
    void keepsOpenOwnerChangeCloseAndReopenInTimeOrder() throws Exception {
        Listener byNginx = listener(8080, 100, nginx);
        Listener byCaddy = listener(8080, 100, caddy);
        Listener again = listener(8080, 200, caddy);
        try (HistoryStore s = writer(HOST)) {
            s.record(List.of(opened(0, byNginx)));
            s.record(List.of(changed(10, byCaddy, byNginx)));
            s.record(List.of(closed(20, byCaddy)));
            s.record(List.of(opened(30, again)));
        }
        try (HistoryStore r = backend().openReadOnly(HOST).orElseThrow()) {
            History h = r.history(HistoryQuery.port(8080));
            assertThat(h.events())
                    .extracting(StoredEvent::kind)
                    .containsExactly(
                            WatchEvent.Kind.OPENED,
                            WatchEvent.Kind.OWNER_CHANGED,
                            WatchEvent.Kind.CLOSED,
                            WatchEvent.Kind.OPENED);
            assertThat(h.more()).isFalse();
            StoredEvent change = h.events().get(1);
            assertThat(change.at()).isEqualTo(at(10));
            assertThat(change.owner()).isNotNull();
            assertThat(change.owner().pid()).isEqualTo(900);
            assertThat(change.owner().name()).isEqualTo("caddy");
            assertThat(change.owner().executable()).isEqualTo("/usr/bin/caddy");
            assertThat(change.owner().sourceKind()).isEqualTo(Source.Kind.SYSTEMD_UNIT);
            assertThat(change.owner().sourceName()).isEqualTo("caddy.service");
            assertThat(change.owner().startTime()).isEqualTo(caddy.startTime());
            assertThat(change.before()).isNotNull();
            assertThat(change.before().pid()).isEqualTo(812);
            assertThat(change.before().executable()).isEqualTo("/usr/sbin/nginx");
            StoredEvent first = h.events().get(0);
            assertThat(first.host()).isEqualTo(HOST);
            assertThat(first.transport()).isEqualTo(Transport.TCP);
            assertThat(first.address()).isEqualTo("0.0.0.0");
            assertThat(first.socketInode()).isEqualTo(100);
            assertThat(first.netnsInode()).isEqualTo(4026531840L);
            assertThat(first.ownerState()).isEqualTo(StoredEvent.OwnerState.KNOWN);
            assertThat(first.before()).isNull();
            assertThat(h.runs()).hasSize(1);
            assertThat(h.runs().get(0).host()).isEqualTo(HOST);

            List<OpenPeriod> open = r.openSince(Transport.TCP, 8080);
            assertThat(open).hasSize(1);
            assertThat(open.get(0).since()).isEqualTo(at(30));
            assertThat(open.get(0).atLeast()).isFalse();
            assertThat(open.get(0).owner().pid()).isEqualTo(900);

            assertThat(r.history(HistoryQuery.port(8080).withLimit(2)).events())
                    .extracting(StoredEvent::at)
                    .containsExactly(at(20), at(30));
            assertThat(r.history(HistoryQuery.port(8080).withLimit(2)).more()).isTrue();
            assertThat(r.history(HistoryQuery.port(8080).withSince(at(10)).withUntil(at(30)))
                            .events())
                    .extracting(StoredEvent::at)
                    .containsExactly(at(10), at(20));
            assertThat(r.history(HistoryQuery.port(8080).withTransport(Transport.UDP))
                            .events())
                    .isEmpty();
            assertThat(r.history(HistoryQuery.port(8081)).events()).isEmpty();
        }
    }

    @Test
    void openSinceFollowsOwnerChangesAndForgetsAClosedPlace() throws Exception {
        Listener byNginx = listener(443, 100, nginx);
        Listener byCaddy = listener(443, 100, caddy);
        try (HistoryStore s = writer(HOST)) {
            s.record(List.of(opened(0, byNginx)));
            s.record(List.of(changed(5, byCaddy, byNginx)));
            List<OpenPeriod> open = s.openSince(Transport.TCP, 443);
            assertThat(open).hasSize(1);
            assertThat(open.get(0).since()).isEqualTo(at(0));
            assertThat(open.get(0).ownerSince()).isEqualTo(at(5));
            assertThat(open.get(0).owner().name()).isEqualTo("caddy");
            assertThat(open.get(0).lastSeen()).isEqualTo(at(5));
            s.record(List.of(closed(9, byCaddy)));
            assertThat(s.openSince(Transport.TCP, 443)).isEmpty();
            assertThat(s.openSince(Transport.UDP, 443)).isEmpty();
        }
    }

    @Test
    void theOpenPlacesFileAnswersAsTheDatabaseDoes() throws Exception {
        ProcessInfo odd = process(77, "tab\tand\nnewline%", "/opt/x\ty");
        try (HistoryStore s = writer(HOST)) {
            assertThat(OpenPlaces.since(dataDir(), Transport.TCP, 443)).contains(List.of());
            s.record(List.of(opened(0, listener(443, 100, nginx)), present(0, listener(444, 101, odd))));
            s.record(List.of(changed(5, listener(443, 100, caddy), listener(443, 100, nginx))));
            for (int port : List.of(443, 444, 445)) {
                assertThat(OpenPlaces.since(dataDir(), Transport.TCP, port)).contains(s.openSince(Transport.TCP, port));
            }
            assertThat(OpenPlaces.since(dataDir(), Transport.TCP, 444)
                            .orElseThrow()
                            .get(0)
                            .owner()
                            .name())
                    .isEqualTo("tab\tand\nnewline%");
            s.record(List.of(closed(9, listener(443, 100, caddy))));
            assertThat(OpenPlaces.since(dataDir(), Transport.TCP, 443)).contains(List.of());
        }
    }

    @Test
    void presentOnlyGivesALowerBound() throws Exception {
        Listener l = listener(22, 100, nginx);
        try (HistoryStore s = writer(HOST)) {
            s.record(List.of(present(0, l)));
        }
        try (HistoryStore s = writer(HOST)) { // a later watch run sees the same socket
            s.record(List.of(present(60, l)));
            List<OpenPeriod> open = s.openSince(Transport.TCP, 22);
            assertThat(open).hasSize(1);
            assertThat(open.get(0).since()).isEqualTo(at(0));
            assertThat(open.get(0).atLeast()).isTrue();
        }
        try (HistoryStore s = writer(HOST)) { // another socket on the place: reopened while nobody watched
            s.record(List.of(present(90, listener(22, 555, nginx))));
            List<OpenPeriod> open = s.openSince(Transport.TCP, 22);
            assertThat(open.get(0).since()).isEqualTo(at(90));
            assertThat(open.get(0).atLeast()).isTrue();
            assertThat(open.get(0).socketInode()).isEqualTo(555);
        }
    }

    @Test
    void openedThenSeenAgainByALaterRunKeepsItsExactStart() throws Exception {
        Listener l = listener(5432, 100, nginx);
        try (HistoryStore s = writer(HOST)) {
            s.record(List.of(opened(0, l)));
        }
        try (HistoryStore s = writer(HOST)) {
            s.record(List.of(present(60, l)));
            OpenPeriod p = s.openSince(Transport.TCP, 5432).get(0);
            assertThat(p.since()).isEqualTo(at(0));
            assertThat(p.atLeast()).isFalse();
        }
    }

    @Test
    void hostsAreKeptApart() throws Exception {
        try (HistoryStore a = writer("alpha");
                HistoryStore b = writer("beta")) {
            a.record(List.of(opened(0, listener(3640, 1, nginx))));
            b.record(List.of(opened(1, listener(3640, 2, caddy))));
            b.record(List.of(closed(2, listener(3640, 2, caddy))));
            assertThat(a.openSince(Transport.TCP, 3640)).hasSize(1);
            assertThat(b.openSince(Transport.TCP, 3640)).isEmpty();
            assertThat(a.history(HistoryQuery.port(3640)).events()).hasSize(1);
            assertThat(a.history(HistoryQuery.port(3640).withHost("beta")).events())
                    .extracting(StoredEvent::host)
                    .containsExactly("beta", "beta");
            History all = a.history(HistoryQuery.port(3640).withAllHosts());
            assertThat(all.events()).extracting(StoredEvent::host).containsExactly("alpha", "beta", "beta");
            assertThat(all.runs()).extracting(WatchRun::host).containsExactlyInAnyOrder("alpha", "beta");
        }
    }

    @Test
    void twoHostsWritingAtOnceLoseNothing() throws Exception {
        int perHost = 200;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (String host : List.of("alpha", "beta")) {
                all.add(pool.submit((Callable<Void>) () -> {
                    try (HistoryStore s = backend().open(host, OPTIONS)) {
                        for (int i = 0; i < perHost; i++) {
                            s.record(List.of(opened(i, listener(10000 + i, i, nginx))));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM event WHERE host = 'alpha'")).isEqualTo(perHost);
        assertThat(count("SELECT count(*) FROM event WHERE host = 'beta'")).isEqualTo(perHost);
    }

    @Test
    void aFailedRecordWritesNothing() throws Exception {
        try (HistoryStore s = writer(HOST)) {
            s.record(List.of(opened(0, listener(80, 1, nginx))));
            backend().failInsertsOnPort(666);
            assertThatThrownBy(() -> s.record(List.of(
                            opened(1, listener(81, 2, nginx)),
                            opened(1, listener(82, 3, nginx)),
                            opened(1, listener(666, 4, nginx)))))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("history database");
            assertThat(count("SELECT count(*) FROM event")).isEqualTo(1);
            s.record(List.of(opened(2, listener(83, 5, nginx)))); // and the store still works
        }
        assertThat(count("SELECT count(*) FROM event")).isEqualTo(2);
    }

    @Test
    void aNewerSchemaIsRefusedAndNothingChanges() throws Exception {
        writer(HOST).close();
        try (Connection c = backend().connect();
                Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO schema_version (version, applied_at) VALUES (99, 0)");
        }
        long events = count("SELECT count(*) FROM event");
        long runs = count("SELECT count(*) FROM watch_run");
        assertThatThrownBy(() -> writer(HOST))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("has schema version 99; this portlens knows up to " + HistoryStore.SCHEMA_VERSION
                        + ": upgrade portlens")
                .extracting(e -> ((StoreException) e).reason())
                .isEqualTo(StoreException.Reason.NEWER_SCHEMA);
        assertThatThrownBy(() -> backend().openReadOnly(HOST))
                .extracting(e -> ((StoreException) e).reason())
                .isEqualTo(StoreException.Reason.NEWER_SCHEMA);
        assertThat(count("SELECT count(*) FROM event")).isEqualTo(events);
        assertThat(count("SELECT count(*) FROM watch_run")).isEqualTo(runs);
        assertThat(count("SELECT max(version) FROM schema_version")).isEqualTo(99);
    }

    @Test
    void prunesOldEventsInBatches() throws Exception {
        int old = HistoryStore.PRUNE_BATCH * 2 + 17;
        try (HistoryStore s = writer(HOST)) {
            List<WatchEvent> batch = new ArrayList<>();
            for (int i = 0; i < old; i++) {
                batch.add(present(0, listener(20000 + (i % 1000), i, nginx)));
            }
            s.record(batch);
            s.record(List.of(opened(100, listener(80, 1, nginx))));
            assertThat(s.prune(at(50))).isEqualTo(old);
        }
        assertThat(count("SELECT count(*) FROM event")).isEqualTo(1);
    }

    @Test
    void theWriterAppliesItsRetention() throws Exception {
        HistoryStore.Options shortLived = OPTIONS.withRetention(Duration.ofMinutes(30));
        try (HistoryStore s = backend().open(HOST, shortLived)) {
            // the clock says minute 120: minute 0 is past the retention, minute 100 is not
            s.record(List.of(opened(0, listener(80, 1, nginx)), opened(100, listener(81, 2, nginx))));
        }
        assertThat(count("SELECT count(*) FROM event")).isEqualTo(1);
        assertThat(count("SELECT min(port) FROM event")).isEqualTo(81);
    }

    @Test
    void aRunSaysFromWhenToWhenItWatched() throws Exception {
        MutableClock clock = new MutableClock(at(0));
        try (HistoryStore s = backend().open(HOST, OPTIONS.withClock(clock))) {
            s.heartbeat();
            clock.now = at(0).plusSeconds(30);
            s.heartbeat(); // under a minute: not written
            assertThat(runs().get(0).aliveAt()).isEqualTo(at(0));
            clock.now = at(2);
            s.heartbeat();
            assertThat(runs().get(0).aliveAt()).isEqualTo(at(2));
            clock.now = at(2).plusSeconds(10);
        }
        List<WatchRun> runs = runs();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).startedAt()).isEqualTo(at(0));
        assertThat(runs.get(0).aliveAt()).isEqualTo(at(2).plusSeconds(10));
    }

    @Test
    void boundsLongTextAndNul() throws Exception {
        String longExe = "/opt/" + "x".repeat(5000);
        ProcessInfo odd = process(1234, "we\u0000ird", longExe);
        try (HistoryStore s = writer(HOST)) {
            s.record(List.of(opened(0, listener(9999, 1, odd))));
            StoredEvent e = s.history(HistoryQuery.port(9999)).events().get(0);
            assertThat(e.owner().executable()).hasSize(1024).startsWith("/opt/xxx");
            assertThat(e.owner().name()).isEqualTo("we\uFFFDird");
        }
    }

    @Test
    void keepsHiddenAndUdpOwners() throws Exception {
        Listener hidden =
                listener(Transport.UDP, "::1", 53, 7, List.of(new Owner.Hidden("another user's process: run as root")));
        try (HistoryStore s = writer(HOST)) {
            s.record(List.of(present(0, hidden)));
            StoredEvent e = s.history(HistoryQuery.port(53)).events().get(0);
            assertThat(e.transport()).isEqualTo(Transport.UDP);
            assertThat(e.address()).isEqualTo("::1");
            assertThat(e.ownerState()).isEqualTo(StoredEvent.OwnerState.HIDDEN);
            assertThat(e.owner()).isNull();
            OpenPeriod p = s.openSince(Transport.UDP, 53).get(0);
            assertThat(p.owner()).isNull();
            assertThat(p.atLeast()).isTrue();
        }
    }

    @Test
    void aReaderCannotWrite() throws Exception {
        writer(HOST).close();
        try (HistoryStore r = backend().openReadOnly(HOST).orElseThrow()) {
            assertThatThrownBy(() -> r.record(List.of())).isInstanceOf(IllegalStateException.class);
        }
    }

    List<WatchRun> runs() throws SQLException {
        List<WatchRun> out = new ArrayList<>();
        try (Connection c = backend().connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT host, started_at, alive_at FROM watch_run ORDER BY id")) {
            while (r.next()) {
                out.add(new WatchRun(
                        r.getString(1), Instant.ofEpochMilli(r.getLong(2)), Instant.ofEpochMilli(r.getLong(3))));
            }
        }
        return out;
    }

    long count(String sql) throws SQLException {
        try (Connection c = backend().connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
