package org.portlens;

import java.util.List;
import java.util.Optional;
import org.portlens.probe.Wire;
import org.portlens.scan.PortState;
import org.portlens.scan.ScanReport;

/**
 * A scan of one host's ports, with the ports worth listing: every open one, and the filtered and
 * open|filtered ones while there are at most {@link HostScanner#LIST_LIMIT} of a state (beyond that
 * only their count, in the report, says anything). Immutable.
 *
 * @param report what the sweep found, with counts per state
 * @param rows   the ports worth listing, in port order
 */
public record HostScan(ScanReport report, List<Row> rows) {

    /**
     * Copies the rows.
     *
     * @param report what the sweep found, with counts per state
     * @param rows   the ports worth listing, in port order; copied
     */
    public HostScan {
        rows = List.copyOf(rows);
    }

    /**
     * One listed port.
     *
     * @param port     the port
     * @param state    open, filtered or open|filtered (closed ports are not listed)
     * @param ianaName IANA's service name for the port and transport, or empty
     * @param wire     what it speaks, when identification was asked for and the port is open (or, over UDP,
     *                 open|filtered and listed)
     */
    public record Row(int port, PortState state, String ianaName, Optional<Wire> wire) {}
}
