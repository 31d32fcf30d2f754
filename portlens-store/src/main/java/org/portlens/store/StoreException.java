package org.portlens.store;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The history database could not do what was asked. The message is one line that names the file or
 * the URL (its password hidden) and says why; {@link #reason()} says which kind of failure it is, so
 * that a program can choose its exit code. Nothing was half written: a failed write was rolled back.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure. */
    public enum Reason {
        /** The JDBC URL is neither absent (SQLite) nor {@code jdbc:postgresql://…}: a usage error. */
        BAD_URL,
        /** Another connection holds the database's write lock longer than the busy timeout. */
        LOCKED,
        /** The file, its directory or the database refuses writes. */
        READ_ONLY,
        /** The file is not a SQLite database, or the database is damaged. */
        CORRUPT,
        /** The database was written by a newer portlens: its schema version is above what this build knows. */
        NEWER_SCHEMA,
        /** The PostgreSQL server could not be reached or refused the login. */
        UNREACHABLE,
        /** Any other failure of the database or the file system. */
        OTHER;

        /**
         * The lower-case, dash-separated name ({@code newer-schema}).
         *
         * @return the label
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Which kind of failure. */
    private final Reason reason;

    /**
     * A failure of one kind.
     *
     * @param reason  which kind
     * @param message one line naming the file or URL and the fault
     * @param cause   the underlying exception, or null
     */
    public StoreException(Reason reason, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Which kind of failure this is.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
