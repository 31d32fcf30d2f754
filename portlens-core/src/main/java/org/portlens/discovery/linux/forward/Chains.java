package org.portlens.discovery.linux.forward;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * NAT chains as both parsers see them (nft's JSON and iptables-save's text): rules of conditions
 * and one action, followed from the prerouting hook through jumps and gotos to the DNAT and
 * REDIRECT rules they reach. Rules and problems are collected by a parser on one thread, then
 * followed once; not for sharing.
 */
final class Chains {

    /** Deeper jumps than this are taken for a loop the kernel would have refused. */
    static final int MAX_DEPTH = 32;

    /** All ports, for a rule that names none. */
    static final PortRange ANY_PORT = new PortRange(1, PortRange.MAX_PORT);

    /**
     * What a rule matches. Empty strings and lists are "any". Immutable.
     *
     * @param transport  the protocol, or null for any
     * @param ports      destination ports, or empty for any
     * @param daddr      the destination address or prefix, {@code !} first when negated; or empty
     * @param localOnly  whether only the host's own addresses match
     * @param iif        the input interface, {@code !} first when negated; or empty
     */
    record Conditions(
            @Nullable Transport transport, List<PortRange> ports, String daddr, boolean localOnly, String iif) {
        static final Conditions ANY = new Conditions(null, List.of(), "", false, "");

        Conditions {
            ports = List.copyOf(ports);
        }

        /**
         * These conditions inside a chain that {@code outer}'s rule jumped to: both must hold. Where
         * only one says something, it holds; two port lists meet; otherwise the inner one is kept.
         *
         * @return the conditions, or null when no packet meets both (tcp inside udp, port 8081 inside 9999)
         */
        @Nullable
        Conditions within(Conditions outer) {
            if (transport != null && outer.transport != null && transport != outer.transport) {
                return null;
            }
            List<PortRange> p =
                    ports.isEmpty() ? outer.ports : outer.ports.isEmpty() ? ports : meet(ports, outer.ports);
            if (p.isEmpty() && !(ports.isEmpty() && outer.ports.isEmpty())) {
                return null;
            }
            if (!daddr.isEmpty()
                    && !outer.daddr.isEmpty()
                    && !daddr.equals(outer.daddr)
                    && !daddr.startsWith("!")
                    && !outer.daddr.startsWith("!")
                    && !daddr.contains("/")
                    && !outer.daddr.contains("/")) {
                return null; // two different single addresses
            }
            return new Conditions(
                    transport != null ? transport : outer.transport,
                    p,
                    daddr.isEmpty() ? outer.daddr : daddr,
                    localOnly || outer.localOnly,
                    iif.isEmpty() ? outer.iif : iif);
        }

        private static List<PortRange> meet(List<PortRange> a, List<PortRange> b) {
            List<PortRange> out = new ArrayList<>();
            for (PortRange x : a) {
                for (PortRange y : b) {
                    int lo = Math.max(x.low(), y.low());
                    int hi = Math.min(x.high(), y.high());
                    if (lo <= hi) {
                        out.add(new PortRange(lo, hi));
                    }
                }
            }
            return out;
        }
    }

    /** What a rule does, as far as forwarding goes. */
    sealed interface Action {}

    /** Jump or goto another chain of the same table. */
    record Jump(String chain) implements Action {}

    /** DNAT to an address, and to ports, or null for the same ports. */
    record Dnat(String address, @Nullable PortRange ports) implements Action {}

    /** REDIRECT to ports of this host, or null for the same ports. */
    record Redirect(@Nullable PortRange ports) implements Action {}

    /** Anything else: accept, return, masquerade, a counter alone… */
    record Other() implements Action {}

    /**
     * A rule: its conditions and what it does. A rule may have several actions (an inline verdict
     * map jumps to a chain per key); each is followed under the rule's conditions and its own. A rule
     * not understood has no action and says why; that is counted when the rule is reached from a
     * hook, so that a rule in a chain nothing calls (postrouting) does not count.
     *
     * @param where    where it is, for notes ("ip nat DOCKER handle 7", "line 12")
     * @param problems why it is not (fully) understood; empty when it is
     */
    record Rule(Conditions when, List<Branch> branches, String where, List<String> problems) {
        Rule {
            branches = List.copyOf(branches);
            problems = List.copyOf(problems);
        }

        static Rule broken(String where, String problem) {
            return new Rule(Conditions.ANY, List.of(), where, List.of(problem));
        }
    }

    /** One action of a rule, with the conditions of its own (a verdict map's key). */
    record Branch(Conditions when, Action action) {}

    /** A chain: its name as shown, and its rules in order. */
    private record Chain(String name, List<Rule> rules) {}

    private final String tool;
    private final Map<String, Chain> chains = new LinkedHashMap<>();
    private final List<String> starts = new ArrayList<>();
    private final Map<String, Integer> problems = new LinkedHashMap<>();
    private final Map<String, String> firstWhere = new LinkedHashMap<>();
    private final Set<String> counted = new HashSet<>();

    Chains(String tool) {
        this.tool = tool;
    }

    /** Declares a chain (key unique in the ruleset; name as shown); a start when a nat prerouting hook calls it. */
    void chain(String key, String name, boolean start) {
        chains.computeIfAbsent(key, k -> new Chain(name, new ArrayList<>()));
        if (start && !starts.contains(key)) {
            starts.add(key);
        }
    }

    void rule(String chainKey, String chainName, Rule rule) {
        chains.computeIfAbsent(chainKey, k -> new Chain(chainName, new ArrayList<>()))
                .rules()
                .add(rule);
    }

    /** A rule not (fully) understood: counted by reason, the first place named. */
    void problem(String reason, String where) {
        problems.merge(reason, 1, Integer::sum);
        firstWhere.putIfAbsent(reason, where);
    }

    /** The forwards every start chain reaches, and the problems counted. */
    NatRules follow(List<String> extraNotes) {
        Set<NatForward> out = new LinkedHashSet<>();
        for (String start : starts) {
            walk(start, Conditions.ANY, new ArrayList<>(), out);
        }
        List<String> notes = new ArrayList<>(extraNotes);
        for (Map.Entry<String, Integer> p : problems.entrySet()) {
            int n = p.getValue();
            notes.add(p.getKey() + " (" + n + (n == 1 ? " rule" : " rules") + ", first: " + firstWhere.get(p.getKey())
                    + ")");
        }
        return new NatRules(List.copyOf(out), notes);
    }

    private void walk(String key, Conditions outer, List<String> path, Set<NatForward> out) {
        Chain chain = chains.get(key);
        if (chain == null) {
            problem("a jump to a chain that is not there", names(path) + " → " + key.substring(key.indexOf('\0') + 1));
            return;
        }
        if (path.contains(key) || path.size() >= MAX_DEPTH) {
            problem("a loop of jumps", names(path) + " → " + chain.name());
            return;
        }
        path.add(key);
        for (Rule rule : chain.rules()) {
            for (String p : rule.problems()) {
                if (counted.add(p + '\0' + rule.where())) {
                    problem(p, rule.where());
                }
            }
            Conditions ruleWhen = rule.when().within(outer);
            for (Branch b : rule.branches()) {
                Conditions when = ruleWhen == null ? null : b.when().within(ruleWhen);
                if (when == null) {
                    continue; // no packet gets here
                }
                if (b.action() instanceof Jump j) {
                    walk(tableOf(key) + j.chain(), when, path, out);
                } else if (b.action() instanceof Dnat d) {
                    emit(when, NatForward.Action.DNAT, d.address(), d.ports(), path, out);
                } else if (b.action() instanceof Redirect r) {
                    emit(when, NatForward.Action.REDIRECT, "", r.ports(), path, out);
                }
            }
        }
        path.remove(path.size() - 1);
    }

    private String names(List<String> path) {
        List<String> out = new ArrayList<>();
        for (String k : path) {
            Chain c = chains.get(k);
            out.add(c == null ? k : c.name());
        }
        return String.join(" → ", out);
    }

    /** The table part of a chain key: keys are "TABLE\0CHAIN" so that jumps stay in their table. */
    private static String tableOf(String key) {
        int nul = key.lastIndexOf('\0');
        return nul < 0 ? "" : key.substring(0, nul + 1);
    }

    /** A key for a chain of a table. */
    static String key(String table, String chain) {
        return table + '\0' + chain;
    }

    private void emit(
            Conditions when,
            NatForward.Action action,
            String address,
            @Nullable PortRange to,
            List<String> path,
            Set<NatForward> out) {
        List<String> shown = new ArrayList<>();
        for (int i = path.size() == 1 ? 0 : 1; i < path.size(); i++) {
            Chain c = chains.get(path.get(i));
            shown.add(c == null ? path.get(i) : c.name());
        }
        List<Transport> transports =
                when.transport() == null ? List.of(Transport.TCP, Transport.UDP) : List.of(when.transport());
        List<PortRange> ports = when.ports().isEmpty() ? List.of(ANY_PORT) : when.ports();
        for (Transport t : transports) {
            for (PortRange p : ports) {
                out.add(new NatForward(
                        t,
                        when.daddr(),
                        when.localOnly(),
                        when.iif(),
                        p,
                        action,
                        address,
                        to == null ? p : to,
                        shown,
                        tool));
            }
        }
    }
}
