package org.portlens.watch;

import org.portlens.model.Listener;
import org.portlens.model.Transport;

/**
 * Where a listener is, as a watcher tells one from another: transport, bound address and port, and
 * the network namespace (by inode: its name may come and go). Sockets sharing a place (SO_REUSEPORT)
 * are one listener to a watcher. Immutable.
 *
 * @param transport tcp or udp
 * @param address   the bound address as shown ({@code 0.0.0.0}, {@code ::}, {@code 127.0.0.1})
 * @param port      the port
 * @param netns     the network namespace's inode (0 when unknown)
 */
public record Place(Transport transport, String address, int port, long netns) {

    /**
     * The place of a listener.
     *
     * @param l a listener
     * @return where it listens
     */
    public static Place of(Listener l) {
        return new Place(
                l.transport(),
                l.local().address(),
                l.local().port(),
                l.namespace().inode());
    }
}
