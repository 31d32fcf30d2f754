package org.portlens.registry;

/** A registry source could not be read (network, HTTP status, file). */
public class RegistryFetchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryFetchException(String message) {
        super(message);
    }
}
