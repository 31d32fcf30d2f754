package org.portlens.model;

import java.util.List;

/**
 * A listening TCP socket or a bound, unconnected UDP socket, with everyone who holds it.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param transport tcp or udp
 * @param local     where it is bound
 * @param state     LISTEN for TCP, UNCONN for UDP
 * @param uid       the uid the kernel records for the socket (its creator)
 * @param user      that uid's user name (from the passwd file, as for a process's user), or the uid as
 *                  text when the passwd file does not list it; known even when the owner is hidden
 * @param inode     the socket's inode
 * @param namespace the network namespace it lives in
 * @param owners    every process holding it; a single Hidden, Gone or None when none could be shown
 */
public record Listener(
        Transport transport,
        Endpoint local,
        ListenerState state,
        int uid,
        String user,
        long inode,
        NetNamespace namespace,
        List<Owner> owners) {

    /**
     * Copies the owners.
     *
     * @param transport tcp or udp
     * @param local     where it is bound
     * @param state     LISTEN for TCP, UNCONN for UDP
     * @param uid       the uid the kernel records for the socket (its creator)
     * @param user      that uid's user name, or the uid as text when the passwd file does not list it
     * @param inode     the socket's inode
     * @param namespace the network namespace it lives in
     * @param owners    every process holding it; a single Hidden, Gone or None when none could be shown; copied
     */
    public Listener {
        owners = List.copyOf(owners);
    }

    /**
     * A listener whose socket user is not looked up: the uid stands for the name (the constructor
     * before {@code user} was added, kept for callers of the library that build listeners themselves).
     *
     * @param transport tcp or udp
     * @param local     where it is bound
     * @param state     LISTEN for TCP, UNCONN for UDP
     * @param uid       the uid the kernel records for the socket
     * @param inode     the socket's inode
     * @param namespace the network namespace it lives in
     * @param owners    every process holding it; copied
     */
    public Listener(
            Transport transport,
            Endpoint local,
            ListenerState state,
            int uid,
            long inode,
            NetNamespace namespace,
            List<Owner> owners) {
        this(transport, local, state, uid, Integer.toString(uid), inode, namespace, owners);
    }

    /**
     * The processes known to hold this socket.
     *
     * @return the processes of the {@link Owner.Known} owners, in order; empty when none is known
     */
    public List<ProcessInfo> processes() {
        return owners.stream()
                .filter(o -> o instanceof Owner.Known)
                .map(o -> ((Owner.Known) o).process())
                .toList();
    }
}
