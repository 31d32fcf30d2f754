package org.portlens.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/** Port statuses from the bundled registry and known-uses list, as portlens decides them for a lookup. */
class PortStatusTest {

    private static Registry registry;
    private static KnownUses knownUses;

    @BeforeAll
    static void load() {
        registry = Registry.bundled();
        knownUses = KnownUses.bundled();
    }

    private static PortStatus status(int port, Transport transport) {
        return PortStatus.of(
                registry.overlapping(PortRange.of(port), Optional.ofNullable(transport)),
                knownUses.overlapping(PortRange.of(port), Optional.ofNullable(transport)));
    }

    @Test
    void registeredWithoutReferenceOrKnownSoftwareIsRegisteredUnused() {
        assertThat(status(3640, null)).isEqualTo(PortStatus.REGISTERED_UNUSED);
        assertThat(status(3640, Transport.TCP)).isEqualTo(PortStatus.REGISTERED_UNUSED);
    }

    @Test
    void registeredWithReferenceIsAssigned() {
        assertThat(status(80, Transport.TCP)).isEqualTo(PortStatus.ASSIGNED);
        assertThat(status(80, null)).isEqualTo(PortStatus.ASSIGNED);
    }

    @Test
    void unassignedRowIsUnassigned() {
        // 10/tcp: <description>Unassigned</description><number>10</number>
        assertThat(registry.byPort(10, Transport.TCP))
                .singleElement()
                .extracting(IanaRecord::description)
                .isEqualTo("Unassigned");
        assertThat(status(10, Transport.TCP)).isEqualTo(PortStatus.UNASSIGNED);
    }

    @Test
    void portZeroIsReserved() {
        assertThat(status(0, Transport.TCP)).isEqualTo(PortStatus.RESERVED);
    }

    @Test
    void registeredWithKnownSoftwareIsAssignedEvenWithoutReference() {
        IanaRecord noRef = registry.byPort(3640, Transport.TCP).get(0);
        KnownUse use = new KnownUse(
                PortRange.of(3640), List.of(Transport.TCP), "Some Software", "its port", "https://x.example/");
        assertThat(PortStatus.of(List.of(noRef), List.of(use))).isEqualTo(PortStatus.ASSIGNED);
    }

    @Test
    void noRecordsAtAllIsUnassigned() {
        assertThat(PortStatus.of(List.of(), List.of())).isEqualTo(PortStatus.UNASSIGNED);
    }

    @Test
    void labelsForPeople() {
        assertThat(PortStatus.REGISTERED_UNUSED.label()).isEqualTo("registered-unused");
        assertThat(PortStatus.ASSIGNED.description()).isEqualTo("assigned");
    }
}
