package org.portlens.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.portlens.discovery.Discovery;
import org.portlens.model.Listener;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;

/**
 * Today's listeners as a policy: one {@link Expect} per listener identity (transport, port, bind,
 * namespace, owner), so the IPv4 and IPv6 sockets of one server on one port make one entry. An
 * audit against the baseline of the same socket table is clean. Pure functions; safe from any thread.
 */
public final class Baseline {

    private Baseline() {}

    /**
     * One entry of a baseline and the sockets it stands for, so that a writer can say in a comment
     * which process held them (and its pid at the time) and since when.
     *
     * <p>Immutable; safe to share between threads.
     *
     * @param expect    the entry
     * @param listeners the sockets it was made from, at least one
     */
    public record Entry(Expect expect, List<Listener> listeners) {
        /**
         * Copies the listeners.
         *
         * @param expect    the entry
         * @param listeners the sockets it was made from; copied
         */
        public Entry {
            listeners = List.copyOf(listeners);
        }
    }

    /**
     * The policy of a socket table, with no ignore rules.
     *
     * @param discovery today's listeners
     * @return one expect entry per listener identity
     */
    public static Policy of(Discovery discovery) {
        return of(discovery, List.of());
    }

    /**
     * The policy of a socket table, with ignore rules (such as the ephemeral range for UDP clients):
     * listeners they cover get no entry.
     *
     * @param discovery today's listeners
     * @param ignore    the rules to keep in the policy
     * @return the ignore rules and one expect entry per listener identity they do not cover
     */
    public static Policy of(Discovery discovery, List<Ignore> ignore) {
        return new Policy(entries(discovery, ignore).stream().map(Entry::expect).toList(), ignore);
    }

    /**
     * The entries of a baseline, each with the sockets it stands for, in transport and port order.
     *
     * @param discovery today's listeners
     * @param ignore    rules whose listeners get no entry
     * @return one entry per listener identity
     */
    public static List<Entry> entries(Discovery discovery, List<Ignore> ignore) {
        Map<Expect, List<Listener>> groups = new LinkedHashMap<>();
        List<Listener> sorted = new ArrayList<>(discovery.listeners());
        sorted.sort(java.util.Comparator.comparing((Listener l) -> l.transport())
                .thenComparingInt(l -> l.local().port())
                .thenComparing(l -> l.local().scope())
                .thenComparing(l -> l.local().address()));
        for (Listener l : sorted) {
            if (ignore.stream().anyMatch(i -> i.matches(l))) {
                continue;
            }
            List<ProcessInfo> processes = l.processes();
            Identity identity = processes.isEmpty() ? Identity.ANY : Identity.of(processes.get(0));
            Expect e = new Expect(
                    l.transport(),
                    PortRange.of(l.local().port()),
                    Optional.of(Bind.of(l.local())),
                    Netns.of(l.namespace()),
                    identity,
                    true);
            groups.computeIfAbsent(e, k -> new ArrayList<>()).add(l);
        }
        List<Entry> out = new ArrayList<>();
        groups.forEach((e, ls) -> out.add(new Entry(e, ls)));
        return out;
    }
}
