package org.portlens.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.portlens.model.Transport;
import org.portlens.watch.WatchEvent;

/**
 * One event as stored: where, when, what happened, and who held the place. Immutable.
 *
 * @param host        the host whose watcher saw it
 * @param at          when the read that saw it was made (millisecond precision)
 * @param kind        present, opened, closed or owner changed
 * @param transport   tcp or udp
 * @param address     the bound address as shown ({@code 0.0.0.0}, {@code ::1})
 * @param port        the port
 * @param netnsInode  the network namespace's inode
 * @param netnsName   the namespace's name, or empty
 * @param socketInode the socket's inode
 * @param uid         the socket's uid
 * @param user        that uid's user name
 * @param ownerState  whether the owner was known, and if not why
 * @param owner       the principal owner, or null when it was not known
 * @param before      for an owner change, the previous principal owner (pid, name and executable); else null
 */
public record StoredEvent(
        String host,
        Instant at,
        WatchEvent.Kind kind,
        Transport transport,
        String address,
        int port,
        long netnsInode,
        String netnsName,
        long socketInode,
        int uid,
        String user,
        OwnerState ownerState,
        @Nullable StoredProcess owner,
        @Nullable StoredProcess before) {

    /** Whether the owner of a listener was known when the event was written, and if not why. */
    public enum OwnerState {
        /** A process was read: {@link StoredEvent#owner()} is set. */
        KNOWN,
        /** The owner could not be seen (another user's process, without root). */
        HIDDEN,
        /** The process exited before it could be read. */
        GONE,
        /** No process held the socket. */
        NONE
    }
}
