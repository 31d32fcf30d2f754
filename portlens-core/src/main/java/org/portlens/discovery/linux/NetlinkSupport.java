package org.portlens.discovery.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Whether this JVM can open sock_diag netlink sockets. This is the class of Java 17 to 21, which
 * cannot: the jar's {@code META-INF/versions/22} holds the one that can, through the foreign function
 * API ({@code java.lang.foreign}), and JDK 22+ loads that one instead.
 */
final class NetlinkSupport {

    private NetlinkSupport() {}

    /**
     * Whether {@link #opener()} may find one, without binding anything: a cheap check for choosing.
     *
     * @return false here: Java 17 cannot make the system calls
     */
    static boolean possible() {
        return false;
    }

    /**
     * The opener of sock_diag sockets, if this JVM has one that works (a socket opened and closed).
     * Prints nothing, whatever the outcome.
     *
     * @return empty here: Java 17 cannot make the system calls
     */
    static Optional<NetlinkChannel.Opener> opener() {
        return Optional.empty();
    }

    /**
     * Runs {@code work} on a thread of its own inside another network namespace. Java 17 cannot enter one.
     *
     * @param namespace the namespace's file, {@code /proc/PID/ns/net}
     * @param work      what to run there
     * @param <T>       what it returns
     * @return never
     * @throws IOException always here, saying what would help
     */
    static <T> T callIn(Path namespace, Callable<T> work) throws IOException {
        throw new IOException("entering another network namespace needs JDK 22 or newer (the foreign function API)");
    }
}
