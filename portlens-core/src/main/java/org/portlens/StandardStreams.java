package org.portlens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this process's standard input or output is a terminal, read from the system where the
 * JDK would need its console for it: on Linux, where {@code /proc/self/fd/N} points, one readlink,
 * no console provider looked up. Static methods only; safe from any thread.
 */
public final class StandardStreams {

    private static final Path FDS = Path.of("/proc/self/fd");

    private StandardStreams() {}

    /**
     * Whether descriptor {@code fd} of this process (0 standard input, 1 standard output) is a
     * terminal device.
     *
     * @param fd the descriptor number
     * @return true or false, or empty where it cannot be read this way (no /proc: not Linux)
     */
    public static Optional<Boolean> isTerminal(int fd) {
        return isTerminal(FDS.resolve(Integer.toString(fd)));
    }

    /**
     * Whether the descriptor link {@code link} (such as {@code /proc/self/fd/1}) names a terminal.
     *
     * @param link a descriptor's link in a proc tree
     * @return true or false, or empty when the link cannot be read
     */
    static Optional<Boolean> isTerminal(Path link) {
        try {
            return Optional.of(isTerminalDevice(Files.readSymbolicLink(link).toString()));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * A pseudo-terminal ({@code /dev/pts/N}), a console or virtual terminal ({@code /dev/ttyN},
     * {@code /dev/console}).
     *
     * @param target where a descriptor's link points
     * @return whether that is a terminal device
     */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
