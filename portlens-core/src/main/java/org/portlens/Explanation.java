package org.portlens;

import java.util.List;
import org.portlens.discovery.Discovery;
import org.portlens.model.EphemeralRange;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.probe.Wire;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.KnownUse;
import org.portlens.registry.PortStatus;
import org.portlens.registry.RangeClass;

/**
 * Everything portlens says about a port (or range): the registry's facts, the known uses, who is
 * listening, a verdict in plain words, and how to check by hand. One immutable value that every
 * front end renders.
 *
 * @param ports        the port or range asked about
 * @param transport    the transport asked about, or null for all
 * @param records      IANA's records for it
 * @param rangeClass   system, user or dynamic (of the first port)
 * @param ephemeral    this host's ephemeral range, or null when unknown
 * @param status       assigned, registered-unused, reserved or unassigned (of the first port)
 * @param knownUses    de-facto uses, not IANA's
 * @param discovery    who is listening, or null when discovery could not run
 * @param discoveryNote why discovery did not run or what it left out (sctp/dccp), or empty
 * @param wires        what each local listener was seen to speak (empty when not probed)
 * @param verdict      sentences for a person, most important first
 * @param checks       commands to check by hand on each OS
 */
public record Explanation(PortRange ports, Transport transport, List<IanaRecord> records, RangeClass rangeClass,
                          EphemeralRange ephemeral, PortStatus status, List<KnownUse> knownUses, Discovery discovery,
                          String discoveryNote, List<Probed> wires, List<String> verdict, List<ManualCheck> checks) {

    public Explanation {
        records = List.copyOf(records);
        knownUses = List.copyOf(knownUses);
        wires = List.copyOf(wires);
        verdict = List.copyOf(verdict);
        checks = List.copyOf(checks);
    }

    /** Whether the (first) port lies in this host's ephemeral range. */
    public boolean inEphemeralRange() {
        return ephemeral != null && ephemeral.range().overlaps(ports);
    }

    /** The probe result for the listener bound to (transport, address, port), if it was probed. */
    public Wire wireOf(Transport t, String address, int port) {
        for (Probed w : wires) {
            if (w.transport() == t && w.address().equals(address) && w.port() == port) {
                return w.result();
            }
        }
        return null;
    }

    /**
     * What one local listener speaks.
     *
     * @param transport tcp or udp
     * @param address   the listener's bound address
     * @param port      its port
     * @param probedAt  the address probed (loopback for a wildcard listener)
     * @param result    what the probe saw
     */
    public record Probed(Transport transport, String address, int port, String probedAt, Wire result) {
    }

    /**
     * A command to run by hand.
     *
     * @param os      linux, macos or windows
     * @param command the command
     * @param purpose what it shows
     */
    public record ManualCheck(String os, String command, String purpose) {
    }
}
