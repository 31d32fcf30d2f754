package org.portlens.store;

import java.sql.SQLException;
import org.portlens.store.StoreException.Reason;

/** The two databases the store speaks to, and how each one's errors map to a {@link Reason}. */
enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    final String resourceDir;

    Dialect(String resourceDir) {
        this.resourceDir = resourceDir;
    }

    /** The kind of failure an exception of this database means. */
    Reason reason(SQLException e) {
        return this == SQLITE ? sqlite(e) : postgres(e);
    }

    private static Reason sqlite(SQLException e) {
        // sqlite-jdbc puts the (possibly extended) result code in the vendor code; the low byte is the primary code
        switch (e.getErrorCode() & 0xff) {
            case 5: // SQLITE_BUSY
            case 6: // SQLITE_LOCKED
                return Reason.LOCKED;
            case 3: // SQLITE_PERM
            case 8: // SQLITE_READONLY
            case 14: // SQLITE_CANTOPEN: the file exists (checked first), so its directory or mode refuses
                return Reason.READ_ONLY;
            case 11: // SQLITE_CORRUPT
            case 26: // SQLITE_NOTADB
                return Reason.CORRUPT;
            default:
                return Reason.OTHER;
        }
    }

    private static Reason postgres(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return Reason.OTHER;
        }
        if (state.startsWith("08") || state.startsWith("28") || state.equals("3D000") || state.equals("57P03")) {
            return Reason.UNREACHABLE; // connection, login, no such database, server starting up
        }
        switch (state) {
            case "25006": // read_only_sql_transaction
            case "42501": // insufficient_privilege
                return Reason.READ_ONLY;
            case "55P03": // lock_not_available
            case "40P01": // deadlock_detected
                return Reason.LOCKED;
            case "XX001": // data_corrupted
            case "XX002": // index_corrupted
                return Reason.CORRUPT;
            default:
                return Reason.OTHER;
        }
    }
}
