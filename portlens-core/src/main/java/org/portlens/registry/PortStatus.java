package org.portlens.registry;

import java.util.List;
import java.util.Locale;

/**
 * What IANA's registry says about a port, in one word.
 *
 * <p>Immutable; safe from any thread.
 */
public enum PortStatus {
    /** A service is registered with at least a reference or known software behind it. */
    ASSIGNED("assigned"),
    /** Registered, but IANA gives no reference (RFC, draft, URI) and no widely used software is known to use it. */
    REGISTERED_UNUSED("registered, no reference and no known software"),
    /** IANA reserves the port. */
    RESERVED("reserved"),
    /** IANA has not assigned the port. */
    UNASSIGNED("unassigned");

    private final String description;

    PortStatus(String description) {
        this.description = description;
    }

    /**
     * The status in a few words for a person.
     *
     * @return such as {@code "registered, no reference and no known software"}
     */
    public String description() {
        return description;
    }

    /**
     * The name in lower case with dashes, as in JSON.
     *
     * @return {@code assigned}, {@code registered-unused}, {@code reserved} or {@code unassigned}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Decides the status from the records for one port and the known uses of it.
     *
     * @param records   IANA's records for the port
     * @param knownUses the known uses of the port
     * @return {@link #UNASSIGNED} when no record names a service or reserves the port
     */
    public static PortStatus of(List<IanaRecord> records, List<KnownUse> knownUses) {
        boolean named = false;
        boolean referenced = false;
        boolean reserved = false;
        for (IanaRecord r : records) {
            if (!r.serviceName().isEmpty()) {
                named = true;
                if (!r.references().isEmpty()) {
                    referenced = true;
                }
            } else if (r.reserved()) {
                reserved = true;
            }
        }
        if (named) {
            return referenced || !knownUses.isEmpty() ? ASSIGNED : REGISTERED_UNUSED;
        }
        return reserved ? RESERVED : UNASSIGNED;
    }
}
