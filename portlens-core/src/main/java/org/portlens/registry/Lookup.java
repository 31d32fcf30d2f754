package org.portlens.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * IANA's records for a port, range or service name, with the software known to use the same
 * ports: what {@code portlens lookup} shows.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param records   IANA's records, in the registry's order; empty when nothing matches
 * @param knownUses the known uses of the ports asked about, or, for a name, of the first port
 *                  registered for it; empty when none is known
 */
public record Lookup(List<IanaRecord> records, List<KnownUse> knownUses) {

    /**
     * Copies the lists.
     *
     * @param records   IANA's records; copied
     * @param knownUses the known uses beside them; copied
     */
    public Lookup {
        records = List.copyOf(records);
        knownUses = List.copyOf(knownUses);
    }

    /**
     * The records and known uses of a port or range.
     *
     * @param registry  the registry to read
     * @param uses      the known uses to read
     * @param ports     the port or range
     * @param transport one transport, or empty for all
     * @return every record overlapping the ports (none when IANA has not assigned them) and their
     *         known uses
     */
    public static Lookup ofPorts(Registry registry, KnownUses uses, PortRange ports, Optional<Transport> transport) {
        return new Lookup(registry.overlapping(ports, transport), uses.overlapping(ports, transport));
    }

    /**
     * The records of a service name, matched exactly in any case, and the known uses of the first
     * port registered for it.
     *
     * @param registry  the registry to read
     * @param uses      the known uses to read
     * @param name      the service name ("netplay-port1")
     * @param transport one transport, or empty for all
     * @return the records (none when the registry has no such name) and the known uses
     */
    public static Lookup ofName(Registry registry, KnownUses uses, String name, Optional<Transport> transport) {
        List<IanaRecord> records = new ArrayList<>();
        for (IanaRecord r : registry.byName(name)) {
            if (transport.isEmpty() || r.transport() == transport.get()) {
                records.add(r);
            }
        }
        for (IanaRecord r : records) {
            PortRange ports = r.ports();
            if (ports != null) {
                return new Lookup(records, uses.overlapping(PortRange.of(ports.low())));
            }
        }
        return new Lookup(records, List.of());
    }
}
