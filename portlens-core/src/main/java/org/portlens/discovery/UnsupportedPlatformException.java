package org.portlens.discovery;

/**
 * Discovery is not implemented for this operating system.
 *
 * <p>Thrown to the calling thread; holds only its message, so it is safe to pass on.
 */
public class UnsupportedPlatformException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedPlatformException(String message) {
        super(message);
    }
}
