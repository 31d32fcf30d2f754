package org.portlens.registry;

/**
 * A registry source could not be read (network, HTTP status, file, size or time limit).
 *
 * <p>Immutable: it holds only its message and reason, so it is safe to pass between threads.
 */
public class RegistryFetchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, by whose fault: the source given, or the network. Immutable. */
    public enum Reason {
        /** The source is unusable as given: a malformed URL, no such file, an HTTP 4xx, a file that never ends. */
        BAD_SOURCE,
        /** The source holds more than {@link RegistryUpdate#MAX_BYTES}: not a registry. */
        TOO_LARGE,
        /** The network or server failed: refused, unknown host, reset, an HTTP 5xx. */
        NETWORK,
        /** The download did not finish within its time limit. */
        TIMED_OUT
    }

    /** Why the fetch failed, for the exit code. */
    private final Reason reason;

    /**
     * An exception about the source as given ({@link Reason#BAD_SOURCE}).
     *
     * @param message names the source and what went wrong
     */
    public RegistryFetchException(String message) {
        this(message, Reason.BAD_SOURCE);
    }

    /**
     * An exception with its message and reason.
     *
     * @param message names the source and what went wrong
     * @param reason  whose fault it is
     */
    public RegistryFetchException(String message, Reason reason) {
        super(message);
        this.reason = reason;
    }

    /**
     * Whose fault it is.
     *
     * @return the reason given when this was thrown
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Whether the network or the server failed (refused, unknown host, too slow), rather than the
     * source given being wrong or too large.
     *
     * @return true for {@link Reason#NETWORK} and {@link Reason#TIMED_OUT}
     */
    public boolean networkFailure() {
        return reason == Reason.NETWORK || reason == Reason.TIMED_OUT;
    }
}
