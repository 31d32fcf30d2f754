package org.portlens.registry;

import java.util.List;
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
 */
public record KnownUse(PortRange ports, List<Transport> transports, String software, String use, String source) {
    /**
     * Copies the transports.
     *
     * @param ports      the port or range
     * @param transports the transports it uses there; copied
     * @param software   the software's name
     * @param use        what it uses the port for
     * @param source     the software's documentation of that port
     */
    public KnownUse {
        transports = List.copyOf(transports);
    }
}
