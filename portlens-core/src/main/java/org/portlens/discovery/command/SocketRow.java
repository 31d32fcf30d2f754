package org.portlens.discovery.command;

import org.portlens.model.Transport;

/**
 * One socket as a tool lists it: {@code lsof -F}, {@code netstat}, {@code Get-NetTCPConnection}.
 * Immutable; safe from any thread.
 *
 * @param transport tcp or udp
 * @param address   the local address as a literal, without brackets: "0.0.0.0" or "::" for a
 *                  wildcard, "fe80::1%lo0" with its zone
 * @param port      the local port
 * @param ipv6      whether the socket is an IPv6 one (a dual-stack one is)
 * @param state     listening, connected, or another TCP state
 * @param pid       the process the tool names, or -1 when it names none (BSD netstat)
 * @param fd        the descriptor the process holds it by, or -1 when the tool does not say
 * @param dualStack whether an IPv6 wildcard socket also takes IPv4: {@code tcp46} in BSD netstat
 */
public record SocketRow(
        Transport transport,
        String address,
        int port,
        boolean ipv6,
        State state,
        int pid,
        int fd,
        DualStack dualStack) {

    /** The state of a socket, as far as discovery cares. */
    public enum State {
        /** A listening TCP socket. */
        LISTEN,
        /** An established TCP connection. */
        ESTABLISHED,
        /** Any other TCP state (TIME_WAIT, SYN_SENT, CLOSE_WAIT, …), or one the tool named in words not known. */
        OTHER,
        /** A UDP socket with no peer: it takes datagrams from anyone, a listener. */
        UDP_OPEN,
        /** A connected UDP socket (lsof's {@code ->}): not a listener. */
        UDP_CONNECTED
    }

    /** What the tool says of an IPv6 wildcard's IPv4 side. */
    public enum DualStack {
        /** The tool does not say. */
        UNKNOWN,
        /** It takes IPv4 too ({@code tcp46}). */
        YES,
        /** IPv6 only ({@code tcp6}). */
        NO
    }

    /**
     * Whether the socket is a listener: a listening TCP socket or an unconnected UDP one.
     *
     * @return true for {@link State#LISTEN} and {@link State#UDP_OPEN}
     */
    public boolean listening() {
        return state == State.LISTEN || state == State.UDP_OPEN;
    }

    /**
     * The same socket with the process a second tool named.
     *
     * @param owner its pid
     * @return a copy with {@code pid} set, and no descriptor
     */
    public SocketRow withPid(int owner) {
        return new SocketRow(transport, address, port, ipv6, state, owner, -1, dualStack);
    }
}
