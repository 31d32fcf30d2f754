package org.portlens.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

class RegistryCodecTest {

    private static final ParsedRegistry.Xref CONTACT_CAROL =
            new ParsedRegistry.Xref(ParsedRegistry.Role.CONTACT, "person", "Carol");

    /** People deliberately out of order: the codec sorts them for the binary search. */
    private static final List<ParsedRegistry.Person> PEOPLE = List.of(
            new ParsedRegistry.Person("Mallory", "Mallory M.", "", "", ""),
            new ParsedRegistry.Person("Carol", "Carol C.", "Zürich Lab", "mailto:carol&example.org", "2020-02"),
            new ParsedRegistry.Person("Alice", "", "Alice Org", "https://alice.example/", ""),
            new ParsedRegistry.Person("Zed", "Zed Z.", "", "", ""),
            new ParsedRegistry.Person("Bob", "Bob B.", "", "", "2001-01"),
            new ParsedRegistry.Person("IETF_Chair", "IETF Chair", "IETF", "mailto:chair&ietf.org", ""),
            new ParsedRegistry.Person("IESG", "", "IESG", "mailto:iesg&ietf.org", ""));

    private static final List<ParsedRegistry.Row> ROWS = List.of(
            new ParsedRegistry.Row(
                    "demo",
                    "tcp",
                    "4000",
                    "Demo\nsecond line",
                    List.of(
                            new ParsedRegistry.Xref(ParsedRegistry.Role.ASSIGNEE, "person", "IESG"),
                            new ParsedRegistry.Xref(ParsedRegistry.Role.CONTACT, "person", "IETF_Chair"),
                            new ParsedRegistry.Xref(ParsedRegistry.Role.REFERENCE, "rfc", "rfc6335"),
                            new ParsedRegistry.Xref(ParsedRegistry.Role.REFERENCE, "uri", "https://demo.example/")),
                    "2020-01-01",
                    "2021-02-03",
                    "1234",
                    "a note",
                    "used without asking"),
            new ParsedRegistry.Row(
                    "demo", "udp", "4000", "Demo\nsecond line", List.of(CONTACT_CAROL), "", "", "", "", ""),
            new ParsedRegistry.Row("", "", "5000-5009", "Unassigned", List.of(), "", "", "", "", ""),
            new ParsedRegistry.Row(
                    "nameonly",
                    "",
                    "",
                    "Name only",
                    List.of(
                            new ParsedRegistry.Xref(ParsedRegistry.Role.CONTACT, "text", "Free Text Contact"),
                            new ParsedRegistry.Xref(ParsedRegistry.Role.CONTACT, "person", "Nobody_Listed")),
                    "",
                    "",
                    "",
                    "",
                    ""),
            new ParsedRegistry.Row("sctp-thing", "SCTP", "65535", "Edge", List.of(), "", "", "", "", ""));

    private static final RegistryCodec.Metadata META = new RegistryCodec.Metadata(
            "2026-08-17", "https://example.org/r.xml", "ab".repeat(32), "2026-08-20T10:00:00Z");

    private static Registry roundTrip() {
        return RegistryCodec.decode(
                RegistryCodec.encode(new ParsedRegistry("2026-08-17", ROWS, PEOPLE, List.of()), META));
    }

    @Test
    void keepsEveryFieldOfEveryRecord() {
        List<IanaRecord> all = roundTrip().all();
        assertThat(all).hasSize(5);
        IanaRecord demo = all.get(0);
        assertThat(demo.serviceName()).isEqualTo("demo");
        assertThat(demo.transport()).isEqualTo(Transport.TCP);
        assertThat(demo.ports()).isEqualTo(PortRange.of(4000));
        assertThat(demo.description()).isEqualTo("Demo\nsecond line");
        assertThat(demo.assignees()).containsExactly(new Contact("IESG", "", "IESG", "mailto:iesg@ietf.org"));
        assertThat(demo.contacts())
                .containsExactly(new Contact("IETF_Chair", "IETF Chair", "IETF", "mailto:chair@ietf.org"));
        assertThat(demo.references())
                .containsExactly(new Reference("rfc", "rfc6335"), new Reference("uri", "https://demo.example/"));
        assertThat(demo.registered()).isEqualTo("2020-01-01");
        assertThat(demo.modified()).isEqualTo("2021-02-03");
        assertThat(demo.serviceCode()).isEqualTo("1234");
        assertThat(demo.notes()).isEqualTo("a note");
        assertThat(demo.unauthorizedUse()).isEqualTo("used without asking");
    }

    @Test
    void keepsEmptyStringsEmpty() {
        IanaRecord udp = roundTrip().all().get(1);
        assertThat(udp.transport()).isEqualTo(Transport.UDP);
        assertThat(udp.registered()).isEmpty();
        assertThat(udp.modified()).isEmpty();
        assertThat(udp.serviceCode()).isEmpty();
        assertThat(udp.notes()).isEmpty();
        assertThat(udp.unauthorizedUse()).isEmpty();
        assertThat(udp.assignees()).isEmpty();
        assertThat(udp.references()).isEmpty();
        IanaRecord unassigned = roundTrip().all().get(2);
        assertThat(unassigned.serviceName()).isEmpty();
        assertThat(unassigned.transport()).isNull();
        assertThat(unassigned.ports()).isEqualTo(new PortRange(5000, 5009));
        assertThat(unassigned.unassigned()).isTrue();
    }

    @Test
    void keepsNameOnlyRecordsAndFreeTextContacts() {
        IanaRecord nameOnly = roundTrip().byName("NameOnly").get(0);
        assertThat(nameOnly.ports()).isNull();
        assertThat(nameOnly.transport()).isNull();
        assertThat(nameOnly.contacts())
                .containsExactly(
                        new Contact("", "Free Text Contact", "", ""), new Contact("Nobody_Listed", "", "", ""));
        assertThat(nameOnly.contacts().get(1).display()).isEqualTo("Nobody_Listed");
    }

    @Test
    void keepsNonAsciiText() {
        IanaRecord udp = roundTrip().all().get(1);
        assertThat(udp.contacts())
                .containsExactly(new Contact("Carol", "Carol C.", "Zürich Lab", "mailto:carol@example.org"));
        assertThat(udp.contacts().get(0).display()).isEqualTo("Carol C. (Zürich Lab)");
    }

    @Test
    void readsProtocolInAnyCaseAndTheHighestPort() {
        IanaRecord sctp = roundTrip().all().get(4);
        assertThat(sctp.transport()).isEqualTo(Transport.SCTP);
        assertThat(sctp.ports()).isEqualTo(PortRange.of(65535));
    }

    @Test
    void keepsMetadata() {
        Registry.Info info = roundTrip().info();
        assertThat(info.updated()).isEqualTo("2026-08-17");
        assertThat(info.source()).isEqualTo("https://example.org/r.xml");
        assertThat(info.sha256()).isEqualTo("ab".repeat(32));
        assertThat(info.importedAt()).isEqualTo("2026-08-20T10:00:00Z");
        assertThat(info.records()).isEqualTo(5);
        assertThat(info.people()).isEqualTo(PEOPLE.size());
        assertThat(info.serviceNames()).isEqualTo(3);
    }

    @Test
    void resolvesEveryPersonByBinarySearch() {
        Registry r = roundTrip();
        for (ParsedRegistry.Person p : PEOPLE) {
            Contact c = r.contact(p.id());
            assertThat(c.id()).isEqualTo(p.id());
            assertThat(c.name()).as(p.id()).isEqualTo(p.name());
            assertThat(c.org()).as(p.id()).isEqualTo(p.org());
        }
        assertThat(r.contact("Aaron")).isEqualTo(new Contact("Aaron", "", "", ""));
        assertThat(r.contact("Zzz")).isEqualTo(new Contact("Zzz", "", "", ""));
        assertThat(r.contact("Dave")).isEqualTo(new Contact("Dave", "", "", ""));
    }

    @Test
    void storesPeopleSortedById() {
        assertThat(roundTrip().peopleList())
                .extracting(ParsedRegistry.Person::id)
                .containsExactly("Alice", "Bob", "Carol", "IESG", "IETF_Chair", "Mallory", "Zed");
        assertThat(roundTrip().peopleList()).contains(PEOPLE.toArray(new ParsedRegistry.Person[0]));
    }

    @Test
    void encodesEmptyRegistry() {
        Registry r = RegistryCodec.decode(RegistryCodec.encode(
                new ParsedRegistry("", List.of(), List.of(), List.of()), new RegistryCodec.Metadata("", "", "", "")));
        assertThat(r.size()).isZero();
        assertThat(r.byPort(80)).isEmpty();
        assertThat(r.contact("x")).isEqualTo(new Contact("x", "", "", ""));
        assertThat(r.info().updated()).isEmpty();
    }

    @Test
    void parsesPortNumbersLeniently() {
        assertThat(RegistryCodec.parseNumber("3640")).containsExactly(3640, 3640);
        assertThat(RegistryCodec.parseNumber("1001-1009")).containsExactly(1001, 1009);
        assertThat(RegistryCodec.parseNumber("")).containsExactly(-1, -1);
        assertThat(RegistryCodec.parseNumber("5-3")).containsExactly(-1, -1);
        assertThat(RegistryCodec.parseNumber("70000")).containsExactly(-1, -1);
        assertThat(RegistryCodec.parseNumber("abc")).containsExactly(-1, -1);
    }

    @Test
    void rejectsBytesThatAreNotARegistry() {
        assertThatThrownBy(() -> RegistryCodec.decode("<registry/>".getBytes()))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageContaining("bad magic");
        assertThatThrownBy(() -> RegistryCodec.decode(new byte[0]))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageContaining("bad magic");
    }

    @Test
    void rejectsOtherVersion() {
        byte[] data = RegistryCodec.encode(new ParsedRegistry("", ROWS, PEOPLE, List.of()), META);
        data[4] ^= 0x40; // the version int, whatever its byte order
        data[7] ^= 0x40;
        assertThatThrownBy(() -> RegistryCodec.decode(data))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageContaining("registry file version")
                .hasMessageContaining("reads version " + RegistryCodec.VERSION);
    }

    @Test
    void rejectsTruncatedFile() {
        byte[] data = RegistryCodec.encode(new ParsedRegistry("", ROWS, PEOPLE, List.of()), META);
        for (int len : new int[] {8, 12, data.length / 2, data.length - 1}) {
            byte[] cut = Arrays.copyOf(data, len);
            assertThatThrownBy(() -> RegistryCodec.decode(cut))
                    .as("cut to %d bytes", len)
                    .isInstanceOf(RegistryFormatException.class);
        }
    }
}
