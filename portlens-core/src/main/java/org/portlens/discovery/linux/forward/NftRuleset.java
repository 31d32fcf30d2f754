package org.portlens.discovery.linux.forward;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.portlens.internal.Json;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * Parses {@code nft -j list ruleset} (the libnftables JSON schema, libnftables-json(5)) into the
 * DNAT and REDIRECT forwards its nat prerouting chains reach. Understood: {@code meta l4proto},
 * {@code tcp/udp/th dport} (a port, a range, an anonymous set), {@code ip/ip6 daddr} (an address or
 * prefix, {@code ==} or {@code !=}), {@code fib daddr type local}, {@code iifname}, {@code jump} and
 * {@code goto}, verdict maps written in the rule, and the {@code dnat} (with or without family, port
 * or range) and {@code redirect} statements. Named sets and maps, and maps inside {@code dnat}, are
 * "unsupported" notes; so are the rules iptables-nft wrote in its compatibility form ({@code xt}),
 * whose DNAT target nft cannot show: {@link Parsed#hasIptablesTargets} says to read those with
 * iptables-save. Stateless; safe from any thread.
 */
final class NftRuleset {

    /** The parsed forwards, and whether iptables-nft rules hid their targets from nft. */
    record Parsed(NatRules rules, boolean hasIptablesTargets) {}

    private NftRuleset() {}

    /** Parses the JSON text; never throws: malformed JSON gives no forwards and a note. */
    static Parsed parse(String json) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (Json.ParseException e) {
            return new Parsed(
                    new NatRules(List.of(), List.of("nft -j output is not valid JSON (" + e.getMessage() + ")")),
                    false);
        }
        Chains chains = new Chains("nft");
        List<Object> items = Json.array(root, "nftables");
        if (items.isEmpty() && Json.at(root, "nftables").isEmpty()) {
            return new Parsed(new NatRules(List.of(), List.of("nft -j output has no \"nftables\" array")), false);
        }
        boolean xt = false;
        for (Object item : items) {
            Map<String, Object> chain = Json.object(item, "chain");
            if (!chain.isEmpty()) {
                String table = tableKey(chain);
                String name = Json.string(chain, "name").orElse("");
                boolean start = "nat".equals(Json.string(chain, "type").orElse(""))
                        && "prerouting".equals(Json.string(chain, "hook").orElse(""));
                chains.chain(Chains.key(table, name), name, start);
                continue;
            }
            Map<String, Object> rule = Json.object(item, "rule");
            if (rule.isEmpty()) {
                continue; // metainfo, table, set, map, element, flowtable…: nothing to follow
            }
            String chain0 = Json.string(rule, "chain").orElse("");
            String where = Json.string(rule, "family").orElse("?") + " "
                    + Json.string(rule, "table").orElse("?") + " " + chain0 + " handle "
                    + Json.integer(rule, "handle").map(String::valueOf).orElse("?");
            RuleReader r = new RuleReader(where);
            if (!(Json.at(rule, "expr").orElse(null) instanceof List<?>)) {
                r.problem("a rule without a list of expressions");
            }
            for (Object e : Json.array(rule, "expr")) {
                r.expression(e);
            }
            xt |= r.iptablesTarget;
            chains.rule(Chains.key(tableKey(rule), chain0), chain0, r.rule());
        }
        return new Parsed(chains.follow(List.of()), xt);
    }

    private static String tableKey(Map<String, Object> chainOrRule) {
        return Json.string(chainOrRule, "family").orElse("") + " "
                + Json.string(chainOrRule, "table").orElse("");
    }

    /** Reads one rule's expressions in order into its conditions and actions. */
    private static final class RuleReader {
        private final String where;
        private final List<String> problems = new ArrayList<>();
        private @Nullable Transport transport;
        private List<PortRange> ports = List.of();
        private String daddr = "";
        private boolean localOnly;
        private String iif = "";
        private final List<Chains.Branch> branches = new ArrayList<>();
        boolean iptablesTarget;

        RuleReader(String where) {
            this.where = where;
        }

        Chains.Rule rule() {
            if (!problems.isEmpty()) { // following a rule half read would claim more than it does
                return new Chains.Rule(Chains.Conditions.ANY, List.of(), where, problems);
            }
            return new Chains.Rule(
                    new Chains.Conditions(transport, ports, daddr, localOnly, iif), branches, where, List.of());
        }

        void problem(String reason) {
            problems.add(reason);
        }

        void expression(Object e) {
            if (!(e instanceof Map<?, ?> m) || m.size() != 1) {
                problem("an expression that is not a one-key object");
                return;
            }
            String kind = (String) m.keySet().iterator().next();
            Object v = Json.at(e, kind).orElse(Map.of());
            switch (kind) {
                case "match" -> match(v);
                case "jump", "goto" -> verdict(Map.of(kind, v), Chains.Conditions.ANY);
                case "dnat" -> dnat(v);
                case "redirect" -> {
                    PortRange to = Json.at(v, "port").isPresent()
                            ? portOrRange(Json.at(v, "port").get())
                            : null;
                    if (Json.at(v, "port").isPresent() && to == null) {
                        problem("a redirect to ports it does not understand");
                        return;
                    }
                    branches.add(new Chains.Branch(Chains.Conditions.ANY, new Chains.Redirect(to)));
                }
                case "vmap" -> vmap(v);
                case "xt" -> xt(v);
                case "counter",
                        "comment",
                        "log",
                        "limit",
                        "mangle",
                        "meta",
                        "ct",
                        "notrack",
                        "quota",
                        "accept",
                        "drop",
                        "return",
                        "continue",
                        "masquerade",
                        "snat",
                        "queue",
                        "reject",
                        "set",
                        "numgen" -> {
                    // nothing to do with where a packet is forwarded
                }
                default -> problem("a statement nft calls '" + kind + "' that portlens does not know");
            }
        }

        private void match(Object m) {
            String op = Json.string(m, "op").orElse("==");
            Object left = Json.at(m, "left").orElse(Map.of());
            Object right = Json.at(m, "right").orElse(Json.NULL);
            boolean eq = op.equals("==") || op.equals("in");
            boolean ne = op.equals("!=");
            if (right instanceof String s && s.startsWith("@")) {
                problem("unsupported set lookup (" + s + ")");
                return;
            }
            String metaKey = Json.string(left, "meta", "key").orElse("");
            String protocol = Json.string(left, "payload", "protocol").orElse("");
            String field = Json.string(left, "payload", "field").orElse("");
            if (metaKey.equals("l4proto") && eq) {
                Transport t = transport(right);
                if (t == null) {
                    problem("a protocol match it does not understand");
                } else {
                    transport = t;
                }
            } else if ((metaKey.equals("iifname") || metaKey.equals("iif"))
                    && (eq || ne)
                    && right instanceof String s) {
                iif = (ne ? "!" : "") + s;
            } else if (field.equals("dport") && (eq || ne)) {
                if (protocol.equals("tcp") || protocol.equals("udp")) {
                    transport = Transport.parse(protocol);
                }
                List<PortRange> p = ports(right);
                if (p == null || ne) {
                    problem(ne ? "a negated port match" : "a port match it does not understand");
                } else {
                    ports = p;
                }
            } else if (field.equals("daddr") && (protocol.equals("ip") || protocol.equals("ip6")) && (eq || ne)) {
                String a = address(right);
                if (a == null) {
                    problem("an address match it does not understand");
                } else {
                    daddr = (ne ? "!" : "") + a;
                }
            } else if (Json.string(left, "fib", "result").orElse("").equals("type")
                    && Json.array(left, "fib", "flags").contains("daddr")
                    && eq
                    && "local".equals(right)) {
                localOnly = true;
            } else if (field.equals("saddr")
                    || field.equals("sport")
                    || metaKey.equals("mark")
                    || metaKey.equals("nfproto")
                    || metaKey.equals("oifname")
                    || (left instanceof Map<?, ?> l && (l.containsKey("ct") || l.containsKey("&")))) {
                // narrows who may use the forward (source, marks, conntrack), not where it leads: left out
            } else {
                problem("a match it does not understand (" + describe(left) + ")");
            }
        }

        private void dnat(Object v) {
            Object addr = Json.at(v, "addr").orElse(null);
            if (addr instanceof Map<?, ?> m && m.containsKey("map")) {
                problem("unsupported map in a dnat statement");
                return;
            }
            String a = addr == null ? "" : addressOrRange(addr);
            PortRange to = null;
            if (Json.at(v, "port").isPresent()) {
                to = portOrRange(Json.at(v, "port").get());
                if (to == null) {
                    problem("a dnat to ports it does not understand");
                    return;
                }
            }
            if (a == null || a.isEmpty()) {
                problem("a dnat to an address it does not understand");
                return;
            }
            branches.add(new Chains.Branch(Chains.Conditions.ANY, new Chains.Dnat(a, to)));
        }

        /** {@code {"vmap": {"key": …, "data": {"set": [[key, verdict], …]}}}}: each verdict under its key. */
        private void vmap(Object v) {
            Object data = Json.at(v, "data").orElse(Json.NULL);
            if (data instanceof String s) {
                problem("unsupported map (verdict map " + s + ")");
                return;
            }
            Object key = Json.at(v, "key").orElse(Map.of());
            boolean portKey = Json.string(key, "payload", "field").orElse("").equals("dport");
            boolean numgen = Json.at(key, "numgen").isPresent(); // load-balancing: every branch is a way
            if (!portKey && !numgen) {
                problem("unsupported map (verdict map keyed by " + describe(key) + ")");
                return;
            }
            Transport t =
                    portKey ? transport(Json.string(key, "payload", "protocol").orElse("")) : null;
            for (Object element : Json.array(data, "set")) {
                if (!(element instanceof List<?> pair) || pair.size() != 2) {
                    problem("a verdict map element it does not understand");
                    continue;
                }
                Chains.Conditions when = Chains.Conditions.ANY;
                if (portKey) {
                    List<PortRange> p = ports(pair.get(0));
                    if (p == null) {
                        problem("a verdict map element it does not understand");
                        continue;
                    }
                    when = new Chains.Conditions(t, p, "", false, "");
                }
                verdict(pair.get(1), when);
            }
        }

        private void verdict(Object v, Chains.Conditions when) {
            String target = Json.string(v, "jump", "target")
                    .or(() -> Json.string(v, "goto", "target"))
                    .orElse("");
            if (!target.isEmpty()) {
                branches.add(new Chains.Branch(when, new Chains.Jump(target)));
            }
        }

        private void xt(Object v) {
            String type = Json.string(v, "type").orElse("");
            String name = Json.string(v, "name").orElse("");
            if (type.equals("target") && (name.equals("DNAT") || name.equals("REDIRECT"))) {
                iptablesTarget = true;
                problem("an iptables-nft " + name + " rule, whose target nft cannot show: read from iptables-save");
            } else if (type.equals("match") && name.equals("addrtype")) {
                // iptables' -m addrtype --dst-type LOCAL, whose arguments nft cannot show either
                localOnly = true;
            } else if (type.equals("match")
                    && (name.equals("comment")
                            || name.equals("statistic")
                            || name.equals("tcp")
                            || name.equals("udp")
                            || name.equals("mark"))) {
                // a comment, kube-proxy's random choice of endpoint, or a protocol match with no port
            } else if (type.equals("target")) {
                branches.add(new Chains.Branch(Chains.Conditions.ANY, new Chains.Other()));
            } else {
                problem("an iptables-nft match nft cannot show (" + name + ")");
            }
        }
    }

    /** {@code "tcp"}, {@code "udp"}, 6 or 17; null for anything else. */
    static @Nullable Transport transport(Object v) {
        if (v instanceof Long n) {
            return n == 6 ? Transport.TCP : n == 17 ? Transport.UDP : null;
        }
        if (v instanceof String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "tcp" -> Transport.TCP;
                case "udp" -> Transport.UDP;
                default -> null;
            };
        }
        return null;
    }

    /** A port, {@code {"range": [lo, hi]}}, or {@code {"set": [...]}} of those; null when not that. */
    static @Nullable List<PortRange> ports(Object v) {
        PortRange one = portOrRange(v);
        if (one != null) {
            return List.of(one);
        }
        List<Object> set = Json.array(v, "set");
        if (set.isEmpty()) {
            return null;
        }
        List<PortRange> out = new ArrayList<>();
        for (Object e : set) {
            PortRange p = portOrRange(e);
            if (p == null) {
                return null;
            }
            out.add(p);
        }
        return out;
    }

    /** A port number or {@code {"range": [lo, hi]}}; null when not that. */
    static @Nullable PortRange portOrRange(Object v) {
        if (v instanceof Long n) {
            return n >= 0 && n <= PortRange.MAX_PORT ? PortRange.of(n.intValue()) : null;
        }
        List<Object> range = Json.array(v, "range");
        if (range.size() == 2 && range.get(0) instanceof Long lo && range.get(1) instanceof Long hi) {
            if (lo >= 0 && hi <= PortRange.MAX_PORT && lo <= hi) {
                return new PortRange(lo.intValue(), hi.intValue());
            }
        }
        return null;
    }

    /** An address or {@code {"prefix": {"addr": a, "len": n}}}; null when not that. */
    static @Nullable String address(Object v) {
        if (v instanceof String s) {
            return s;
        }
        String a = Json.string(v, "prefix", "addr").orElse("");
        Long len = Json.integer(v, "prefix", "len").orElse(null);
        return a.isEmpty() || len == null ? null : a + "/" + len;
    }

    /** An address, or {@code {"range": [a, b]}} as {@code a-b}; null when not that. */
    private static @Nullable String addressOrRange(Object v) {
        if (v instanceof String s) {
            return s;
        }
        List<Object> range = Json.array(v, "range");
        if (range.size() == 2 && range.get(0) instanceof String a && range.get(1) instanceof String b) {
            return a + "-" + b;
        }
        return null;
    }

    /** A short description of an expression for a note: its first key, and the one under it. */
    private static String describe(Object expr) {
        if (expr instanceof Map<?, ?> m && !m.isEmpty()) {
            Object k = m.keySet().iterator().next();
            Object inner = m.get(k);
            if (inner instanceof Map<?, ?> im && !im.isEmpty()) {
                Object ik = im.keySet().iterator().next();
                return k + " " + (im.get(ik) instanceof String s ? s : ik);
            }
            return String.valueOf(k);
        }
        return String.valueOf(expr);
    }
}
