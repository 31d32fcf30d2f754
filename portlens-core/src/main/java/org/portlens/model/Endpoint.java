package org.portlens.model;

/**
 * The local end of a socket.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param address    the bound address as text; IPv4-mapped IPv6 addresses are shown as IPv4
 * @param port       the port
 * @param ipv6       whether the socket is an IPv6 socket (also true for mapped IPv4)
 * @param scope      loopback, all interfaces or one address
 * @param dualStack  for an IPv6 wildcard socket: whether it also accepts IPv4
 *                   ({@link DualStack#NOT_APPLICABLE} otherwise)
 */
public record Endpoint(String address, int port, boolean ipv6, BindScope scope, DualStack dualStack) {

    /** Whether an IPv6 wildcard ({@code ::}) socket also takes IPv4 connections. */
    public enum DualStack {
        /** Not an IPv6 wildcard socket: the question does not arise. */
        NOT_APPLICABLE,
        /** net.ipv6.bindv6only is 0 and no IPv4 socket holds the same port: IPv4 reaches it unless the program set IPV6_V6ONLY. */
        LIKELY,
        /** An IPv4 socket holds the same port, or net.ipv6.bindv6only is 1: IPv6 only. */
        NO
    }

    /**
     * {@code 127.0.0.1:3640} or {@code [::1]:3640}.
     *
     * @return the address and port, an IPv6 address in brackets
     */
    public String hostPort() {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    @Override
    public String toString() {
        return hostPort();
    }
}
