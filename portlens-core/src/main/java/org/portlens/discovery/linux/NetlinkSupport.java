package org.portlens.discovery.linux;

import java.util.Optional;

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
}
