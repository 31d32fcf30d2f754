package org.portlens.cli;

/** Bad input from the user: printed as one line, exit code 2. */
final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InputException(String message) {
        super(message);
    }
}
