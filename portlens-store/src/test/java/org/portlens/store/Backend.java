package org.portlens.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** One database the contract tests run against: a SQLite file of the test's, or a PostgreSQL database. */
interface Backend {

    /** The store for writing as {@code host}. */
    HistoryStore open(String host, HistoryStore.Options options);

    /** The store for reading as {@code host}, or empty when there is no history. */
    Optional<HistoryStore> openReadOnly(String host);

    /** A plain JDBC connection to the same database, for the test's own looks and changes. */
    Connection connect() throws SQLException;

    /** Makes every insert of an event on {@code port} fail (a trigger), to see a write roll back. */
    void failInsertsOnPort(int port) throws SQLException;
}
