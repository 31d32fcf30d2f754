package org.portlens.policy;

import java.util.Optional;
import org.portlens.model.Listener;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * Listeners an audit passes over, such as the UDP client sockets of the ephemeral range. The same
 * matchers as {@link Expect}, each optional but the ports: a listener is ignored when every matcher
 * given matches it.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param transport tcp or udp; empty for both
 * @param ports     the port or range
 * @param bind      only sockets bound this narrowly or more; empty for any
 * @param netns     the namespace ({@link Netns#HOST} by default, {@link Netns#ANY} for every one)
 * @param identity  only sockets of this owner; {@link Identity#ANY} for any
 * @param reason    why, for a person; may be empty
 */
public record Ignore(
        Optional<Transport> transport,
        PortRange ports,
        Optional<Bind> bind,
        Netns netns,
        Identity identity,
        String reason) {

    /**
     * Whether the rule covers a listener. A listener whose owner is unknown falls under a rule with an
     * identity only if some known owner matches, so a hidden owner is never ignored by identity.
     *
     * @param l a listener
     * @return true when every matcher given matches
     */
    public boolean matches(Listener l) {
        return transport.map(t -> t == l.transport()).orElse(true)
                && ports.contains(l.local().port())
                && bind.map(b -> b.allows(l.local())).orElse(true)
                && netns.matches(l.namespace())
                && (identity.any() || l.processes().stream().anyMatch(identity::matches));
    }
}
