package org.portlens.policy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What should be listening on a host: the expected listeners and the ignore rules. The CLI reads it
 * from a YAML file (docs/policy.md); {@link Baseline} makes one from today's listeners.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param expect the listeners that should be there, each once
 * @param ignore the listeners an audit passes over, each once
 */
public record Policy(List<Expect> expect, List<Ignore> ignore) {

    /**
     * Copies the lists and refuses duplicates.
     *
     * @param expect the listeners that should be there; copied
     * @param ignore the ignore rules; copied
     * @throws IllegalArgumentException naming the first entry given twice
     */
    public Policy {
        expect = List.copyOf(expect);
        ignore = List.copyOf(ignore);
        Set<Expect> seen = new HashSet<>();
        for (Expect e : expect) {
            if (!seen.add(e)) {
                throw new IllegalArgumentException("expect entry " + e.place() + " is given twice");
            }
        }
        Set<Ignore> seenIgnore = new HashSet<>();
        for (Ignore i : ignore) {
            if (!seenIgnore.add(i)) {
                throw new IllegalArgumentException("ignore entry " + i.ports() + " is given twice");
            }
        }
    }
}
