package org.portlens.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.portlens.registry.Registry;

class SearchTest {

    static final Registry REGISTRY = Registry.bundled();

    @Test
    void aNumberNamesThatPortAndItsRecords() {
        Search s = Search.run(REGISTRY, " 3640 ");
        assertThat(s.port()).isEqualTo(3640);
        assertThat(s.hits()).extracting(h -> h.record().serviceName()).containsOnly("netplay-port1");
    }

    @Test
    void aRangeGivesTheRecordsInItAndSaysWhenCut() {
        Search s = Search.run(REGISTRY, "3640-3641");
        assertThat(s.port()).isEqualTo(-1);
        assertThat(s.hits()).extracting(h -> h.record().serviceName()).contains("netplay-port1", "netplay-port2");
        Search wide = Search.run(REGISTRY, "1-9000");
        assertThat(wide.hits()).hasSize(Search.LIMIT);
        assertThat(wide.more()).isTrue();
    }

    @Test
    void wordsSearchNamesAndDescriptions() {
        assertThat(Search.run(REGISTRY, "netplay").hits())
                .extracting(h -> h.record().serviceName())
                .contains("netplay-port1");
        assertThat(Search.run(REGISTRY, "  ").hits()).isEmpty();
        assertThat(Search.run(REGISTRY, "zzzz-no-such-service").hits()).isEmpty();
    }

    @Test
    void refusesWhatCannotBeAPortOrIsTooLong() {
        assertThatThrownBy(() -> Search.run(REGISTRY, "70000")).hasMessage("a port is 0-65535, got 70000");
        assertThatThrownBy(() -> Search.run(REGISTRY, "9000-80")).hasMessage("a range goes low-high, got 9000-80");
        assertThatThrownBy(() -> Search.run(REGISTRY, "x".repeat(201)))
                .hasMessage("q must be at most 200 characters, got 201");
    }
}
