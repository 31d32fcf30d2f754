package org.portlens.findings;

import org.portlens.model.BindScope;
import org.portlens.model.NetNamespace;

/**
 * Who can reach a group of sockets held by one owner. Immutable.
 *
 * @param scope     the widest bind scope among the sockets: all interfaces if any is a wildcard,
 *                  loopback only if all are on loopback, else one address
 * @param address   the first socket's bound address (the one address, for {@link BindScope#ADDRESS})
 * @param namespace the network namespace the sockets live in
 */
public record Exposure(BindScope scope, String address, NetNamespace namespace) {

    /**
     * Whether the network can connect: all interfaces in the namespace portlens runs in.
     *
     * @return true for {@link BindScope#ALL} in the current namespace
     */
    public boolean fromNetwork() {
        return scope == BindScope.ALL && namespace.current();
    }
}
