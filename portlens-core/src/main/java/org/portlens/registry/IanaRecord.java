package org.portlens.registry;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * One row of IANA's Service Name and Transport Protocol Port Number Registry, every field.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param serviceName    the service name, or empty (reserved and unassigned rows)
 * @param transport      the transport, or null (name-only rows, unassigned ranges without one)
 * @param ports          the port or range, or null for name-only rows
 * @param description    IANA's description
 * @param assignees      the assignee(s), where IANA names one apart from the contact
 * @param contacts       the contact(s)
 * @param registered     registration date as IANA writes it (2002-11), or empty
 * @param modified       modification date, or empty
 * @param references     RFCs, drafts, URIs and text references
 * @param serviceCode    the service code, or empty
 * @param notes          assignment notes, or empty
 * @param unauthorizedUse IANA's "Unauthorized Use Reported" text, or empty
 */
public record IanaRecord(
        String serviceName,
        @Nullable Transport transport,
        @Nullable PortRange ports,
        String description,
        List<Contact> assignees,
        List<Contact> contacts,
        String registered,
        String modified,
        List<Reference> references,
        String serviceCode,
        String notes,
        String unauthorizedUse) {

    /**
     * Copies the lists.
     *
     * @param serviceName     the service name, or empty
     * @param transport       the transport, or null for a row without one
     * @param ports           the port or range, or null for name-only rows
     * @param description     IANA's description
     * @param assignees       the assignee(s); copied
     * @param contacts        the contact(s); copied
     * @param registered      registration date as IANA writes it, or empty
     * @param modified        modification date, or empty
     * @param references      RFCs, drafts, URIs and text references; copied
     * @param serviceCode     the service code, or empty
     * @param notes           assignment notes, or empty
     * @param unauthorizedUse IANA's "Unauthorized Use Reported" text, or empty
     */
    public IanaRecord {
        assignees = List.copyOf(assignees);
        contacts = List.copyOf(contacts);
        references = List.copyOf(references);
    }

    /**
     * True for IANA's "Unassigned" rows.
     *
     * @return whether the row has no service name and the description "Unassigned", in any case
     */
    public boolean unassigned() {
        return serviceName.isEmpty() && description.equalsIgnoreCase("Unassigned");
    }

    /**
     * True for IANA's "Reserved" rows.
     *
     * @return whether the row has no service name and a description starting "Reserved", in any case
     */
    public boolean reserved() {
        return serviceName.isEmpty() && description.toLowerCase(Locale.ROOT).startsWith("reserved");
    }

    /**
     * "3640/tcp", "1001-1009/udp", or "-" for a name-only row.
     *
     * @return the ports and the transport; without "/transport" for a row that has none
     */
    public String portLabel() {
        String p = ports == null ? "-" : ports.toString();
        return transport == null ? p : p + "/" + transport.label();
    }
}
