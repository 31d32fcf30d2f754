package org.portlens.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * The bundled registry: iana.bin, built from src/main/iana at process-classes by
 * {@link RegistryCompiler} and on the test classpath.
 */
class RegistryTest {

    private static Registry bundled;

    @BeforeAll
    static void load() {
        bundled = Registry.bundled();
    }

    @Test
    void findsBothTransportsOfAPort() {
        List<IanaRecord> records = bundled.byPort(3640);
        assertThat(records).extracting(IanaRecord::serviceName).containsOnly("netplay-port1");
        assertThat(records).extracting(IanaRecord::transport).containsExactly(Transport.TCP, Transport.UDP);
        assertThat(records.get(0).description()).isEqualTo("Netplay Port 1");
    }

    @Test
    void filtersByTransport() {
        assertThat(bundled.byPort(3640, Transport.UDP))
                .singleElement()
                .extracting(IanaRecord::transport)
                .isEqualTo(Transport.UDP);
        assertThat(bundled.byPort(3640, Transport.SCTP)).isEmpty();
    }

    @Test
    void findsByNameIgnoringCase() {
        List<IanaRecord> records = bundled.byName("NETPLAY-PORT1");
        assertThat(records).hasSize(2);
        assertThat(records).extracting(IanaRecord::ports).containsOnly(PortRange.of(3640));
        assertThat(bundled.byName("  Netplay-Port1 ")).hasSize(2);
        assertThat(bundled.byName("netplay-port")).isEmpty();
    }

    @Test
    void findsRecordsOverlappingARange() {
        List<IanaRecord> records = bundled.overlapping(new PortRange(3640, 3641), Transport.TCP);
        assertThat(records).extracting(IanaRecord::serviceName).containsExactly("netplay-port1", "netplay-port2");
    }

    @Test
    void searchRanksNameMatchesFirst() {
        List<Registry.Hit> hits = bundled.search("netplay", 10);
        assertThat(hits).hasSizeGreaterThanOrEqualTo(4);
        assertThat(hits.subList(0, 4))
                .extracting(h -> h.record().serviceName())
                .containsExactly("netplay-port1", "netplay-port1", "netplay-port2", "netplay-port2");
        assertThat(hits.get(0).record().ports().low()).isEqualTo(3640);
        assertThat(hits.get(0).score())
                .isGreaterThanOrEqualTo(hits.get(hits.size() - 1).score());
    }

    @Test
    void searchRanksExactNameAboveDescription() {
        List<Registry.Hit> hits = bundled.search("http", 5);
        assertThat(hits).hasSize(5);
        assertThat(hits.get(0).record().serviceName()).isEqualTo("http");
        assertThat(hits.get(0).record().ports().low()).isEqualTo(80);
    }

    @Test
    void searchFindsAPersonNamedOnlyAsContact() {
        List<Registry.Hit> hits = bundled.search("filipovic", 10);
        assertThat(hits).extracting(h -> h.record().serviceName()).containsExactly("netplay-port2", "netplay-port2");
        assertThat(hits).extracting(h -> h.record().transport()).containsExactly(Transport.TCP, Transport.UDP);
    }

    @Test
    void searchFindsAnOrganisation() {
        // "IETF" is the org of IETF_Chair, contact of http; the word is in no name or description of 80/tcp
        List<Registry.Hit> hits = bundled.search("http ietf", 100);
        assertThat(hits).extracting(h -> h.record().portLabel()).contains("80/tcp");
    }

    @Test
    void searchNeedsEveryWord() {
        assertThat(bundled.search("netplay filipovic", 10))
                .extracting(h -> h.record().serviceName())
                .containsOnly("netplay-port2");
        assertThat(bundled.search("netplay zzzqqq", 10)).isEmpty();
    }

    @Test
    void searchHonoursLimitAndEmptyQuery() {
        assertThat(bundled.search("port", 3)).hasSize(3);
        assertThat(bundled.search("", 10)).isEmpty();
        assertThat(bundled.search("   ", 10)).isEmpty();
    }

    @Test
    void infoCountsTheBundledCopy() throws Exception {
        Registry.Info info = bundled.info();
        assertThat(info.records()).isEqualTo(IanaFixtures.RECORDS).isEqualTo(bundled.size());
        assertThat(info.people()).isEqualTo(IanaFixtures.PEOPLE);
        assertThat(info.serviceNames()).isEqualTo(7327);
        assertThat(info.updated()).isEqualTo(IanaFixtures.UPDATED);
        assertThat(info.source()).isEqualTo(RegistryUpdate.IANA_XML);
        assertThat(info.importedAt()).isEmpty();
        assertThat(info.byTransport())
                .containsEntry(Transport.TCP, 6606)
                .containsEntry(Transport.UDP, 6356)
                .containsEntry(Transport.SCTP, 93)
                .containsEntry(Transport.DCCP, 11);
        String sha = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(IanaFixtures.XML)));
        assertThat(info.sha256()).as("built from the XML in src/main/iana").isEqualTo(sha);
    }

    @Test
    void matchesWhatTheParserReadsFromTheXml() {
        assertThat(bundled.all()).isEqualTo(IanaFixtures.registry().all());
    }

    @Test
    void showsMailAddressesWithAt() {
        assertThat(Registry.mailto("mailto:chair&ietf.org")).isEqualTo("mailto:chair@ietf.org");
        assertThat(Registry.mailto("https://example.org/?a=1&b=2")).isEqualTo("https://example.org/?a=1&b=2");
    }

    @Test
    void listsPeopleForCsvUpdates() {
        List<ParsedRegistry.Person> people = bundled.peopleList();
        assertThat(people).hasSize(IanaFixtures.PEOPLE);
        assertThat(people)
                .contains(new ParsedRegistry.Person(
                        "Predrag_Filipovic", "Predrag Filipovic", "", "mailto:pfilipovic&digital5.com", "2002-11"));
    }
}
