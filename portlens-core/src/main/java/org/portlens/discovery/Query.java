package org.portlens.discovery;

import java.util.EnumSet;
import java.util.Set;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * Which sockets a scan should return.
 *
 * @param transports tcp, udp or both
 * @param ports      only these ports, or null for every port
 */
public record Query(Set<Transport> transports, PortRange ports) {

    public Query {
        transports = transports.isEmpty() ? EnumSet.noneOf(Transport.class) : EnumSet.copyOf(transports);
        for (Transport t : transports) {
            if (!t.discoverable()) {
                throw new IllegalArgumentException("discovery covers tcp and udp, not " + t.label());
            }
        }
    }

    /** Every listener, tcp and udp. */
    public static Query all() {
        return new Query(EnumSet.of(Transport.TCP, Transport.UDP), null);
    }

    /** Listeners on these ports, for one transport or (null) both. */
    public static Query ports(PortRange ports, Transport transport) {
        return new Query(transport == null ? EnumSet.of(Transport.TCP, Transport.UDP) : EnumSet.of(transport), ports);
    }

    /** Listeners on these ports, for one transport or (empty) both. */
    public static Query ports(PortRange ports, java.util.Optional<Transport> transport) {
        return ports(ports, transport.orElse(null));
    }

    public boolean wants(Transport t, int port) {
        return transports.contains(t) && (ports == null || ports.contains(port));
    }
}
