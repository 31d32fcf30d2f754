package org.portlens.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.portlens.store.StoreException.Reason;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The answers to "Was this page helpful? Yes / No" of the web pages ({@code portlens serve}): one vote
 * per browser per page, a later vote of the same browser on the same page replacing the earlier one.
 *
 * <p><b>Where.</b> A SQLite file {@value #FILE_NAME} in the data directory (directory made 0700 and
 * file 0600 when absent; WAL journal, {@code synchronous=NORMAL}; a busy timeout of
 * {@link #BUSY_TIMEOUT}). One table {@code vote (page, voter, helpful, at)} keyed by page and voter;
 * the file's {@code user_version} is {@value #SCHEMA_VERSION}, and a file of a higher one is refused
 * ({@link Reason#NEWER_SCHEMA}) and left unchanged.
 *
 * <p><b>What a row keeps.</b> The page key, the SHA-256 (hex) of the browser's id, never the id itself,
 * yes or no, and the time in UTC milliseconds. {@link #export} gives everything but the voter.
 *
 * <p><b>Failures.</b> A page key or voter id of the wrong form is an {@link IllegalArgumentException}
 * naming the value (its first 80 characters) and what was expected, and nothing is written; a fault of
 * the database or the file system is a {@link StoreException} with a one-line message naming the file.
 * The web layer does any rate limiting.
 *
 * <p>Thread-safe: every method is synchronized on the store, which holds one connection. Close it when
 * done; after {@link #close} every method but {@link #file} and {@code close} throws
 * {@link IllegalStateException}.
 */
public final class VoteStore implements AutoCloseable {

    /** The SQLite file's name in the data directory. */
    public static final String FILE_NAME = "votes.db";

    /** The {@code user_version} this build writes and the highest it opens. */
    public static final int SCHEMA_VERSION = 1;

    /** How long a write waits for another connection's lock before {@link Reason#LOCKED} (5 s). */
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

    /** How many characters of a refused value an exception message shows. */
    private static final int SHOWN = 80;

    /** The longest page key, {@code port/65535/tcp}: a longer value is refused before the pattern runs. */
    private static final int PAGE_MAX = 14;

    private static final Pattern PAGE = Pattern.compile("port/(\\d{1,5})(/(tcp|udp))?");
    private static final Pattern VOTER = Pattern.compile("[0-9a-f]{32}");
    private static final String PAGE_EXPECTED = "page must be port/N or port/N/tcp|udp with N 0-65535";
    private static final String VOTER_EXPECTED = "voter must be 32 lowercase hex characters";

    private final Connection conn;
    private final Path file;
    private boolean closed;

    private VoteStore(Connection conn, Path file) {
        this.conn = conn;
        this.file = file;
    }

    /**
     * Opens the votes of a data directory, creating the directory (0700), the file {@value #FILE_NAME}
     * (0600) and its table as needed.
     *
     * @param dataDir the data directory
     * @return the store
     * @throws StoreException naming the file and the fault: {@link Reason#NEWER_SCHEMA} for a file of a
     *     newer portlens, {@link Reason#CORRUPT} for one that is not a SQLite database (both left as they
     *     are), {@link Reason#READ_ONLY} when the directory or file refuses writes, {@link Reason#LOCKED}
     *     when another writer holds the lock longer than {@link #BUSY_TIMEOUT}
     */
    public static VoteStore open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        HistoryStore.createPrivately(file, "vote database");
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout((int) BUSY_TIMEOUT.toMillis());
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        cfg.resetOpenMode(SQLiteOpenMode.CREATE); // made above with mode 0600; never by SQLite
        // no journal mode here: switching to WAL writes the header, and a newer file must stay unchanged
        VoteStore store;
        try {
            store = new VoteStore(cfg.createConnection("jdbc:sqlite:" + file), file);
        } catch (SQLException e) {
            throw failure(file, "cannot open", e);
        }
        try {
            store.prepare();
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Checks the version before anything is written, then makes the table in one write transaction. */
    private void prepare() {
        try {
            checkNotNewer(userVersion());
            try (Statement s = conn.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
            }
            tx(() -> {
                int version = userVersion(); // another process may have written meanwhile
                checkNotNewer(version);
                try (Statement s = conn.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS vote (page VARCHAR(32) NOT NULL, voter CHAR(64) NOT NULL,"
                            + " helpful INTEGER NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (page, voter))");
                    if (version < SCHEMA_VERSION) {
                        s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
                    }
                    // a write that changes no row: a file SQLite could only open read-only shows here
                    s.executeUpdate("DELETE FROM vote WHERE 1 = 0");
                }
                return version;
            });
        } catch (SQLException e) {
            throw fail("cannot open", e);
        }
    }

    private int userVersion() throws SQLException {
        try (Statement s = conn.createStatement();
                ResultSet r = s.executeQuery("PRAGMA user_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    private void checkNotNewer(int version) {
        if (version > SCHEMA_VERSION) {
            throw new StoreException(
                    Reason.NEWER_SCHEMA,
                    "vote database " + file + " has schema version " + version + "; this portlens knows up to "
                            + SCHEMA_VERSION + ": upgrade portlens",
                    null);
        }
    }

    /**
     * Records a vote, replacing any earlier vote of the same voter on the same page (whatever its time),
     * and returns the page's totals as they are after it, read in the same transaction.
     *
     * @param page    the page key: {@code port/N} or {@code port/N/tcp} or {@code port/N/udp}, N 0 to 65535
     * @param voter   the browser's id: 32 lowercase hex characters; only its SHA-256 is stored
     * @param helpful true for yes, false for no
     * @param at      when the vote was cast (kept to the millisecond)
     * @return the page's totals after the vote
     * @throws IllegalArgumentException when the page key, the voter id or the time is out of form or
     *     range; nothing was written
     * @throws IllegalStateException after {@link #close}
     * @throws StoreException naming the file and the fault; nothing was written
     */
    public synchronized Tally vote(String page, String voter, boolean helpful, Instant at) {
        checkPage(page);
        checkVoter(voter);
        long millis;
        try {
            millis = at.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("at must fit in milliseconds since 1970 as a long, got " + at, e);
        }
        requireOpen();
        String hash = sha256(voter);
        try {
            return tx(() -> {
                try (PreparedStatement p = conn.prepareStatement("INSERT INTO vote (page, voter, helpful, at)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (page, voter) DO UPDATE SET helpful = excluded.helpful,"
                        + " at = excluded.at")) {
                    p.setString(1, page);
                    p.setString(2, hash);
                    p.setInt(3, helpful ? 1 : 0);
                    p.setLong(4, millis);
                    p.executeUpdate();
                }
                return read(page);
            });
        } catch (SQLException e) {
            throw fail("cannot write to", e);
        }
    }

    /**
     * The totals of a page; zero and zero when nobody voted on it.
     *
     * @param page the page key, as for {@link #vote}
     * @return the totals
     * @throws IllegalArgumentException when the page key is out of form
     * @throws IllegalStateException after {@link #close}
     * @throws StoreException naming the file and the fault
     */
    public synchronized Tally tally(String page) {
        checkPage(page);
        requireOpen();
        try {
            return read(page);
        } catch (SQLException e) {
            throw fail("cannot read", e);
        }
    }

    private Tally read(String page) throws SQLException {
        try (PreparedStatement p =
                conn.prepareStatement("SELECT count(*), coalesce(sum(helpful), 0) FROM vote WHERE page = ?")) {
            p.setString(1, page);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                long all = r.getLong(1);
                long yes = r.getLong(2);
                return new Tally(page, yes, all - yes);
            }
        }
    }

    /**
     * How many votes are stored, of all pages.
     *
     * @return the number of votes
     * @throws IllegalStateException after {@link #close}
     * @throws StoreException naming the file and the fault
     */
    public synchronized long count() {
        requireOpen();
        try (Statement s = conn.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM vote")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw fail("cannot read", e);
        }
    }

    /**
     * Hands every stored vote to {@code each}, ordered by page key (as text, so {@code port/10} comes
     * before {@code port/9}), then by time; votes of one page at the same millisecond come in a stable
     * but meaningless order. The voter is never given. The votes are read in one transaction while the
     * store is locked: other threads wait until {@code each} has seen the last one.
     *
     * @param each what receives the votes; an exception it throws ends the export and passes through
     * @throws IllegalStateException after {@link #close}
     * @throws StoreException naming the file and the fault, or holding an unknown value
     */
    public synchronized void export(Consumer<Vote> each) {
        requireOpen();
        try (Statement s = conn.createStatement();
                ResultSet r = s.executeQuery("SELECT page, helpful, at FROM vote ORDER BY page, at, voter")) {
            while (r.next()) {
                each.accept(new Vote(r.getString(1), r.getInt(2) != 0, Instant.ofEpochMilli(r.getLong(3))));
            }
        } catch (SQLException e) {
            throw fail("cannot read", e);
        }
    }

    /**
     * The SQLite file.
     *
     * @return the path of {@value #FILE_NAME} in the data directory given to {@link #open}
     */
    public Path file() {
        return file;
    }

    /** Closes the connection. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        closed = true;
        try {
            conn.close();
        } catch (SQLException e) {
            // closing: every vote was committed when it was made
        }
    }

    // ------------------------------------------------------------------ checks

    private static void checkPage(String page) {
        Matcher m = PAGE.matcher(page);
        if (page.length() > PAGE_MAX || !m.matches() || Integer.parseInt(m.group(1)) > 65535) {
            throw new IllegalArgumentException(PAGE_EXPECTED + ", got " + shown(page));
        }
    }

    private static void checkVoter(String voter) {
        if (!VOTER.matcher(voter).matches()) {
            throw new IllegalArgumentException(VOTER_EXPECTED + ", got " + shown(voter));
        }
    }

    /** The value quoted on one line, cut at {@value #SHOWN} characters (with its length when cut). */
    private static String shown(String value) {
        String cut = Bounds.cut(value, SHOWN);
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
        if (cut.length() < value.length()) {
            b.append("… (").append(value.length()).append(" characters)");
        }
        return b.toString();
    }

    private static String sha256(String voter) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(voter.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("vote database " + file + " was closed");
        }
    }

    // ------------------------------------------------------------------ transactions, errors

    /** Work that runs inside a transaction and gives a result. */
    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T tx(Work<T> w) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
        }
        try {
            T result = w.run();
            try (Statement s = conn.createStatement()) {
                s.execute("COMMIT");
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            try (Statement s = conn.createStatement()) {
                s.execute("ROLLBACK");
            } catch (SQLException ignored) {
                // nothing was begun, or the connection is gone: either way nothing is committed
            }
            throw e;
        }
    }

    private StoreException fail(String doing, SQLException e) {
        return failure(file, doing, e);
    }

    /** The failure, its reason as for the history ({@link Dialect#reason}), in one line. */
    private static StoreException failure(Path file, String doing, SQLException e) {
        Reason reason = Dialect.SQLITE.reason(e);
        String db = "vote database " + file;
        String cause = oneLine(e.getMessage());
        String message = switch (reason) {
            case LOCKED ->
                db + " is locked: another writer held it for more than " + BUSY_TIMEOUT.toSeconds() + " s (" + cause
                        + ")";
            case READ_ONLY -> db + " is read-only: " + doing.replace("cannot ", "") + " failed (" + cause + ")";
            case CORRUPT -> db + " is damaged or not a SQLite database (" + cause + "); it was left as it is";
            default -> doing + " " + db + ": " + cause;
        };
        return new StoreException(reason, message, e);
    }

    private static String oneLine(@Nullable String s) {
        if (s == null || s.isBlank()) {
            return "no detail";
        }
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    // ------------------------------------------------------------------ values

    /**
     * The totals of one page. Immutable.
     *
     * @param page the page key
     * @param yes  how many voters found it helpful
     * @param no   how many did not
     */
    public record Tally(String page, long yes, long no) {

        /**
         * Checks the counts.
         *
         * @param page the page key
         * @param yes  how many voters found it helpful
         * @param no   how many did not
         * @throws IllegalArgumentException when a count is negative
         */
        public Tally {
            if (yes < 0 || no < 0) {
                throw new IllegalArgumentException("counts must be 0 or more, got yes " + yes + " and no " + no);
            }
        }

        /**
         * All votes of the page.
         *
         * @return {@code yes + no}
         */
        public long total() {
            return yes + no;
        }
    }

    /**
     * One stored vote as exported: without its voter. Immutable.
     *
     * @param page    the page key
     * @param helpful true for yes, false for no
     * @param at      when it was cast, to the millisecond
     */
    public record Vote(String page, boolean helpful, Instant at) {}
}
