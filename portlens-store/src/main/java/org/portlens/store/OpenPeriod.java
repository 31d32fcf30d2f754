package org.portlens.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.portlens.model.Transport;

/**
 * Since when a place (transport, address, port, network namespace) has been open, as far as the
 * history knows: the latest opening not followed by a close. When the history holds no opening for
 * the current period, only a watcher's first sight of it ({@code present}), {@link #since()} is a
 * lower bound and {@link #atLeast()} is true ("open since at least …"). The caller compares it with
 * what is listening now: the history does not know of a close it did not see. Immutable.
 *
 * @param transport   tcp or udp
 * @param address     the bound address as shown
 * @param port        the port
 * @param netnsInode  the network namespace's inode
 * @param socketInode the socket's inode at the latest event
 * @param since       when the period began, or its lower bound
 * @param atLeast     true when {@code since} is a lower bound (first seen already open)
 * @param owner       the principal owner at the latest event, or null when not known
 * @param ownerSince  since when that owner holds it (the latest owner change, else {@code since})
 * @param lastSeen    the time of the latest event of the period
 */
public record OpenPeriod(
        Transport transport,
        String address,
        int port,
        long netnsInode,
        long socketInode,
        Instant since,
        boolean atLeast,
        @Nullable StoredProcess owner,
        Instant ownerSince,
        Instant lastSeen) {}
