package org.portlens.model;

import java.util.List;
import java.util.Objects;

/**
 * Where a forwarding process sends what arrives on a listener it holds (docker-proxy, pasta, passt):
 * the target its command line names, and the listeners found serving that target in the network
 * namespaces portlens can see. Immutable; safe to share between threads.
 *
 * @param program       the forwarder, as its command line names it ({@code docker-proxy})
 * @param pid           its process id
 * @param transport     what it forwards
 * @param targetAddress where it forwards to ({@code 172.17.0.2}); empty for the namespace it serves
 * @param targetPort    the port it forwards to
 * @param servers       the listeners in other network namespaces that hold the target (bound to its
 *                      address or to every address of a namespace that has it); empty when none was found
 * @param notes         what could not be followed, and why, one line each
 */
public record Forward(
        String program,
        int pid,
        Transport transport,
        String targetAddress,
        int targetPort,
        List<Listener> servers,
        List<String> notes) {

    /**
     * Copies the lists; checks that nothing is null.
     *
     * @param program       the forwarder
     * @param pid           its process id
     * @param transport     what it forwards
     * @param targetAddress where it forwards to; empty for the namespace it serves
     * @param targetPort    the port it forwards to
     * @param servers       the listeners holding the target; copied
     * @param notes         what could not be followed; copied
     */
    public Forward {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(targetAddress, "targetAddress");
        servers = List.copyOf(servers);
        notes = List.copyOf(notes);
    }

    /**
     * The target as {@code host:port}, IPv6 in brackets.
     *
     * @return such as {@code 172.17.0.2:80}, or {@code :80} when the target is the namespace served
     */
    public String target() {
        return (targetAddress.contains(":") ? "[" + targetAddress + "]" : targetAddress) + ":" + targetPort;
    }
}
