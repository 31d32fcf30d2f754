package org.portlens.discovery;

/**
 * Discovery is not implemented for this operating system.
 *
 * <p>Immutable: it holds only its message, so it is safe to pass between threads.
 */
public class UnsupportedPlatformException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with its message.
     *
     * @param message names the OS and says what still works there
     */
    public UnsupportedPlatformException(String message) {
        super(message);
    }
}
