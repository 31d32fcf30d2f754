package org.portlens;

import java.util.List;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.model.Listener;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.registry.KnownUses;
import org.portlens.registry.Registry;

/**
 * The front door: what a port is, who is on it, in one call.
 *
 * <pre>{@code
 * Explanation e = Portlens.explain(3640);
 * e.records();            // IANA: netplay-port1, tcp and udp
 * e.discovery().listeners(); // who holds 3640 here
 * }</pre>
 *
 * Uses the bundled registry and this machine's socket table. For another registry or a fixture
 * /proc tree, build an {@link Explainer}.
 */
public final class Portlens {

    private Portlens() {
    }

    /** Explains one port, all transports. */
    public static Explanation explain(int port) {
        return explain(PortRange.of(port), null);
    }

    /** Explains a port or range, for one transport or (null) all. */
    public static Explanation explain(PortRange ports, Transport transport) {
        return new Explainer(registry(), KnownUses.bundled(), SocketTable.system()).explain(ports, transport);
    }

    /** The registry bundled with portlens. */
    public static Registry registry() {
        return Registry.bundled();
    }

    /** Every TCP listener and unconnected UDP socket on this machine, with owners. */
    public static List<Listener> listeners() {
        return scan(Query.all()).listeners();
    }

    /** A scan with its coverage (what could not be seen). */
    public static Discovery scan(Query query) {
        return SocketTable.system().read(query);
    }
}
