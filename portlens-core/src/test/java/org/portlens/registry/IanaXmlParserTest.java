package org.portlens.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/** Parses the real registry XML bundled in src/main/iana (IANA's file of 2026-08-17). */
class IanaXmlParserTest {

    private static IanaRecord only(List<IanaRecord> records, Transport transport, String name) {
        List<IanaRecord> match = records.stream()
                .filter(r -> r.transport() == transport && r.serviceName().equals(name))
                .toList();
        assertThat(match).as("%s/%s", name, transport).hasSize(1);
        return match.get(0);
    }

    private static IanaRecord record(int port, Transport transport, String name) {
        return only(
                IanaFixtures.registry().overlapping(PortRange.of(port), Optional.ofNullable(transport)),
                transport,
                name);
    }

    private static ParsedRegistry parse(String xml) {
        return IanaXmlParser.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesEveryRecordAndPerson() {
        ParsedRegistry p = IanaFixtures.parsed();
        assertThat(p.rows()).hasSize(IanaFixtures.RECORDS);
        assertThat(p.people()).hasSize(IanaFixtures.PEOPLE);
        assertThat(p.updated()).isEqualTo(IanaFixtures.UPDATED);
        assertThat(p.problems()).isEmpty();
    }

    @Test
    void keepsRowFieldsAsText() {
        ParsedRegistry.Row row = IanaFixtures.parsed().rows().stream()
                .filter(r -> r.name().equals("netplay-port2") && r.protocol().equals("tcp"))
                .findFirst()
                .orElseThrow();
        assertThat(row.number()).isEqualTo("3641");
        assertThat(row.description()).isEqualTo("Netplay Port 2");
        assertThat(row.registered()).isEqualTo("2002-11");
        assertThat(row.modified()).isEmpty();
        assertThat(row.xrefs())
                .containsExactly(new ParsedRegistry.Xref(ParsedRegistry.Role.CONTACT, "person", "Predrag_Filipovic"));
    }

    @Test
    void resolvesContactPersonToName() {
        IanaRecord r = record(3641, Transport.TCP, "netplay-port2");
        assertThat(r.contacts())
                .containsExactly(
                        new Contact("Predrag_Filipovic", "Predrag Filipovic", "", "mailto:pfilipovic@digital5.com"));
        assertThat(r.contacts().get(0).display()).isEqualTo("Predrag Filipovic");
        assertThat(r.assignees()).isEmpty();
        assertThat(r.references()).isEmpty();
        assertThat(r.registered()).isEqualTo("2002-11");
    }

    @Test
    void readsHttpWithAssigneeContactReferenceAndNote() {
        IanaRecord http = record(80, Transport.TCP, "http");
        assertThat(http.ports()).isEqualTo(PortRange.of(80));
        assertThat(http.description()).isEqualTo("World Wide Web HTTP");
        assertThat(http.assignees())
                .extracting(Contact::id, Contact::org)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("IESG", "IESG"));
        assertThat(http.contacts())
                .containsExactly(new Contact("IETF_Chair", "IETF Chair", "IETF", "mailto:chair@ietf.org"));
        assertThat(http.contacts().get(0).display()).isEqualTo("IETF Chair (IETF)");
        assertThat(http.references()).containsExactly(new Reference("rfc", "rfc9110"));
        assertThat(http.references().get(0).url()).isEqualTo("https://www.rfc-editor.org/rfc/rfc9110");
        assertThat(http.modified()).isEqualTo("2021-10-01");
        assertThat(http.notes()).isEqualTo("Defined TXT keys: u=<username> p=<password> path=<path to document>");
        assertThat(http.portLabel()).isEqualTo("80/tcp");
    }

    @Test
    void turnsBrIntoLineBreak() {
        IanaRecord whoispp = record(63, Transport.TCP, "whoispp");
        assertThat(whoispp.description())
                .isEqualTo("whois++\n\nIANA assigned this well-formed service name as a replacement for \"whois++\".");
    }

    @Test
    void readsUnauthorizedUse() {
        IanaRecord finger = record(79, Transport.TCP, "finger");
        assertThat(finger.unauthorizedUse())
                .isEqualTo("Unauthorized use by some mail users (see [RFC4146] for details)");
        assertThat(record(80, Transport.TCP, "http").unauthorizedUse()).isEmpty();
    }

    @Test
    void readsServiceCode() {
        IanaRecord discard = record(9, Transport.DCCP, "discard");
        assertThat(discard.serviceCode()).isEqualTo("1145656131");
        assertThat(discard.references()).containsExactly(new Reference("rfc", "rfc4340"));
        assertThat(record(9, Transport.TCP, "discard").serviceCode()).isEmpty();
    }

    @Test
    void keepsNameOnlyRecordFoundByName() {
        List<IanaRecord> argus = IanaFixtures.registry().byName("argus");
        assertThat(argus).hasSize(1);
        IanaRecord r = argus.get(0);
        assertThat(r.ports()).isNull();
        assertThat(r.transport()).isNull();
        assertThat(r.description()).isEqualTo("ARGUS Protocol");
        assertThat(r.portLabel()).isEqualTo("-");
    }

    @Test
    void findsRangeRecordByPortInside() {
        IanaRecord x11 = record(6010, Transport.TCP, "x11");
        assertThat(x11.ports()).isEqualTo(new PortRange(6000, 6063));
        assertThat(x11.portLabel()).isEqualTo("6000-6063/tcp");
        assertThat(x11.unauthorizedUse()).isEqualTo("Known Unauthorized Use on port 6003");
        assertThat(IanaFixtures.registry().byPort(6000, Transport.TCP))
                .extracting(IanaRecord::serviceName)
                .contains("x11");
        assertThat(IanaFixtures.registry().byPort(6063, Transport.TCP))
                .extracting(IanaRecord::serviceName)
                .contains("x11");
        assertThat(IanaFixtures.registry().byPort(6064, Transport.TCP))
                .extracting(IanaRecord::serviceName)
                .doesNotContain("x11");
    }

    @Test
    void readsRangeRecordWithoutTransport() {
        IanaRecord activeNet = only(IanaFixtures.registry().byPort(3323), null, "active-net");
        assertThat(activeNet.ports()).isEqualTo(new PortRange(3322, 3325));
        assertThat(activeNet.portLabel()).isEqualTo("3322-3325");
    }

    @Test
    void readsReservedAndUnassignedRows() {
        List<IanaRecord> zero = IanaFixtures.registry().byPort(0, Transport.TCP);
        assertThat(zero).hasSize(1);
        assertThat(zero.get(0).reserved()).isTrue();
        assertThat(zero.get(0).serviceName()).isEmpty();
        List<IanaRecord> ten = IanaFixtures.registry().byPort(10, Transport.TCP);
        assertThat(ten).hasSize(1);
        assertThat(ten.get(0).unassigned()).isTrue();
    }

    @Test
    void parsesSmallDocumentWithBrInNoteAndAssignee() {
        ParsedRegistry p = parse("""
                <?xml version='1.0' encoding='UTF-8'?>
                <registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">
                  <updated>2026-01-02</updated>
                  <record date="2020-01-01">
                    <name>demo</name>
                    <protocol>udp</protocol>
                    <assignee><xref type="person" data="Ann"/></assignee>
                    <xref type="person" data="Bob"/>
                    <xref type="draft" data="draft-demo-00"/>
                    <description>line one<br/>line two</description>
                    <number>4000</number>
                    <note>see <xref type="rfc" data="rfc6335"/>   for more</note>
                  </record>
                  <people>
                    <person id="Ann"><name>Ann A.</name><org>Zürich Lab</org><uri>mailto:ann&amp;example.org</uri></person>
                  </people>
                </registry>
                """);
        assertThat(p.updated()).isEqualTo("2026-01-02");
        assertThat(p.rows()).hasSize(1);
        ParsedRegistry.Row row = p.rows().get(0);
        assertThat(row.description()).isEqualTo("line one\nline two");
        assertThat(row.note()).isEqualTo("see rfc6335   for more");
        assertThat(row.xrefs())
                .containsExactly(
                        new ParsedRegistry.Xref(ParsedRegistry.Role.ASSIGNEE, "person", "Ann"),
                        new ParsedRegistry.Xref(ParsedRegistry.Role.CONTACT, "person", "Bob"),
                        new ParsedRegistry.Xref(ParsedRegistry.Role.REFERENCE, "draft", "draft-demo-00"));
        assertThat(p.people())
                .containsExactly(
                        new ParsedRegistry.Person("Ann", "Ann A.", "Zürich Lab", "mailto:ann&example.org", ""));
    }

    @Test
    void rejectsOtherRootElementNamingIt() {
        assertThatThrownBy(() -> parse("<html><body>Not Found</body></html>"))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageContaining("<html>");
    }

    @Test
    void rejectsMalformedXmlSayingWhere() {
        assertThatThrownBy(() -> parse("<registry>\n<record>\n<name>x</nam>\n</record></registry>"))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageStartingWith("not well-formed XML at line 3");
    }

    @Test
    void doesNotExpandExternalEntities() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE registry [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
                <registry><record><name>evil</name><description>&xxe;</description><number>1</number></record></registry>
                """;
        try {
            ParsedRegistry p = parse(xxe);
            assertThat(p.rows()).allSatisfy(r -> assertThat(r.description()).doesNotContain("root:"));
        } catch (RegistryFormatException expected) {
            assertThat(expected.getMessage()).doesNotContain("root:");
        }
    }
}
