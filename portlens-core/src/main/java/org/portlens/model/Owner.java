package org.portlens.model;

/**
 * Who holds a socket. "Unknown" is never empty: it says why.
 *
 * <p>Every kind is an immutable record; safe to share between threads.
 */
public sealed interface Owner {

    /** A process that holds the socket in one of its file descriptors. */
    record Known(ProcessInfo process, int fd) implements Owner {}

    /** The owner exists but could not be seen; {@code reason} says why and what would help. */
    record Hidden(String reason) implements Owner {}

    /** The process held the socket when the socket table was read, and exited before its details could be read. */
    record Gone(int pid) implements Owner {}

    /** No process holds the socket (a kernel socket, or one being torn down); {@code reason} says which is likely. */
    record None(String reason) implements Owner {}
}
