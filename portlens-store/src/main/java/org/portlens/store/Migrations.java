package org.portlens.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema, as numbered SQL resources per dialect ({@code sql/DIALECT/V1.sql}, V2, …), each applied
 * in one transaction together with its row in {@code schema_version}. Two writers that start at once
 * take turns (SQLite: {@code BEGIN IMMEDIATE}; PostgreSQL: a transaction-scoped advisory lock), and the
 * second finds the work done.
 */
final class Migrations {

    /** The newest schema version this build knows. */
    static final int LATEST = 1;

    /** The PostgreSQL advisory lock key of the migrations ("portlens" in ASCII, truncated). */
    static final long PG_LOCK_KEY = 0x706f72746c656e73L;

    private Migrations() {}

    /** The version of the schema in the database: 0 for none (no schema_version table, or empty). */
    static int current(Connection c, Dialect d) throws SQLException {
        String exists = d == Dialect.SQLITE
                ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
                : "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'schema_version'"
                        + " AND schemaname = ANY (current_schemas(false))";
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(exists)) {
            r.next();
            if (r.getInt(1) == 0) {
                return 0;
            }
        }
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** Applies every version after {@code from}, each in a transaction of its own (through {@code tx}). */
    static void apply(Transactions tx, Connection c, Dialect d, long now) throws SQLException {
        for (int v = 1; v <= LATEST; v++) {
            int version = v;
            tx.run(() -> {
                if (d == Dialect.POSTGRESQL) {
                    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                        lock.setLong(1, PG_LOCK_KEY);
                        lock.executeQuery().close();
                    }
                }
                if (current(c, d) >= version) {
                    return; // another writer did it while this one waited
                }
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version"
                            + " (version INTEGER NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)");
                    for (String sql : statements(d, version)) {
                        s.executeUpdate(sql);
                    }
                }
                try (PreparedStatement p =
                        c.prepareStatement("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
                    p.setInt(1, version);
                    p.setLong(2, now);
                    p.executeUpdate();
                }
            });
        }
    }

    /** The statements of one version's resource: separated by a ';' that ends a line; '--' comment lines dropped. */
    static List<String> statements(Dialect d, int version) {
        String name = "sql/" + d.resourceDir + "/V" + version + ".sql";
        String text;
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("migration resource missing from the jar: " + name);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + name + ": " + e.getMessage(), e);
        }
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                String stmt = cur.toString().strip();
                out.add(stmt.substring(0, stmt.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            throw new IllegalStateException("migration " + name + " ends without ';'");
        }
        return out;
    }

    /** Runs work in one transaction. */
    interface Transactions {
        void run(Work w) throws SQLException;
    }

    /** Work inside a transaction. */
    interface Work {
        void run() throws SQLException;
    }
}
