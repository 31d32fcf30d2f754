package org.portlens.discovery.linux.forward;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * Parses {@code iptables-save -t nat} text into the DNAT and REDIRECT forwards that the built-in
 * PREROUTING chain reaches. Understood: {@code -p}, {@code --dport} and {@code --dports}
 * (multiport; a port or {@code lo:hi}), {@code -d} (with {@code !}), {@code -i} (with {@code !}),
 * {@code -m addrtype --dst-type LOCAL}, {@code -j} and {@code -g} to user chains, {@code -j DNAT
 * --to-destination ADDR[-ADDR][:PORT[-PORT]]} and {@code -j REDIRECT --to-ports PORT[-PORT]}. Other
 * options that only narrow who may use a forward (source address, marks, comments, kube-proxy's
 * {@code -m statistic}) are left out of the forwards; anything else makes its rule a counted note.
 * Stateless; safe from any thread.
 */
final class IptablesSave {

    private static final Set<String> BUILT_IN = Set.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING");

    /** Options that do not change where a packet goes, with their values skipped. */
    private static final Set<String> NARROWING = Set.of(
            "-s",
            "--source",
            "-o",
            "--out-interface",
            "-m",
            "--match",
            "--comment",
            "--mode",
            "--probability",
            "--every",
            "--packet",
            "--mark",
            "--ctstate",
            "--state",
            "--src-type",
            "--sport",
            "--source-port",
            "--sports",
            "--source-ports",
            "--limit",
            "--limit-burst",
            "--set-xmark",
            "--set-mark",
            "--random",
            "--random-fully",
            "--persistent",
            "--to-source",
            "--to",
            "-c",
            "--set-counters",
            "-f",
            "--fragment",
            "-w",
            "--tcp-flags",
            "--syn",
            "--icmp-type",
            "--uid-owner",
            "--gid-owner",
            "--physdev-in",
            "--physdev-out",
            "--physdev-is-bridged");

    private IptablesSave() {}

    /** Parses the text; lines of other tables, comments and COMMIT are skipped; never throws. */
    static NatRules parse(String text) {
        Chains chains = new Chains("iptables");
        List<String> notes = new ArrayList<>();
        boolean inNat = false;
        boolean sawNat = false;
        Set<String> declared = new HashSet<>();
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("*")) {
                inNat = line.equals("*nat");
                sawNat |= inNat;
                continue;
            }
            if (!inNat) {
                continue;
            }
            if (line.equals("COMMIT")) {
                inNat = false;
            } else if (line.startsWith(":")) {
                String name = line.substring(1).split("\\s+", 2)[0];
                declared.add(name);
                chains.chain(Chains.key("nat", name), name, name.equals("PREROUTING"));
            } else if (line.startsWith("-A ")) {
                rule(line, "line " + lineNo, chains, declared);
            } else {
                chains.problem("a line iptables-save does not write", "line " + lineNo);
            }
        }
        if (!sawNat) {
            notes.add("no *nat table in the iptables-save output");
        }
        return chains.follow(notes);
    }

    private static void rule(String line, String where, Chains chains, Set<String> declared) {
        List<String> t = tokens(line);
        if (t == null || t.size() < 2) {
            String chain = line.split("\\s+", 3)[1];
            chains.rule(Chains.key("nat", chain), chain, Chains.Rule.broken(where, "a rule with an unclosed quote"));
            return;
        }
        String chain = t.get(1);
        String problem = problem(t, where, chains, declared);
        if (problem != null) {
            chains.rule(Chains.key("nat", chain), chain, Chains.Rule.broken(where, problem));
        }
    }

    /** Adds the rule of words {@code t} to its chain; or returns why it cannot, adding nothing. */
    private static @Nullable String problem(List<String> t, String where, Chains chains, Set<String> declared) {
        String chain = t.get(1);
        Transport transport = null;
        List<PortRange> ports = List.of();
        String daddr = "";
        boolean local = false;
        String iif = "";
        String jump = "";
        String toDestination = "";
        String toPorts = "";
        boolean negate = false;
        for (int i = 2; i < t.size(); i++) {
            String opt = t.get(i);
            if (opt.equals("!")) {
                negate = true;
                continue;
            }
            List<String> values = new ArrayList<>();
            while (i + 1 < t.size()
                    && !t.get(i + 1).startsWith("-")
                    && !t.get(i + 1).equals("!")) {
                values.add(t.get(++i));
            }
            String value = values.isEmpty() ? "" : values.get(0);
            boolean not = negate;
            negate = false;
            switch (opt) {
                case "-p", "--protocol" -> {
                    transport = NftRuleset.transport(value);
                    if (transport == null || not) {
                        return "a protocol match it does not understand (" + (not ? "! " : "") + value + ")";
                    }
                }
                case "--dport", "--destination-port", "--dports", "--destination-ports" -> {
                    List<PortRange> p = ports(value);
                    if (p == null || not) {
                        return "a port match it does not understand (" + (not ? "! " : "") + value + ")";
                    }
                    ports = p;
                }
                case "-d", "--destination" -> daddr = (not ? "!" : "") + single(value);
                case "-i", "--in-interface" -> iif = (not ? "!" : "") + value;
                case "--dst-type" -> {
                    if (!value.equals("LOCAL") || not) {
                        return "an address type match it does not understand (" + value + ")";
                    }
                    local = true;
                }
                case "-j", "--jump", "-g", "--goto" -> jump = value;
                case "--to-destination" -> toDestination = value;
                case "--to-ports" -> toPorts = value;
                default -> {
                    if (!NARROWING.contains(opt)) {
                        return "an option it does not know (" + opt + ")";
                    }
                }
            }
        }
        Chains.Action action;
        if (jump.equals("DNAT")) {
            action = dnat(toDestination);
            if (action == null) {
                return "a DNAT target it does not understand (--to-destination " + toDestination + ")";
            }
        } else if (jump.equals("REDIRECT")) {
            PortRange to = toPorts.isEmpty() ? null : range(toPorts, '-');
            if (!toPorts.isEmpty() && to == null) {
                return "a REDIRECT target it does not understand (--to-ports " + toPorts + ")";
            }
            action = new Chains.Redirect(to);
        } else if (declared.contains(jump) && !BUILT_IN.contains(jump)) {
            action = new Chains.Jump(jump);
        } else if (jump.equals("NETMAP")) {
            return "a NETMAP target (whole networks mapped), not followed";
        } else {
            action = new Chains.Other(); // RETURN, ACCEPT, MASQUERADE, MARK…, or no target
        }
        chains.rule(
                Chains.key("nat", chain),
                chain,
                new Chains.Rule(
                        new Chains.Conditions(transport, ports, daddr, local, iif),
                        List.of(new Chains.Branch(Chains.Conditions.ANY, action)),
                        where,
                        List.of()));
        return null;
    }

    /** {@code 172.17.0.2}, {@code 172.17.0.2:80}, {@code 10.0.0.1-10.0.0.3:80-90}, {@code [fd00::1]:80}. */
    static Chains.@Nullable Dnat dnat(String to) {
        if (to.isEmpty()) {
            return null;
        }
        String address;
        String port = "";
        if (to.startsWith("[")) {
            int close = to.indexOf(']');
            if (close < 0) {
                return null;
            }
            address = to.substring(1, close);
            if (close + 1 < to.length()) {
                if (to.charAt(close + 1) != ':') {
                    return null;
                }
                port = to.substring(close + 2);
                if (port.isEmpty()) {
                    return null;
                }
            }
        } else if (to.indexOf(':') != to.lastIndexOf(':')) {
            address = to; // a bare IPv6 address: no port
        } else {
            int colon = to.indexOf(':');
            address = colon < 0 ? to : to.substring(0, colon);
            port = colon < 0 ? "" : to.substring(colon + 1);
            if (colon >= 0 && port.isEmpty()) {
                return null;
            }
        }
        PortRange ports = null;
        if (!port.isEmpty()) {
            ports = range(port, '-');
            if (ports == null) {
                return null;
            }
        }
        return address.isEmpty() ? null : new Chains.Dnat(address, ports);
    }

    /** {@code 80}, {@code 8000:8010}, or multiport's {@code 80,443,8000:8010}; null when not that. */
    static @Nullable List<PortRange> ports(String s) {
        List<PortRange> out = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            PortRange p = range(part, ':');
            if (p == null) {
                return null;
            }
            out.add(p);
        }
        return out;
    }

    /** {@code 80} or {@code LO<sep>HI}; null when not that. */
    static @Nullable PortRange range(String s, char sep) {
        int at = s.indexOf(sep);
        int lo = port(at < 0 ? s : s.substring(0, at));
        int hi = at < 0 ? lo : port(s.substring(at + 1));
        return lo < 0 || hi < lo ? null : new PortRange(lo, hi);
    }

    private static int port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int p = Integer.parseInt(s);
        return p > PortRange.MAX_PORT ? -1 : p;
    }

    /** An address without the {@code /32} or {@code /128} that iptables-save adds to a single one. */
    private static String single(String address) {
        if (address.endsWith("/32") && address.indexOf(':') < 0) {
            return address.substring(0, address.length() - 3);
        }
        return address.endsWith("/128") ? address.substring(0, address.length() - 4) : address;
    }

    /**
     * The words of a rule line as iptables-save quotes them: double quotes around a value with
     * spaces, backslash escapes inside them; null for an unclosed quote.
     */
    static @Nullable List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quoted) {
            return null;
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }
}
