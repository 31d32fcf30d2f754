package org.portlens;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.internal.Addresses;
import org.portlens.model.Listener;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.packages.PackageLookup;
import org.portlens.probe.ProbeOptions;
import org.portlens.probe.Prober;
import org.portlens.registry.Registry;

/**
 * The front door: what a port is, who is on it, in one call. Static methods only; each call is
 * independent and safe from any thread.
 *
 * <pre>{@code
 * Explanation e = Portlens.explain(3640);
 * e.records();      // IANA: netplay-port1, tcp and udp
 * e.listeners();    // who holds 3640 here, and what each speaks
 * e.findings();     // typed facts: label mismatch, exposure, wire, hidden owner
 * }</pre>
 *
 * Uses the bundled registry and this machine's socket table, and probes this host's listeners on
 * 3640 with loopback time limits. For another registry, another socket table (your own {@link SocketTable}, or
 * {@link SocketTable#none()}) or no probing, build an
 * {@link Explainer}.
 */
public final class Portlens {

    private Portlens() {}

    /**
     * Explains one port, all transports, probing this host's listeners on it and naming the installed package of their owners.
     *
     * @param port the port, 0-65535
     * @return the records, known uses, listeners and findings for the port
     * @throws IllegalArgumentException for a port outside 0-65535
     * @throws org.portlens.discovery.UnsupportedPlatformException on an OS whose socket table portlens cannot read
     */
    public static Explanation explain(int port) {
        return explain(PortRange.of(port), Optional.empty());
    }

    /**
     * Explains a port or range, for one transport or (empty) all, probing this host's listeners on it and naming the installed package of their owners.
     *
     * @param ports     the port or range to explain
     * @param transport the transport to explain, or empty for every one
     * @return the records, known uses, listeners and findings for the ports
     * @throws org.portlens.discovery.UnsupportedPlatformException on an OS whose socket table portlens cannot read
     */
    public static Explanation explain(PortRange ports, Optional<Transport> transport) {
        return Explainer.builder()
                .socketTable(SocketTable.system())
                .prober(Prober.builder().options(ProbeOptions.loopback()).build())
                .packages(PackageLookup.system())
                .build()
                .explain(ports, transport);
    }

    /**
     * The registry bundled with portlens.
     *
     * @return the bundled registry, decoded anew on each call
     */
    public static Registry registry() {
        return Registry.bundled();
    }

    /**
     * Every TCP listener and unconnected UDP socket on this machine, with owners.
     *
     * @return the listeners; empty when there are none
     * @throws org.portlens.discovery.UnsupportedPlatformException on an OS whose socket table portlens cannot read
     */
    public static List<Listener> listeners() {
        return discover(Query.all()).listeners();
    }

    /**
     * The listeners a query asks for, with what could not be seen.
     *
     * @param query which transports and ports to read
     * @return the listeners, connection counts and coverage of the read
     * @throws org.portlens.discovery.UnsupportedPlatformException on an OS whose socket table portlens cannot read
     */
    public static Discovery discover(Query query) {
        return SocketTable.system().read(query);
    }

    /**
     * An address as portlens prints it everywhere (RFC 5952): {@code 127.0.0.1}, {@code ::1},
     * {@code 2001:db8::1}, {@code ::ffff:192.0.2.1}; lower case, the longest run of zero groups
     * compressed. No name lookup.
     *
     * @param address the address
     * @return its text
     */
    public static String addressText(InetAddress address) {
        return Addresses.format(address);
    }

    /**
     * An endpoint as portlens prints it: {@code 127.0.0.1:3640} or {@code [::1]:3640}, the address as in
     * {@link #addressText}; an unresolved one as its host name and port.
     *
     * @param endpoint the address and port
     * @return its text
     */
    public static String endpointText(InetSocketAddress endpoint) {
        InetAddress a = endpoint.getAddress();
        return a == null
                ? Addresses.hostPort(endpoint.getHostString(), endpoint.getPort())
                : Addresses.hostPort(a, endpoint.getPort());
    }
}
