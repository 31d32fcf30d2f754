package org.portlens.discovery;

import java.util.List;
import org.portlens.model.Coverage;
import org.portlens.model.Listener;

/**
 * What a read of the socket table found.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param listeners   listening TCP sockets and unconnected UDP sockets matching the query
 * @param established established TCP connections whose local port is in the query's ports (0 when
 *                    the query is for every port)
 * @param connectedUdp connected UDP sockets on the query's ports (not listeners, counted for the record)
 * @param coverage    what could and could not be seen
 */
public record Discovery(List<Listener> listeners, int established, int connectedUdp, Coverage coverage) {
    /**
     * Checks and copies the components.
     *
     * @param listeners    listening TCP sockets and unconnected UDP sockets matching the query; copied
     * @param established  established TCP connections whose local port is in the query's ports
     * @param connectedUdp connected UDP sockets on the query's ports
     * @param coverage     what could and could not be seen
     */
    public Discovery {
        listeners = List.copyOf(listeners);
    }
}
