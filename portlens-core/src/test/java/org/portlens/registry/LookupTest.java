package org.portlens.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/** What {@code portlens lookup} shows: records by port or by name, and the known uses beside them. */
class LookupTest {

    static final Registry REGISTRY = Registry.bundled();
    static final KnownUses USES = KnownUses.bundled();

    @Test
    void aPortGivesItsRecordsAndKnownUses() {
        Lookup l = Lookup.ofPorts(REGISTRY, USES, PortRange.of(6443), Optional.of(Transport.TCP));
        assertThat(l.records()).extracting(IanaRecord::serviceName).containsExactly("sun-sr-https");
        assertThat(l.knownUses()).extracting(KnownUse::software).anyMatch(s -> s.contains("Kubernetes"));
    }

    @Test
    void aNameMatchesInAnyCaseAndMayBeNarrowedToOneTransport() {
        assertThat(Lookup.ofName(REGISTRY, USES, "NETPLAY-PORT1", Optional.empty())
                        .records())
                .extracting(IanaRecord::transport)
                .containsExactlyInAnyOrder(Transport.TCP, Transport.UDP);
        assertThat(Lookup.ofName(REGISTRY, USES, "netplay-port1", Optional.of(Transport.UDP))
                        .records())
                .singleElement()
                .extracting(IanaRecord::transport)
                .isEqualTo(Transport.UDP);
    }

    @Test
    void aNameGetsTheKnownUsesOfItsFirstPort() {
        Lookup l = Lookup.ofName(REGISTRY, USES, "sun-sr-https", Optional.empty());
        assertThat(l.knownUses()).extracting(KnownUse::software).anyMatch(s -> s.contains("Kubernetes"));
    }

    @Test
    void anUnknownNameFindsNothing() {
        Lookup l = Lookup.ofName(REGISTRY, USES, "no-such-service-here", Optional.empty());
        assertThat(l.records()).isEmpty();
        assertThat(l.knownUses()).isEmpty();
    }
}
