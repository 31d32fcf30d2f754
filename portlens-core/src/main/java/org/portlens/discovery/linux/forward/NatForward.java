package org.portlens.discovery.linux.forward;

import java.util.List;
import java.util.Objects;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * One port forwarded by a NAT rule: packets for {@code ports} (on {@code matchAddress}, arriving on
 * {@code inInterface}) are sent to {@code targetAddress:targetPorts}, or to this host's own
 * {@code targetPorts} for a redirect. The conditions are those of the rule and of every rule that
 * jumped to its chain on the way from the nat prerouting hook.
 *
 * <p>Immutable; safe from any thread.
 *
 * @param transport     TCP or UDP
 * @param matchAddress  the destination address or prefix matched ({@code 10.96.0.10}, {@code
 *                      127.0.0.1/32}), with a leading {@code !} when negated; empty for any
 * @param localOnly     whether only packets for one of the host's own addresses match ({@code fib
 *                      daddr type local}, {@code -m addrtype --dst-type LOCAL})
 * @param inInterface   the input interface matched ({@code eth0}, {@code !docker0}); empty for any
 * @param ports         the destination ports matched; 1-65535 when the rule names none
 * @param action        DNAT to another address, or REDIRECT to this host
 * @param targetAddress where the packets go ({@code 172.17.0.2}, or a range {@code 10.0.0.1-10.0.0.3});
 *                      empty for a redirect
 * @param targetPorts   the ports they go to; the matched ones when the rule does not change them
 * @param chainPath     the chains from the hook to the rule, the hook's own chain left out unless the
 *                      rule is in it ({@code [DOCKER]}, {@code [KUBE-SERVICES, KUBE-SVC-…, KUBE-SEP-…]})
 * @param tool          where the rule was read: {@code nft} or {@code iptables}
 */
public record NatForward(
        Transport transport,
        String matchAddress,
        boolean localOnly,
        String inInterface,
        PortRange ports,
        Action action,
        String targetAddress,
        PortRange targetPorts,
        List<String> chainPath,
        String tool) {

    /** What a forwarding rule does. */
    public enum Action {
        /** Destination NAT to another address (and maybe port). */
        DNAT,
        /** Redirect to a port of this host (the address the packet came in on). */
        REDIRECT
    }

    /** Copies the chain path; checks that nothing is null. */
    public NatForward {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(matchAddress, "matchAddress");
        Objects.requireNonNull(inInterface, "inInterface");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetAddress, "targetAddress");
        Objects.requireNonNull(targetPorts, "targetPorts");
        chainPath = List.copyOf(chainPath);
        Objects.requireNonNull(tool, "tool");
    }

    /** The chain path for people: {@code KUBE-NODEPORTS → KUBE-SVC-XYZ → KUBE-SEP-ABC}. */
    public String chainDisplay() {
        return String.join(" → ", chainPath);
    }
}
