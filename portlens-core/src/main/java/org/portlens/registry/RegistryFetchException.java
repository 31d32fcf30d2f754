package org.portlens.registry;

/**
 * A registry source could not be read (network, HTTP status, file).
 *
 * <p>Immutable: it holds only its message, so it is safe to pass between threads.
 */
public class RegistryFetchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with its message.
     *
     * @param message names the source and what went wrong
     */
    public RegistryFetchException(String message) {
        super(message);
    }
}
