package org.portlens.model;

import java.util.List;

/**
 * The NAT rules that forward a port, read in every network namespace portlens can see, and what could
 * not be read (not root, nft missing, a namespace that could not be entered). Immutable; safe to
 * share between threads.
 *
 * @param forwards the forwards matching the port, in the order read (namespace, then rule)
 * @param notes    what could not be read or understood, one line each
 */
public record RuleForwards(List<RuleForward> forwards, List<String> notes) {

    /** Nothing read and nothing to say: the answer of a socket table that does not read rules. */
    public static final RuleForwards NONE = new RuleForwards(List.of(), List.of());

    /**
     * Copies the lists.
     *
     * @param forwards the forwards; copied
     * @param notes    what could not be read; copied
     */
    public RuleForwards {
        forwards = List.copyOf(forwards);
        notes = List.copyOf(notes);
    }
}
