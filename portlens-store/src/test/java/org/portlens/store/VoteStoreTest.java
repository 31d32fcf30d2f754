package org.portlens.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.store.StoreException.Reason;
import org.portlens.store.VoteStore.Tally;
import org.portlens.store.VoteStore.Vote;
import org.portlens.testkit.Needs;

/** The votes of the web pages: one per browser per page, kept in votes.db. */
class VoteStoreTest {

    static final String ALICE = "0123456789abcdef0123456789abcdef";
    static final String BOB = "fedcba9876543210fedcba9876543210";
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path tmp;

    Path dataDir;

    @BeforeEach
    void makeDataDir() {
        dataDir = tmp.resolve("data").resolve("portlens");
    }

    Path file() {
        return dataDir.resolve(VoteStore.FILE_NAME);
    }

    static String voter(int n) {
        return String.format("%032x", n);
    }

    @Test
    void aVoteIsCountedInTheTally() {
        try (VoteStore s = VoteStore.open(dataDir)) {
            assertThat(s.tally("port/3640")).isEqualTo(new Tally("port/3640", 0, 0));
            Tally after = s.vote("port/3640", ALICE, true, T0);
            assertThat(after).isEqualTo(new Tally("port/3640", 1, 0));
            assertThat(after.total()).isEqualTo(1);
            assertThat(s.tally("port/3640")).isEqualTo(after);
            assertThat(s.count()).isEqualTo(1);
            assertThat(s.file()).isEqualTo(file());
        }
    }

    @Test
    void aLaterVoteOfTheSameVoterOnTheSamePageReplacesTheEarlier() {
        try (VoteStore s = VoteStore.open(dataDir)) {
            s.vote("port/3640", ALICE, true, T0);
            assertThat(s.vote("port/3640", ALICE, false, T0.plusSeconds(5))).isEqualTo(new Tally("port/3640", 0, 1));
            assertThat(s.count()).isEqualTo(1);
            List<Vote> all = new ArrayList<>();
            s.export(all::add);
            assertThat(all).containsExactly(new Vote("port/3640", false, T0.plusSeconds(5)));
        }
    }

    @Test
    void twoVotersAddUpAndPagesAreIndependent() {
        try (VoteStore s = VoteStore.open(dataDir)) {
            s.vote("port/3640", ALICE, true, T0);
            assertThat(s.vote("port/3640", BOB, false, T0)).isEqualTo(new Tally("port/3640", 1, 1));
            s.vote("port/3640/tcp", ALICE, false, T0);
            s.vote("port/3640/udp", ALICE, true, T0);
            s.vote("port/3640/udp", BOB, true, T0);
            s.vote("port/0", BOB, true, T0);
            s.vote("port/65535/udp", BOB, false, T0);
            assertThat(s.tally("port/3640")).isEqualTo(new Tally("port/3640", 1, 1));
            assertThat(s.tally("port/3640/tcp")).isEqualTo(new Tally("port/3640/tcp", 0, 1));
            assertThat(s.tally("port/3640/udp")).isEqualTo(new Tally("port/3640/udp", 2, 0));
            assertThat(s.tally("port/0")).isEqualTo(new Tally("port/0", 1, 0));
            assertThat(s.tally("port/65535/udp")).isEqualTo(new Tally("port/65535/udp", 0, 1));
            assertThat(s.tally("port/65535")).isEqualTo(new Tally("port/65535", 0, 0));
            assertThat(s.count()).isEqualTo(7);
        }
    }

    @Test
    void votesSurviveReopeningAndExportGivesThemOrderedWithoutVoters() throws Exception {
        try (VoteStore s = VoteStore.open(dataDir)) {
            s.vote("port/80/tcp", BOB, false, T0.plusMillis(2));
            s.vote("port/80/tcp", ALICE, true, T0.plusMillis(1));
            s.vote("port/443", ALICE, true, T0.plusMillis(3));
            s.vote("port/22", BOB, true, T0);
        }
        try (VoteStore s = VoteStore.open(dataDir)) {
            assertThat(s.count()).isEqualTo(4);
            assertThat(s.tally("port/80/tcp")).isEqualTo(new Tally("port/80/tcp", 1, 1));
            List<Vote> all = new ArrayList<>();
            s.export(all::add);
            assertThat(all)
                    .containsExactly(
                            new Vote("port/22", true, T0),
                            new Vote("port/443", true, T0.plusMillis(3)),
                            new Vote("port/80/tcp", true, T0.plusMillis(1)),
                            new Vote("port/80/tcp", false, T0.plusMillis(2)));
            assertThat(all.toString()).doesNotContain(ALICE).doesNotContain(BOB);
        }
    }

    @Test
    void badPageKeysAreRefusedByNameAndNothingIsStored() {
        String huge = "port/1".repeat(100 * 1024 / 6);
        try (VoteStore s = VoteStore.open(dataDir)) {
            s.vote("port/1", ALICE, true, T0);
            for (String bad : List.of(
                    "port/70000",
                    "port/65536",
                    "port/abc",
                    "../etc",
                    "port/1/sctp",
                    "port/1/TCP",
                    "port/123456",
                    "port/",
                    "",
                    "port/1\n",
                    "port/\u0661")) { // an Arabic-Indic digit one
                assertThatThrownBy(() -> s.vote(bad, BOB, true, T0))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("page must be port/N or port/N/tcp|udp with N 0-65535, got \"")
                        .hasMessageNotContaining("\n");
                assertThatThrownBy(() -> s.tally(bad)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> s.vote("port/70000", BOB, true, T0)).hasMessageEndingWith("got \"port/70000\"");
            assertThatThrownBy(() -> s.vote("../etc", BOB, true, T0)).hasMessageContaining("\"../etc\"");
            assertThatThrownBy(() -> s.vote(huge, BOB, true, T0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("got \"" + huge.substring(0, 80) + "\"… (" + huge.length() + " characters)")
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
            assertThat(s.count()).isEqualTo(1);
            assertThat(s.tally("port/1")).isEqualTo(new Tally("port/1", 1, 0));
        }
    }

    @Test
    void badVoterIdsAreRefusedByNameAndNothingIsStored() {
        try (VoteStore s = VoteStore.open(dataDir)) {
            for (String bad : List.of(
                    "",
                    ALICE.substring(1),
                    ALICE + "0",
                    ALICE.toUpperCase(java.util.Locale.ROOT),
                    "g123456789abcdef0123456789abcdef",
                    ALICE.substring(1) + "\n",
                    "x".repeat(100_000))) {
                assertThatThrownBy(() -> s.vote("port/80", bad, true, T0))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("voter must be 32 lowercase hex characters, got \"")
                        .hasMessageContaining(bad.strip()
                                .substring(0, Math.min(80, bad.strip().length())))
                        .hasMessageNotContaining("\n");
            }
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void concurrentVotesAreAllCounted() throws Exception {
        int threads = 8;
        int each = 200;
        List<String> pages = List.of("port/80", "port/443/tcp", "port/53/udp", "port/22");
        try (VoteStore s = VoteStore.open(dataDir)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        // every voter once on one page: yes when i is even
                        s.vote(pages.get(i % pages.size()), voter(thread * each + i), i % 2 == 0, T0.plusMillis(i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(s.count()).isEqualTo((long) threads * each);
            // i % 4 fixes the page and i % 2 the answer: pages 0 and 2 get only yes, 1 and 3 only no
            long perPage = (long) threads * each / pages.size();
            assertThat(s.tally("port/80")).isEqualTo(new Tally("port/80", perPage, 0));
            assertThat(s.tally("port/443/tcp")).isEqualTo(new Tally("port/443/tcp", 0, perPage));
            assertThat(s.tally("port/53/udp")).isEqualTo(new Tally("port/53/udp", perPage, 0));
            assertThat(s.tally("port/22")).isEqualTo(new Tally("port/22", 0, perPage));
        }
    }

    @Test
    void aCorruptFileIsNamedAndLeftAsItIs() throws Exception {
        Files.createDirectories(dataDir);
        byte[] garbage = new byte[8192];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        Files.write(file(), garbage);
        assertThatThrownBy(() -> VoteStore.open(dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file().toString())
                .hasMessageContaining("left as it is")
                .hasMessageNotContaining("\n")
                .extracting(e -> ((StoreException) e).reason())
                .isEqualTo(Reason.CORRUPT);
        assertThat(Files.readAllBytes(file())).isEqualTo(garbage);
        assertThat(dataDir.resolve(VoteStore.FILE_NAME + "-wal")).doesNotExist();
    }

    @Test
    void aNewerSchemaIsRefusedAndLeftAsItIs() throws Exception {
        Files.createDirectories(dataDir);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE vote (page TEXT, voter TEXT, helpful INTEGER, at BIGINT, extra TEXT)");
            st.execute("PRAGMA user_version = 2");
        }
        byte[] before = Files.readAllBytes(file());
        assertThatThrownBy(() -> VoteStore.open(dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file() + " has schema version 2; this portlens knows up to 1")
                .hasMessageNotContaining("\n")
                .extracting(e -> ((StoreException) e).reason())
                .isEqualTo(Reason.NEWER_SCHEMA);
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
    }

    @Test
    void aNewFileIsVersionOneInWalMode() throws Exception {
        VoteStore.open(dataDir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement st = c.createStatement()) {
            try (ResultSet r = st.executeQuery("PRAGMA user_version")) {
                assertThat(r.getInt(1)).isEqualTo(1);
            }
            try (ResultSet r = st.executeQuery("PRAGMA journal_mode")) {
                assertThat(r.getString(1)).isEqualTo("wal");
            }
        }
    }

    @Test
    void aReadOnlyDirectoryIsAOneLineStoreException() throws Exception {
        Files.createDirectories(dataDir);
        readOnly(dataDir, "r-x------");
        try {
            assertThatThrownBy(() -> VoteStore.open(dataDir))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(file().toString())
                    .hasMessageNotContaining("\n")
                    .extracting(e -> ((StoreException) e).reason())
                    .isIn(Reason.READ_ONLY, Reason.OTHER);
        } finally {
            writable(dataDir, "rwx------");
        }
        assertThat(file()).doesNotExist();
    }

    @Test
    void aReadOnlyFileIsRefusedAtOpeningNotAtTheFirstVote() throws Exception {
        VoteStore.open(dataDir).close();
        readOnly(file(), "r--------");
        try {
            assertThatThrownBy(() -> VoteStore.open(dataDir))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(file() + " is read-only")
                    .hasMessageNotContaining("\n")
                    .extracting(e -> ((StoreException) e).reason())
                    .isEqualTo(Reason.READ_ONLY);
        } finally {
            writable(file(), "rw-------");
        }
    }

    /** Root ignores modes, not the immutable attribute: chattr +i as root, the mode otherwise. */
    private static void readOnly(Path p, String mode) throws Exception {
        if (Needs.isRoot()) {
            Path chattr = Needs.binary("chattr", "e2fsprogs", "/usr/bin/chattr");
            exec(chattr.toString(), "+i", p.toString());
        } else {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        }
    }

    private static void writable(Path p, String mode) throws Exception {
        if (Needs.isRoot()) {
            exec("chattr", "-i", p.toString());
        } else {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        }
    }

    private static void exec(String... cmd) throws Exception {
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(pr.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (pr.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Test
    void theFileIsPrivateAndHoldsNoRawVoterId() throws Exception {
        try (VoteStore s = VoteStore.open(dataDir)) {
            s.vote("port/3640", ALICE, true, T0);
            s.vote("port/3640/tcp", ALICE, false, T0);
            s.vote("port/80", BOB, true, T0);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
                .isEqualTo("rw-------");
        assertThat(dataDir.resolve(VoteStore.FILE_NAME + "-wal")).doesNotExist(); // checkpointed on close
        String bytes = new String(Files.readAllBytes(file()), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain(ALICE).doesNotContain(BOB).contains("port/3640");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SELECT DISTINCT voter FROM vote ORDER BY voter")) {
            List<String> voters = new ArrayList<>();
            while (r.next()) {
                voters.add(r.getString(1));
            }
            assertThat(voters).hasSize(2).allMatch(v -> v.matches("[0-9a-f]{64}"));
        }
    }

    @Test
    void aClosedStoreSaysSo() {
        VoteStore s = VoteStore.open(dataDir);
        s.close();
        s.close();
        assertThatThrownBy(() -> s.vote("port/80", ALICE, true, T0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file().toString());
        assertThatThrownBy(s::count).isInstanceOf(IllegalStateException.class);
    }
}
