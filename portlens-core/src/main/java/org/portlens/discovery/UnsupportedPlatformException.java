package org.portlens.discovery;

/** Discovery is not implemented for this operating system. */
public class UnsupportedPlatformException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedPlatformException(String message) {
        super(message);
    }
}
