package org.portlens.registry;

/**
 * The bytes given as a registry are not IANA's XML or CSV, or fail validation.
 *
 * <p>Immutable: it holds only its message, so it is safe to pass between threads.
 */
public class RegistryFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with its message.
     *
     * @param message what the bytes are instead, or the check that failed
     */
    public RegistryFormatException(String message) {
        super(message);
    }
}
