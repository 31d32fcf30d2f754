package org.portlens.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A port forwarded by a NAT rule of the kernel (nftables or iptables): packets for the port, arriving
 * in {@code namespace}, are sent to {@code targetAddress:targetPort} (DNAT: a container, a Kubernetes
 * endpoint) or to the namespace's own {@code targetPort} (REDIRECT); and the listeners found serving
 * that target in the network namespaces portlens can see. The conditions are the rule's and those of
 * every rule that jumped to its chain. Immutable; safe to share between threads.
 *
 * @param transport     what the rule forwards
 * @param port          the port asked about, which the rule matches
 * @param namespace     the network namespace whose rules these are (where the packets arrive)
 * @param matchAddress  the destination address or prefix the rule matches ({@code 127.0.0.1/32}), with a
 *                      leading {@code !} when negated; empty for any
 * @param localOnly     whether only packets for one of the namespace's own addresses match ({@code fib daddr
 *                      type local}, {@code -m addrtype --dst-type LOCAL}, as Docker's rules do)
 * @param inInterface   the input interface matched ({@code eth0}, {@code !docker0}); empty for any
 * @param redirect      true for a redirect to the namespace's own port, false for DNAT to an address
 * @param targetAddress where the packets go ({@code 172.17.0.2}); empty for a redirect
 * @param targetPort    the port they go to
 * @param chain         the chains from the nat prerouting hook to the rule ({@code [DOCKER]}, {@code
 *                      [KUBE-SERVICES, KUBE-SVC-X, KUBE-SEP-Y]})
 * @param tool          where the rule was read: {@code nft} or {@code iptables}
 * @param servers       the listeners holding the target (bound to its address, or to every address of a
 *                      namespace that owns it); empty when none was found
 * @param notes         what could not be followed, and why, one line each
 */
public record RuleForward(
        Transport transport,
        int port,
        NetNamespace namespace,
        String matchAddress,
        boolean localOnly,
        String inInterface,
        boolean redirect,
        String targetAddress,
        int targetPort,
        List<String> chain,
        String tool,
        List<Listener> servers,
        List<String> notes) {

    /**
     * Copies the lists; checks that nothing is null.
     *
     * @param transport     what the rule forwards
     * @param port          the port asked about
     * @param namespace     whose rules these are
     * @param matchAddress  the destination matched, or empty
     * @param localOnly     whether only the namespace's own addresses match
     * @param inInterface   the input interface matched, or empty
     * @param redirect      a redirect rather than DNAT
     * @param targetAddress where the packets go; empty for a redirect
     * @param targetPort    the port they go to
     * @param chain         the chains to the rule; copied
     * @param tool          {@code nft} or {@code iptables}
     * @param servers       the listeners holding the target; copied
     * @param notes         what could not be followed; copied
     */
    public RuleForward {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(matchAddress, "matchAddress");
        Objects.requireNonNull(inInterface, "inInterface");
        Objects.requireNonNull(targetAddress, "targetAddress");
        chain = List.copyOf(chain);
        Objects.requireNonNull(tool, "tool");
        servers = List.copyOf(servers);
        notes = List.copyOf(notes);
    }

    /**
     * The target as {@code host:port}, IPv6 in brackets.
     *
     * @return such as {@code 172.17.0.2:80}, or {@code port 8080 of this namespace} for a redirect
     */
    public String target() {
        if (redirect) {
            return "port " + targetPort + " of " + (namespace.current() ? "this host" : namespace.label());
        }
        return (targetAddress.contains(":") ? "[" + targetAddress + "]" : targetAddress) + ":" + targetPort;
    }

    /**
     * Who can send packets the rule forwards, from what it matches: loopback when it matches only a
     * loopback destination; one address (or interface) when it names one; every address otherwise.
     *
     * @return the scope of the forwarded port, as a bind scope would be
     */
    public BindScope reach() {
        String a = matchAddress.toLowerCase(Locale.ROOT);
        if (a.startsWith("127.") || a.equals("::1") || a.startsWith("::1/")) {
            return BindScope.LOOPBACK;
        }
        boolean oneInterface = !inInterface.isEmpty() && !inInterface.startsWith("!");
        if (oneInterface || (!a.isEmpty() && !a.startsWith("!"))) {
            return BindScope.ADDRESS;
        }
        return BindScope.ALL;
    }

    /**
     * What the rule matches, for people: {@code 127.0.0.1/32}, {@code arriving on eth0}, {@code any
     * local address, not arriving on docker0}.
     *
     * @return the destination and interface conditions in a few words; {@code any address} when none
     */
    public String matches() {
        StringBuilder b = new StringBuilder();
        if (!matchAddress.isEmpty()) {
            b.append(matchAddress.startsWith("!") ? "any address but " + matchAddress.substring(1) : matchAddress);
        } else {
            b.append(localOnly ? "any local address" : "any address");
        }
        if (!inInterface.isEmpty()) {
            b.append(
                    inInterface.startsWith("!")
                            ? ", not arriving on " + inInterface.substring(1)
                            : ", arriving on " + inInterface);
        }
        return b.toString();
    }
}
