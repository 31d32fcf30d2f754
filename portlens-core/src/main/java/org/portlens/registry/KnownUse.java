package org.portlens.registry;

import java.util.List;
import java.util.Optional;
import org.portlens.model.OwnerIdentity;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * A de-facto use of a port by widely used software, written for portlens from the software's own
 * documentation. Not IANA's word: shown apart from the registry.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param ports      the port or range
 * @param transports the transports it uses there
 * @param software   the software's name
 * @param use        what it uses the port for
 * @param source     the software's documentation of that port
 * @param identity   what identifies the software's processes; {@link SoftwareIdentity#NONE} when
 *                   nothing does precisely, and then the known use explains no listener
 */
public record KnownUse(
        PortRange ports,
        List<Transport> transports,
        String software,
        String use,
        String source,
        SoftwareIdentity identity) {
    /**
     * Copies the transports.
     *
     * @param ports      the port or range
     * @param transports the transports it uses there; copied
     * @param software   the software's name
     * @param use        what it uses the port for
     * @param source     the software's documentation of that port
     * @param identity   what identifies the software's processes
     */
    public KnownUse {
        transports = List.copyOf(transports);
    }

    /**
     * A known use with no identity: shown, never said to explain a listener.
     *
     * @param ports      the port or range
     * @param transports the transports it uses there; copied
     * @param software   the software's name
     * @param use        what it uses the port for
     * @param source     the software's documentation of that port
     */
    public KnownUse(PortRange ports, List<Transport> transports, String software, String use, String source) {
        this(ports, transports, software, use, source, SoftwareIdentity.NONE);
    }

    /**
     * Whether this known use explains a listener: the listener is on one of its ports and
     * transports, and its owner carries a mark of the software's identity.
     *
     * @param transport the listener's transport
     * @param port      the listener's port
     * @param owner     the identity of the process that holds the listener
     * @return the mark the owner carries, or empty when this use does not explain the listener
     */
    public Optional<SoftwareIdentity.Mark> explains(Transport transport, int port, OwnerIdentity owner) {
        if (!ports.contains(port) || !transports.contains(transport)) {
            return Optional.empty();
        }
        return identity.match(owner);
    }
}
