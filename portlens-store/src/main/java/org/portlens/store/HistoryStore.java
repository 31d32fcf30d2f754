package org.portlens.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;
import org.portlens.store.StoreException.Reason;
import org.portlens.store.StoredEvent.OwnerState;
import org.portlens.watch.Changes;
import org.portlens.watch.WatchEvent;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The history of listeners: the events a watcher saw, per host, and the runs of the watcher. The
 * front door of the store: {@link #open} for a writer ({@code portlens watch}), {@link #openReadOnly}
 * for a reader ({@code portlens history}, {@code portlens PORT}).
 *
 * <p><b>Where.</b> Without a JDBC URL, a SQLite file {@value #FILE_NAME} in the data directory
 * (directory made 0700 and file 0600 when absent; WAL journal, {@code synchronous=NORMAL}, so every
 * committed write survives the writer being killed; foreign keys on; a busy timeout). With a
 * {@code jdbc:postgresql://…} URL, that database, which many hosts may share: every row carries its
 * host. Any other URL is refused ({@link Reason#BAD_URL}).
 *
 * <p><b>Schema.</b> Versioned migrations written here ({@code schema_version}); a writer applies the
 * missing ones, each in a transaction, and two writers starting at once take turns. A database of a
 * newer schema than this build knows is refused ({@link Reason#NEWER_SCHEMA}) and left unchanged.
 *
 * <p><b>What a row keeps.</b> Host, time (UTC, milliseconds), kind, transport, address, port, network
 * namespace (inode and name), socket inode, the socket's uid and user, and the principal owner
 * ({@link Changes#principal}): pid, start time, name, executable, user, and why it runs (source kind
 * and name); for an owner change also the previous principal's pid, name and executable. Not the
 * command line. Text is cut at 255 characters (host, names, users, units) or 1,024 (executables) and
 * NUL becomes U+FFFD.
 *
 * <p><b>Retention.</b> A writer deletes events older than its retention (default
 * {@link #DEFAULT_RETENTION}), at most once an hour, in batches of {@value #PRUNE_BATCH} rows, each a
 * transaction of its own, so readers and other writers never wait long.
 *
 * <p>Not thread-safe to share without care: every method is synchronized on the store, which holds one
 * connection. Close it when done.
 */
public final class HistoryStore implements AutoCloseable {

    /** The SQLite file's name in the data directory. */
    public static final String FILE_NAME = "history.db";

    /** Events older than this are deleted by a writer (90 days). */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);

    /** How long a SQLite writer waits for another one's lock before {@link Reason#LOCKED} (5 s). */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

    /** A run's last-alive time is written at most this often (1 minute). */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofMinutes(1);

    /** A writer applies its retention at most this often (1 hour). */
    public static final Duration PRUNE_INTERVAL = Duration.ofHours(1);

    /** Rows deleted per transaction by {@link #prune}. */
    public static final int PRUNE_BATCH = 5000;

    /** The newest schema version this build knows and writes. */
    public static final int SCHEMA_VERSION = Migrations.LATEST;

    private static final String POSTGRES_PREFIX = "jdbc:postgresql://";

    private static final String COLUMNS = "host, at, kind, transport, address, port, netns_inode, netns_name,"
            + " socket_inode, uid, user_name, owner_state, pid, start_time, process_name, executable, process_user,"
            + " source_kind, source_name, prev_pid, prev_name, prev_executable";

    /**
     * How a store behaves: its clock, retention and busy timeout. Immutable.
     *
     * @param clock       the time of runs, heartbeats and pruning (events carry their own time)
     * @param retention   events older than this are deleted by a writer
     * @param busyTimeout how long to wait for another writer's lock (SQLite), or for a lock (PostgreSQL)
     */
    public record Options(Clock clock, Duration retention, Duration busyTimeout) {

        /**
         * The defaults: the system clock, {@link #DEFAULT_RETENTION}, {@link #DEFAULT_BUSY_TIMEOUT}.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(Clock.systemUTC(), DEFAULT_RETENTION, DEFAULT_BUSY_TIMEOUT);
        }

        /**
         * The same options with another clock.
         *
         * @param c the clock
         * @return the options
         */
        public Options withClock(Clock c) {
            return new Options(c, retention, busyTimeout);
        }

        /**
         * The same options with another retention.
         *
         * @param d how long events are kept
         * @return the options
         */
        public Options withRetention(Duration d) {
            return new Options(clock, d, busyTimeout);
        }

        /**
         * The same options with another busy timeout.
         *
         * @param d how long to wait for a lock
         * @return the options
         */
        public Options withBusyTimeout(Duration d) {
            return new Options(clock, retention, d);
        }
    }

    private final Connection conn;
    private final Dialect dialect;
    private final String location;
    private final String host;
    private final boolean writer;
    private final Options options;
    private final @Nullable Path dataDir;

    private long runId = -1;
    private long aliveWritten = Long.MIN_VALUE;
    private long lastPrune = Long.MIN_VALUE;

    private HistoryStore(
            Connection conn,
            Dialect dialect,
            String location,
            String host,
            boolean writer,
            Options options,
            @Nullable Path dataDir) {
        this.dataDir = dataDir;
        this.conn = conn;
        this.dialect = dialect;
        this.location = location;
        this.host = Bounds.cut(host, Bounds.NAME);
        this.writer = writer;
        this.options = options;
    }

    // ------------------------------------------------------------------ opening

    /**
     * Opens the history for writing with the default options, creating the SQLite file and applying
     * the migrations as needed.
     *
     * @param jdbcUrl null (or blank) for SQLite in {@code dataDir}, else a {@code jdbc:postgresql://…} URL
     * @param dataDir the data directory (created 0700 when absent; used for SQLite only)
     * @param host    the name this host's rows carry (see {@link #localHost()})
     * @return the store
     * @throws StoreException naming the file or URL and the fault
     */
    public static HistoryStore open(@Nullable String jdbcUrl, Path dataDir, String host) {
        return open(jdbcUrl, dataDir, host, Options.defaults());
    }

    /**
     * Opens the history for writing, creating the SQLite file and applying the migrations as needed.
     *
     * @param jdbcUrl null (or blank) for SQLite in {@code dataDir}, else a {@code jdbc:postgresql://…} URL
     * @param dataDir the data directory (created 0700 when absent; used for SQLite only)
     * @param host    the name this host's rows carry
     * @param options clock, retention and busy timeout
     * @return the store
     * @throws StoreException naming the file or URL and the fault
     */
    public static HistoryStore open(@Nullable String jdbcUrl, Path dataDir, String host, Options options) {
        String url = normalized(jdbcUrl);
        HistoryStore store;
        if (url == null) {
            Path file = sqliteFile(dataDir);
            createPrivately(file, "history database");
            store = new HistoryStore(
                    connectSqlite(file, false, options), Dialect.SQLITE, file.toString(), host, true, options, dataDir);
        } else {
            store = new HistoryStore(
                    connectPostgres(url, options), Dialect.POSTGRESQL, redact(url), host, true, options, dataDir);
        }
        try {
            store.prepareWriter();
            store.writeOpenPlaces(null);
            return store;
        } catch (RuntimeException e) {
            store.closeQuietly();
            throw e;
        }
    }

    /**
     * Opens the history for reading only, with the default options. The SQLite file is opened read-only
     * and never created.
     *
     * @param jdbcUrl null (or blank) for SQLite in {@code dataDir}, else a {@code jdbc:postgresql://…} URL
     * @param dataDir the data directory
     * @param host    the host whose history is read by default
     * @return the store, or empty when there is no history yet (no file, or no schema)
     * @throws StoreException naming the file or URL and the fault
     */
    public static Optional<HistoryStore> openReadOnly(@Nullable String jdbcUrl, Path dataDir, String host) {
        return openReadOnly(jdbcUrl, dataDir, host, Options.defaults());
    }

    /**
     * Opens the history for reading only. The SQLite file is opened read-only and never created.
     *
     * @param jdbcUrl null (or blank) for SQLite in {@code dataDir}, else a {@code jdbc:postgresql://…} URL
     * @param dataDir the data directory
     * @param host    the host whose history is read by default
     * @param options the busy timeout (the rest is for writers)
     * @return the store, or empty when there is no history yet (no file, or no schema)
     * @throws StoreException naming the file or URL and the fault
     */
    public static Optional<HistoryStore> openReadOnly(
            @Nullable String jdbcUrl, Path dataDir, String host, Options options) {
        String url = normalized(jdbcUrl);
        HistoryStore store;
        if (url == null) {
            Path file = sqliteFile(dataDir);
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            store = new HistoryStore(
                    connectSqlite(file, true, options), Dialect.SQLITE, file.toString(), host, false, options, null);
        } else {
            store = new HistoryStore(
                    connectPostgres(url, options), Dialect.POSTGRESQL, redact(url), host, false, options, null);
            try {
                store.conn.setReadOnly(true);
            } catch (SQLException e) {
                store.closeQuietly();
                throw store.fail("cannot read", e);
            }
        }
        try {
            int version = Migrations.current(store.conn, store.dialect);
            if (version == 0) {
                store.closeQuietly();
                return Optional.empty();
            }
            store.checkNotNewer(version);
            if (version < SCHEMA_VERSION) {
                throw new StoreException(
                        Reason.OTHER,
                        "history database " + store.location + " has schema version " + version
                                + ", older than this portlens's " + SCHEMA_VERSION
                                + ": run portlens watch once to upgrade it",
                        null);
            }
            return Optional.of(store);
        } catch (SQLException e) {
            store.closeQuietly();
            throw store.fail("cannot read", e);
        } catch (RuntimeException e) {
            store.closeQuietly();
            throw e;
        }
    }

    /**
     * Whether this host has a SQLite history in the data directory: one {@code stat}, so a caller can
     * skip the history entirely when there is none.
     *
     * @param dataDir the data directory
     * @return true when {@value #FILE_NAME} exists there
     */
    public static boolean exists(Path dataDir) {
        return Files.exists(sqliteFile(dataDir));
    }

    /**
     * The SQLite file of a data directory.
     *
     * @param dataDir the data directory
     * @return {@code dataDir/history.db}
     */
    public static Path sqliteFile(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /**
     * This host's name as the kernel has it ({@code /proc/sys/kernel/hostname}), else {@code $HOSTNAME},
     * else {@code %COMPUTERNAME%} (Windows), else {@code localhost}. No DNS lookup.
     *
     * @return the host name
     */
    public static String localHost() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: the environment is the next best source
        }
        for (String name : new String[] {"HOSTNAME", "COMPUTERNAME"}) { // a shell's, Windows'
            String env = System.getenv(name);
            if (env != null && !env.isBlank()) {
                return env.strip();
            }
        }
        return "localhost";
    }

    /**
     * Where the history is: the SQLite file's path, or the PostgreSQL URL with its password hidden.
     *
     * @return the location, as the error messages name it
     */
    public String location() {
        return location;
    }

    /**
     * The host this store writes as and reads by default.
     *
     * @return the host name (cut at 255 characters)
     */
    public String host() {
        return host;
    }

    /**
     * Whether the history is a PostgreSQL database (which may hold many hosts).
     *
     * @return true for PostgreSQL, false for SQLite
     */
    public boolean shared() {
        return dialect == Dialect.POSTGRESQL;
    }

    private static @Nullable String normalized(@Nullable String jdbcUrl) {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            return null;
        }
        String url = jdbcUrl.strip();
        if (!url.startsWith(POSTGRES_PREFIX) || url.length() == POSTGRES_PREFIX.length()) {
            throw new StoreException(
                    Reason.BAD_URL,
                    "unsupported history database URL '" + redact(url) + "': give none (SQLite in the data"
                            + " directory) or jdbc:postgresql://HOST[:PORT]/DATABASE",
                    null);
        }
        return url;
    }

    /** The URL with any password replaced by ***. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("(//[^/@:]*:)[^/@]*@", "$1***@");
    }

    /**
     * Makes a database file readable by its owner only (its directory too, when absent), or says in
     * one line why it cannot be made.
     *
     * @param file the file
     * @param what what the file is, for the message: {@code "history database"}, {@code "vote database"}
     */
    static void createPrivately(Path file, String what) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (FileAlreadyExistsException e) {
                    // another process made it meanwhile
                }
            }
        } catch (AccessDeniedException e) {
            throw new StoreException(
                    Reason.READ_ONLY, what + " " + file + " cannot be created: permission denied on " + e.getFile(), e);
        } catch (FileSystemException e) {
            String why = String.valueOf(e.getReason()).toLowerCase(java.util.Locale.ROOT);
            boolean ro = why.contains("read-only") || why.contains("not permitted"); // EROFS, or EPERM (immutable)
            throw new StoreException(
                    ro ? Reason.READ_ONLY : Reason.OTHER,
                    what + " " + file + " cannot be created: "
                            + String.valueOf(e.getMessage()).replace('\n', ' '),
                    e);
        } catch (IOException e) {
            throw new StoreException(
                    Reason.OTHER,
                    what + " " + file + " cannot be created: "
                            + String.valueOf(e.getMessage()).replace('\n', ' '),
                    e);
        }
    }

    private static Connection connectSqlite(Path file, boolean readOnly, Options options) {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout(
                (int) Math.min(Integer.MAX_VALUE, options.busyTimeout().toMillis()));
        if (readOnly) {
            cfg.setReadOnly(true);
            cfg.resetOpenMode(SQLiteOpenMode.CREATE);
            // a port's events lie on scattered pages: mapped, a query reads them without a system call each
            cfg.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(256L << 20));
        } else {
            cfg.resetOpenMode(SQLiteOpenMode.CREATE); // made above with mode 0600; never by SQLite
            cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
            cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            cfg.enforceForeignKeys(true);
        }
        // Opening applies the pragmas (WAL needs the database's lock) before the connection's busy
        // handler can wait for another writer opening at the same moment: SQLITE_BUSY comes back at
        // once. So a busy open is tried again, until the busy timeout is spent.
        long deadline = System.nanoTime() + options.busyTimeout().toNanos();
        while (true) {
            try {
                return cfg.createConnection("jdbc:sqlite:" + file);
            } catch (SQLException e) {
                boolean busy = e.getErrorCode() == SQLITE_BUSY
                        || e.getErrorCode() == SQLITE_LOCKED
                        || String.valueOf(e.getMessage()).contains("SQLITE_BUSY");
                if (!busy || System.nanoTime() > deadline) {
                    throw failure(Dialect.SQLITE, file.toString(), "cannot open", e, options);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw failure(Dialect.SQLITE, file.toString(), "cannot open", e, options);
                }
            }
        }
    }

    /** SQLite's result codes for a database another connection holds. */
    private static final int SQLITE_BUSY = 5;

    private static final int SQLITE_LOCKED = 6;

    private static Connection connectPostgres(String url, Options options) {
        Properties p = new Properties();
        p.setProperty("ApplicationName", "portlens");
        p.setProperty("connectTimeout", "10");
        try {
            Connection c = new org.postgresql.Driver().connect(url, p);
            if (c == null) {
                throw new StoreException(
                        Reason.BAD_URL, "the PostgreSQL driver does not accept the URL '" + redact(url) + "'", null);
            }
            try (Statement s = c.createStatement()) {
                s.execute("SET lock_timeout = "
                        + Math.max(1, options.busyTimeout().toMillis()));
            }
            return c;
        } catch (SQLException e) {
            throw failure(Dialect.POSTGRESQL, redact(url), "cannot connect to", e, options);
        }
    }

    private void prepareWriter() {
        try {
            int version = Migrations.current(conn, dialect);
            checkNotNewer(version);
            if (dialect == Dialect.SQLITE) {
                // the write lock and a write at once (one that changes no row): a held lock or a file SQLite
                // could only open read-only shows here, before anything is written
                tx(() -> {
                    if (version > 0) {
                        try (Statement s = conn.createStatement()) {
                            s.executeUpdate("DELETE FROM schema_version WHERE 1 = 0");
                        }
                    }
                });
            }
            if (version < SCHEMA_VERSION) {
                Migrations.apply(this::tx, conn, dialect, options.clock().millis());
                checkNotNewer(Migrations.current(conn, dialect));
            }
        } catch (SQLException e) {
            throw fail("cannot open", e);
        }
    }

    private void checkNotNewer(int version) {
        if (version > SCHEMA_VERSION) {
            throw new StoreException(
                    Reason.NEWER_SCHEMA,
                    "history database " + location + " has schema version " + version + "; this portlens knows up to "
                            + SCHEMA_VERSION + ": upgrade portlens",
                    null);
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes one read's events in one transaction: all of them, or (on failure) none. Also marks the
     * watch run alive (at most once a minute) and applies the retention (at most once an hour, after
     * the commit).
     *
     * @param events the events, in any order; an empty list only marks the run alive
     * @throws StoreException naming the file or URL and the fault; nothing of this call was written
     */
    public synchronized void record(List<WatchEvent> events) {
        requireWriter();
        long now = options.clock().millis();
        long newest = now;
        for (WatchEvent e : events) {
            newest = Math.max(newest, e.at().toEpochMilli());
        }
        long alive = newest;
        long[] run = {runId};
        boolean beat = alive - aliveWritten >= HEARTBEAT_INTERVAL.toMillis();
        try {
            tx(() -> {
                if (run[0] < 0) {
                    run[0] = insertRun(now, alive);
                } else if (beat) {
                    updateAlive(run[0], alive);
                }
                insertEvents(run[0], events);
            });
        } catch (SQLException e) {
            throw fail("cannot write to", e);
        }
        if (runId < 0 || beat) {
            aliveWritten = alive;
        }
        runId = run[0];
        if (!events.isEmpty()) {
            writeOpenPlaces(events);
        }
        maintain(now);
    }

    /**
     * Marks the watch run alive now, if the last mark is at least {@link #HEARTBEAT_INTERVAL} old (the
     * first call starts the run), and applies the retention if due. A watcher calls it after every read.
     *
     * @throws StoreException naming the file or URL and the fault
     */
    public synchronized void heartbeat() {
        requireWriter();
        long now = options.clock().millis();
        if (runId >= 0 && now - aliveWritten < HEARTBEAT_INTERVAL.toMillis()) {
            maintain(now);
            return;
        }
        long[] run = {runId};
        try {
            tx(() -> {
                if (run[0] < 0) {
                    run[0] = insertRun(now, now);
                } else {
                    updateAlive(run[0], now);
                }
            });
        } catch (SQLException e) {
            throw fail("cannot write to", e);
        }
        runId = run[0];
        aliveWritten = now;
        maintain(now);
    }

    /**
     * Deletes the events older than {@code before} (and the watch runs that ended before it with no
     * event left), {@value #PRUNE_BATCH} rows per transaction.
     *
     * @param before the oldest time kept
     * @return the number of events deleted
     * @throws StoreException naming the file or URL and the fault; the batches before the failure stay deleted
     */
    public synchronized long prune(Instant before) {
        requireWriter();
        long cut = before.toEpochMilli();
        long total = 0;
        try {
            while (true) {
                int[] n = {0};
                tx(() -> {
                    try (PreparedStatement p = conn.prepareStatement("DELETE FROM event WHERE id IN"
                            + " (SELECT id FROM event WHERE at < ? ORDER BY at LIMIT " + PRUNE_BATCH + ")")) {
                        p.setLong(1, cut);
                        n[0] = p.executeUpdate();
                    }
                });
                total += n[0];
                if (n[0] < PRUNE_BATCH) {
                    break;
                }
            }
            tx(() -> {
                try (PreparedStatement p =
                        conn.prepareStatement("DELETE FROM place WHERE open_since IS NULL AND last_at < ?")) {
                    p.setLong(1, cut);
                    p.executeUpdate();
                }
            });
            tx(() -> {
                try (PreparedStatement p = conn.prepareStatement("DELETE FROM watch_run WHERE alive_at < ? AND id <> ?"
                        + " AND NOT EXISTS (SELECT 1 FROM event e WHERE e.run_id = watch_run.id)")) {
                    p.setLong(1, cut);
                    p.setLong(2, runId);
                    p.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw fail("cannot prune", e);
        }
        return total;
    }

    private void maintain(long now) {
        if (lastPrune == Long.MIN_VALUE || now - lastPrune >= PRUNE_INTERVAL.toMillis()) {
            lastPrune = now;
            prune(Instant.ofEpochMilli(now).minus(options.retention()));
        }
    }

    private long insertRun(long startedAt, long aliveAt) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement(
                "INSERT INTO watch_run (host, started_at, alive_at, pid) VALUES (?, ?, ?, ?) RETURNING id")) {
            p.setString(1, host);
            p.setLong(2, startedAt);
            p.setLong(3, aliveAt);
            p.setLong(4, ProcessHandle.current().pid());
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private void updateAlive(long run, long at) throws SQLException {
        try (PreparedStatement p =
                conn.prepareStatement("UPDATE watch_run SET alive_at = ? WHERE id = ? AND alive_at < ?")) {
            p.setLong(1, at);
            p.setLong(2, run);
            p.setLong(3, at);
            p.executeUpdate();
        }
    }

    private void insertEvents(long run, List<WatchEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement p = conn.prepareStatement("INSERT INTO event (run_id, " + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (WatchEvent e : events) {
                bind(p, run, e);
                p.addBatch();
            }
            p.executeBatch();
        }
        try (PreparedStatement select = conn.prepareStatement(PLACE_SELECT);
                PreparedStatement update = conn.prepareStatement(PLACE_UPDATE);
                PreparedStatement insert = conn.prepareStatement(PLACE_INSERT)) {
            for (WatchEvent e : events) {
                updatePlace(run, e, select, update, insert);
            }
        }
    }

    private static final String PLACE_KEY =
            "port = ? AND host = ? AND transport = ? AND address = ? AND netns_inode = ?";

    private static final String PLACE_SELECT = "SELECT open_since, at_least, owner_since, last_at, socket_inode,"
            + " run_id, pid, start_time, process_name, executable, process_user, source_kind, source_name FROM place"
            + " WHERE " + PLACE_KEY;
    private static final String PLACE_UPDATE = "UPDATE place SET open_since = ?, at_least = ?, owner_since = ?,"
            + " last_at = ?, socket_inode = ?, run_id = ?, pid = ?, start_time = ?, process_name = ?, executable = ?,"
            + " process_user = ?, source_kind = ?, source_name = ? WHERE " + PLACE_KEY;
    private static final String PLACE_INSERT = "INSERT INTO place (open_since, at_least, owner_since, last_at,"
            + " socket_inode, run_id, pid, start_time, process_name, executable, process_user, source_kind, source_name,"
            + " port, host, transport, address, netns_inode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Moves the place of an event to its new standing (see {@link PlaceState}), in the event's transaction. */
    private void updatePlace(
            long run, WatchEvent e, PreparedStatement select, PreparedStatement update, PreparedStatement insert)
            throws SQLException {
        Listener l = e.listener();
        String address = Bounds.cut(l.local().address(), Bounds.ADDRESS);
        List<Object> key = List.of(
                l.local().port(),
                host,
                l.transport().label(),
                address,
                l.namespace().inode());
        PlaceState st = null;
        bindAll(select, key);
        try (ResultSet r = select.executeQuery()) {
            if (r.next()) {
                st = PlaceState.read(r);
            }
        }
        PreparedStatement p = st != null ? update : insert;
        if (st == null) {
            st = new PlaceState();
        }
        ProcessInfo owner = Changes.principal(l);
        st.see(e.kind(), e.at(), l.inode(), run, owner == null ? null : stored(owner));
        int i = st.write(p);
        for (Object k : key) {
            bindOne(p, i++, k);
        }
        p.executeUpdate();
    }

    private static StoredProcess stored(ProcessInfo p) {
        return new StoredProcess(
                p.pid(),
                p.startTime() == null
                        ? null
                        : Instant.ofEpochMilli(p.startTime().toEpochMilli()),
                Bounds.cut(p.name(), Bounds.NAME),
                Bounds.cutOrNull(p.executable(), Bounds.PATH),
                Bounds.cut(p.user(), Bounds.NAME),
                p.source().kind(),
                Bounds.cut(p.source().name(), Bounds.NAME));
    }

    private void bind(PreparedStatement p, long run, WatchEvent e) throws SQLException {
        Listener l = e.listener();
        ProcessInfo owner = Changes.principal(l);
        int i = 1;
        p.setLong(i++, run);
        p.setString(i++, host);
        p.setLong(i++, e.at().toEpochMilli());
        p.setString(i++, e.kind().name());
        p.setString(i++, l.transport().label());
        p.setString(i++, Bounds.cut(l.local().address(), Bounds.ADDRESS));
        p.setInt(i++, l.local().port());
        p.setLong(i++, l.namespace().inode());
        p.setString(i++, Bounds.cut(l.namespace().name(), Bounds.NAME));
        p.setLong(i++, l.inode());
        p.setInt(i++, l.uid());
        p.setString(i++, Bounds.cut(l.user(), Bounds.NAME));
        p.setString(i++, ownerState(l, owner).name());
        setInt(p, i++, owner == null ? null : owner.pid());
        setLong(
                p,
                i++,
                owner == null || owner.startTime() == null
                        ? null
                        : owner.startTime().toEpochMilli());
        p.setString(i++, owner == null ? null : Bounds.cut(owner.name(), Bounds.NAME));
        p.setString(i++, owner == null ? null : Bounds.cutOrNull(owner.executable(), Bounds.PATH));
        p.setString(i++, owner == null ? null : Bounds.cut(owner.user(), Bounds.NAME));
        p.setString(i++, owner == null ? null : owner.source().kind().name());
        p.setString(i++, owner == null ? null : Bounds.cut(owner.source().name(), Bounds.NAME));
        ProcessInfo prev = e instanceof WatchEvent.OwnerChanged oc ? Changes.principal(oc.before()) : null;
        setInt(p, i++, prev == null ? null : prev.pid());
        p.setString(i++, prev == null ? null : Bounds.cut(prev.name(), Bounds.NAME));
        p.setString(i, prev == null ? null : Bounds.cutOrNull(prev.executable(), Bounds.PATH));
    }

    private static OwnerState ownerState(Listener l, @Nullable ProcessInfo principal) {
        if (principal != null) {
            return OwnerState.KNOWN;
        }
        for (Owner o : l.owners()) {
            if (o instanceof Owner.Hidden) {
                return OwnerState.HIDDEN;
            }
            if (o instanceof Owner.Gone) {
                return OwnerState.GONE;
            }
        }
        return OwnerState.NONE;
    }

    private static void setInt(PreparedStatement p, int i, @Nullable Integer v) throws SQLException {
        if (v == null) {
            p.setNull(i, java.sql.Types.INTEGER);
        } else {
            p.setInt(i, v);
        }
    }

    private static void setLong(PreparedStatement p, int i, @Nullable Long v) throws SQLException {
        if (v == null) {
            p.setNull(i, java.sql.Types.BIGINT);
        } else {
            p.setLong(i, v);
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * The events of a port, oldest first (the newest {@link HistoryQuery#limit()} of them), with the
     * watch runs of the host(s) that overlap the time asked about. One indexed query for the events.
     *
     * @param q what to read
     * @return the events and runs
     * @throws StoreException naming the file or URL and the fault
     */
    public synchronized History history(HistoryQuery q) {
        String qHost = q.host() != null ? Bounds.cut(q.host(), Bounds.NAME) : host;
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM event WHERE port = ?");
        List<Object> args = new ArrayList<>();
        args.add(q.port());
        if (!q.allHosts()) {
            sql.append(" AND host = ?");
            args.add(qHost);
        }
        if (q.transport() != null) {
            sql.append(" AND transport = ?");
            args.add(q.transport().label());
        }
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            args.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND at < ?");
            args.add(q.until().toEpochMilli());
        }
        sql.append(" ORDER BY at DESC, id DESC LIMIT ?");
        args.add(q.limit() + 1);
        try {
            List<StoredEvent> events = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement(sql.toString())) {
                bindAll(p, args);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        events.add(event(r));
                    }
                }
            }
            boolean more = events.size() > q.limit();
            if (more) {
                events.remove(events.size() - 1);
            }
            Collections.reverse(events);
            return new History(events, runs(q, qHost), more);
        } catch (SQLException e) {
            throw fail("cannot read", e);
        }
    }

    private List<WatchRun> runs(HistoryQuery q, String qHost) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT host, started_at, alive_at FROM watch_run WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (!q.allHosts()) {
            sql.append(" AND host = ?");
            args.add(qHost);
        }
        if (q.until() != null) {
            sql.append(" AND started_at < ?");
            args.add(q.until().toEpochMilli());
        }
        if (q.since() != null) {
            sql.append(" AND alive_at >= ?");
            args.add(q.since().toEpochMilli() - HEARTBEAT_INTERVAL.toMillis());
        }
        sql.append(" ORDER BY started_at, id");
        List<WatchRun> out = new ArrayList<>();
        try (PreparedStatement p = conn.prepareStatement(sql.toString())) {
            bindAll(p, args);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new WatchRun(
                            r.getString(1), Instant.ofEpochMilli(r.getLong(2)), Instant.ofEpochMilli(r.getLong(3))));
                }
            }
        }
        return out;
    }

    /**
     * Since when the places on a port of this host are open, as far as the history knows: per place,
     * the latest opening not followed by a close, or the first sight of it since the last close as a
     * lower bound. One lookup by primary key in a table the writer keeps with every event, not a scan
     * of the events: {@code portlens PORT} may ask on every run (though it
     * should read {@link OpenPlaces#since}, which needs no database at all).
     *
     * @param transport tcp or udp
     * @param port      the port
     * @return one period per place the history holds open, in address order; empty when none
     * @throws StoreException naming the file or URL and the fault
     */
    public synchronized List<OpenPeriod> openSince(Transport transport, int port) {
        try {
            return openPlaces(transport, port);
        } catch (SQLException e) {
            throw fail("cannot read", e);
        }
    }

    /** The open places of this host, of one port or all (null, null), in (port, address, netns) order. */
    private List<OpenPeriod> openPlaces(@Nullable Transport transport, @Nullable Integer port) throws SQLException {
        List<OpenPeriod> out = new ArrayList<>();
        String where = port == null ? "host = ?" : "port = ? AND host = ? AND transport = ?";
        List<Object> args = port == null || transport == null ? List.of(host) : List.of(port, host, transport.label());
        try (PreparedStatement p = conn.prepareStatement("SELECT open_since, at_least, owner_since, last_at,"
                + " socket_inode, run_id, pid, start_time, process_name, executable, process_user, source_kind,"
                + " source_name, address, netns_inode, transport, port FROM place WHERE " + where
                + " AND open_since IS NOT NULL ORDER BY port, transport, address, netns_inode")) {
            bindAll(p, args);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    PlaceState st = PlaceState.read(r);
                    Instant since = st.since;
                    Instant last = st.last;
                    if (since != null && last != null) {
                        out.add(new OpenPeriod(
                                transport(r.getString(16)),
                                r.getString(14),
                                r.getInt(17),
                                r.getLong(15),
                                st.inode,
                                since,
                                st.atLeast,
                                st.owner,
                                st.ownerSince != null ? st.ownerSince : since,
                                last));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Rewrites the open-places files of the data directory: of the given events' ports, or with null of
     * every port (writers only; a failure removes the files).
     */
    private void writeOpenPlaces(@Nullable List<WatchEvent> events) {
        Path dir = dataDir;
        if (dir == null) {
            return;
        }
        try {
            Map<String, List<OpenPeriod>> byPort = new LinkedHashMap<>();
            if (events == null) {
                for (OpenPeriod p : openPlaces(null, null)) {
                    byPort.computeIfAbsent(OpenPlaces.key(p.transport(), p.port()), k -> new ArrayList<>())
                            .add(p);
                }
            } else {
                for (WatchEvent e : events) {
                    Listener l = e.listener();
                    String key = OpenPlaces.key(l.transport(), l.local().port());
                    if (!byPort.containsKey(key)) {
                        byPort.put(key, openPlaces(l.transport(), l.local().port()));
                    }
                }
            }
            OpenPlaces.write(dir, host, options.clock().millis(), byPort, events == null);
        } catch (SQLException e) {
            OpenPlaces.delete(dir); // never a stale file
        }
    }

    private StoredEvent event(ResultSet r) throws SQLException {
        Integer pid = (Integer) intOrNull(r, 13);
        StoredProcess owner = pid == null
                ? null
                : new StoredProcess(
                        pid,
                        instantOrNull(r, 14),
                        nonNull(r.getString(15)),
                        r.getString(16),
                        r.getString(17),
                        sourceKind(r.getString(18)),
                        r.getString(19));
        Integer prevPid = (Integer) intOrNull(r, 20);
        StoredProcess before = prevPid == null
                ? null
                : new StoredProcess(prevPid, null, nonNull(r.getString(21)), r.getString(22), null, null, null);
        return new StoredEvent(
                r.getString(1),
                Instant.ofEpochMilli(r.getLong(2)),
                kind(r.getString(3)),
                transport(r.getString(4)),
                r.getString(5),
                r.getInt(6),
                r.getLong(7),
                r.getString(8),
                r.getLong(9),
                r.getInt(10),
                r.getString(11),
                ownerState(r.getString(12)),
                owner,
                before);
    }

    private WatchEvent.Kind kind(String s) {
        try {
            return WatchEvent.Kind.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new StoreException(
                    Reason.CORRUPT, "history database " + location + " holds an unknown event kind '" + s + "'", e);
        }
    }

    private Transport transport(String s) {
        try {
            return Transport.parse(s);
        } catch (IllegalArgumentException e) {
            throw new StoreException(
                    Reason.CORRUPT, "history database " + location + " holds an unknown transport '" + s + "'", e);
        }
    }

    private static OwnerState ownerState(String s) {
        try {
            return OwnerState.valueOf(s);
        } catch (IllegalArgumentException e) {
            return OwnerState.NONE;
        }
    }

    private static Source.@Nullable Kind sourceKind(@Nullable String s) {
        if (s == null) {
            return null;
        }
        try {
            return Source.Kind.valueOf(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String nonNull(@Nullable String s) {
        return s == null ? "" : s;
    }

    private static @Nullable Object intOrNull(ResultSet r, int i) throws SQLException {
        int v = r.getInt(i);
        return r.wasNull() ? null : Integer.valueOf(v);
    }

    private static @Nullable Instant instantOrNull(ResultSet r, int i) throws SQLException {
        long v = r.getLong(i);
        return r.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void bindAll(PreparedStatement p, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            bindOne(p, i + 1, args.get(i));
        }
    }

    private static void bindOne(PreparedStatement p, int i, Object a) throws SQLException {
        if (a instanceof Integer n) {
            p.setInt(i, n);
        } else if (a instanceof Long n) {
            p.setLong(i, n);
        } else {
            p.setString(i, a.toString());
        }
    }

    // ------------------------------------------------------------------ transactions, errors, closing

    private void tx(Migrations.Work w) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            try (Statement s = conn.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            try {
                w.run();
                try (Statement s = conn.createStatement()) {
                    s.execute("COMMIT");
                }
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
        } else {
            conn.setAutoCommit(false);
            try {
                w.run();
                conn.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        }
    }

    private void rollbackQuietly() {
        try {
            if (dialect == Dialect.SQLITE) {
                try (Statement s = conn.createStatement()) {
                    s.execute("ROLLBACK");
                }
            } else {
                conn.rollback();
            }
        } catch (SQLException e) {
            // nothing was begun, or the connection is gone: either way nothing is committed
        }
    }

    private void requireWriter() {
        if (!writer) {
            throw new IllegalStateException("history store " + location + " was opened read-only");
        }
    }

    private StoreException fail(String doing, SQLException e) {
        return failure(dialect, location, doing, e, options);
    }

    private static StoreException failure(Dialect d, String location, String doing, SQLException e, Options o) {
        Reason reason = d.reason(e);
        String cause = firstLine(e.getMessage());
        String db = "history database " + location;
        String message;
        switch (reason) {
            case LOCKED:
                message = db + " is locked: another writer held it for more than " + seconds(o.busyTimeout()) + " ("
                        + cause + ")";
                break;
            case READ_ONLY:
                message = db + " is read-only: " + doing.replace("cannot ", "") + " failed (" + cause + ")";
                break;
            case CORRUPT:
                message = db + " is damaged or not a " + (d == Dialect.SQLITE ? "SQLite" : "valid") + " database ("
                        + cause + "); it was left as it is";
                break;
            case UNREACHABLE:
                message = "cannot reach the history database " + location + ": " + cause;
                break;
            default:
                message = doing + " " + db + ": " + cause;
        }
        return new StoreException(reason, message, e);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private static String firstLine(@Nullable String s) {
        if (s == null) {
            return "no detail";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }

    /**
     * Ends the watch run (its last-alive time set to now, for a writer) and closes the connection.
     * Closing twice is harmless.
     */
    @Override
    public synchronized void close() {
        try {
            if (writer && runId >= 0 && !conn.isClosed()) {
                long now = options.clock().millis();
                tx(() -> updateAlive(runId, now));
            }
        } catch (SQLException e) {
            // the run keeps its last heartbeat: at most a minute early
        } finally {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            conn.close();
        } catch (SQLException e) {
            // closing: nothing left to save
        }
    }
}
