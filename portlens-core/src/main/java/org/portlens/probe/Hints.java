package org.portlens.probe;

import java.util.List;

/**
 * What is known before probing, used to order the probes (most plausible first). Immutable; safe
 * from any thread.
 *
 * @param ianaNames    IANA service names for the port ("http", "netplay-port1")
 * @param processNames names of the processes holding the port ("nginx", "redis-server")
 */
public record Hints(List<String> ianaNames, List<String> processNames) {
    /**
     * Copies the lists.
     *
     * @param ianaNames    IANA service names for the port; copied
     * @param processNames names of the processes holding the port; copied
     */
    public Hints {
        ianaNames = List.copyOf(ianaNames);
        processNames = List.copyOf(processNames);
    }

    /**
     * Nothing known: the probes run in their default order.
     *
     * @return hints with no name
     */
    public static Hints none() {
        return new Hints(List.of(), List.of());
    }
}
