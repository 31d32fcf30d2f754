package org.portlens.discovery.linux.forward;

import java.util.List;

/**
 * The port forwards read from a network namespace's NAT rules, and what could not be read or
 * understood, one line each (rules not understood are counted, never fatal).
 *
 * <p>Immutable; safe from any thread.
 *
 * @param forwards the forwards, in rule order
 * @param notes    what could not be read or understood, and why
 */
public record NatRules(List<NatForward> forwards, List<String> notes) {

    /** Copies the lists. */
    public NatRules {
        forwards = List.copyOf(forwards);
        notes = List.copyOf(notes);
    }
}
