package org.portlens.discovery;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * Which sockets a read of the socket table should return. Immutable.
 *
 * @param transports tcp, udp or both
 * @param ports      only these ports; empty for every port
 */
public record Query(Set<Transport> transports, Optional<PortRange> ports) {

    /**
     * Checks and copies the components.
     *
     * @param transports tcp, udp or both; copied, and empty asks for no socket
     * @param ports      only these ports; empty for every port
     * @throws IllegalArgumentException for a transport that discovery does not cover
     */
    public Query {
        transports = Collections.unmodifiableSet(
                transports.isEmpty() ? EnumSet.noneOf(Transport.class) : EnumSet.copyOf(transports));
        for (Transport t : transports) {
            if (!t.discoverable()) {
                throw new IllegalArgumentException("discovery covers tcp and udp, not " + t.label());
            }
        }
    }

    /**
     * Every listener, tcp and udp.
     *
     * @return a query for every port of both transports
     */
    public static Query all() {
        return new Query(EnumSet.of(Transport.TCP, Transport.UDP), Optional.empty());
    }

    /**
     * Listeners on these ports, tcp and udp.
     *
     * @param ports the port or range to read
     * @return a query for those ports of both transports
     */
    public static Query ports(PortRange ports) {
        return ports(ports, Optional.empty());
    }

    /**
     * Listeners on these ports, for one transport.
     *
     * @param ports     the port or range to read
     * @param transport tcp or udp
     * @return a query for those ports of that transport
     * @throws IllegalArgumentException for a transport that discovery does not cover
     */
    public static Query ports(PortRange ports, Transport transport) {
        return ports(ports, Optional.of(transport));
    }

    /**
     * Listeners on these ports, for one transport or (empty) both.
     *
     * @param ports     the port or range to read
     * @param transport tcp or udp, or empty for both
     * @return a query for those ports
     * @throws IllegalArgumentException for a transport that discovery does not cover
     */
    public static Query ports(PortRange ports, Optional<Transport> transport) {
        Set<Transport> t = transport.isEmpty() ? EnumSet.of(Transport.TCP, Transport.UDP) : EnumSet.of(transport.get());
        return new Query(t, Optional.of(ports));
    }

    /**
     * The same ports, for these transports.
     *
     * @param t tcp, udp or both
     * @return a new query with these transports and this one's ports
     * @throws IllegalArgumentException for a transport that discovery does not cover
     */
    public Query withTransports(Set<Transport> t) {
        return new Query(t, ports);
    }

    /**
     * Whether a socket of this transport on this port is asked for.
     *
     * @param t    the socket's transport
     * @param port the socket's local port
     * @return true when both the transport and the port are asked for
     */
    public boolean wants(Transport t, int port) {
        return transports.contains(t) && (ports.isEmpty() || ports.get().contains(port));
    }
}
