package org.portlens.cli;

/**
 * The command answered, and the answer is "something is wrong" (a probe that could not connect):
 * its report is already on stdout; this one line goes to stderr, exit code 1.
 */
final class FindingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FindingsException(String message) {
        super(message);
    }
}
