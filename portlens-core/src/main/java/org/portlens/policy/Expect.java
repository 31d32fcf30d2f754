package org.portlens.policy;

import java.util.Optional;
import org.portlens.model.Listener;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * A listener that should be there: its transport, port (or a range, for servers that pick one),
 * where it may be bound, its network namespace, and who may hold it.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param transport tcp or udp
 * @param ports     the port, or a range any port of which will do
 * @param bind      the widest bind allowed; empty allows any
 * @param netns     the namespace it lives in ({@link Netns#HOST} by default)
 * @param identity  who may hold it ({@link Identity#ANY} for anyone)
 * @param required  whether its absence is a finding ({@link PolicyFinding.Missing}); false for a
 *                  listener that may come and go
 */
public record Expect(
        Transport transport, PortRange ports, Optional<Bind> bind, Netns netns, Identity identity, boolean required) {

    /**
     * Checks the transport.
     *
     * @param transport tcp or udp
     * @param ports     the port or range
     * @param bind      the widest bind allowed; empty allows any
     * @param netns     the namespace
     * @param identity  who may hold it
     * @param required  whether its absence is a finding
     * @throws IllegalArgumentException for a transport whose listeners portlens cannot find
     */
    public Expect {
        if (!transport.discoverable()) {
            throw new IllegalArgumentException("listeners are found for tcp and udp, not " + transport.label());
        }
    }

    /**
     * Whether a listener is at the place this expects: transport, port and namespace (not yet its bind
     * or owner).
     *
     * @param l a listener
     * @return true when transport, port and namespace match
     */
    public boolean placeMatches(Listener l) {
        return l.transport() == transport && ports.contains(l.local().port()) && netns.matches(l.namespace());
    }

    /**
     * {@code tcp 22}, {@code udp 5353 in netns blue}.
     *
     * @return transport and port (and namespace, when not the host's), for a person
     */
    public String place() {
        return transport.label() + " " + ports + (netns.equals(Netns.HOST) ? "" : " in netns " + netns.value());
    }
}
