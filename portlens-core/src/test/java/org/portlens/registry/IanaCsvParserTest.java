package org.portlens.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.model.Transport;

/**
 * The CSV is written here in the layout of IANA's service-names-port-numbers.csv (same header,
 * bracketed person ids and references, RFC 4180 quoting), with rows taken from the XML.
 */
class IanaCsvParserTest {

    static final String HEADER = "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
            + "Registration Date,Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes";

    static final String CSV = HEADER + "\n" + """
            ,0,tcp,Reserved,,,,2024-12-20,[RFC6335],,,
            discard,9,dccp,Discard,[Eddie_Kohler],[Eddie_Kohler],,,[RFC4340],1145656131,,
            whoispp,63,tcp,"whois++

            IANA assigned this well-formed service name as a replacement for ""whois++"".",[Rickard_Schoultz],[Rickard_Schoultz],,,,,,
            finger,79,tcp,Finger,[David_Zimmerman],[David_Zimmerman],,,,,Unauthorized use by some mail users (see [RFC4146] for details),
            http,80,tcp,World Wide Web HTTP,[IESG],[IETF_Chair],,2021-10-01,[RFC9110],,,"Defined TXT keys: u=<username> p=<password> path=<path to document>"
            netplay-port2,3641,udp,Netplay Port 2,[Predrag_Filipovic],[Predrag_Filipovic],2002-11,,,,,
            x11,6000-6063,tcp,"X Window System, displays 0 to 63",[Stephen_Gildea],[Stephen_Gildea],,,,,Known Unauthorized Use on port 6003,
            argus,,,ARGUS Protocol,[Bob_Braden_2],[Bob_Braden_2],,,"[RFC1234][draft-ietf-demo-01][https://example.org/argus]",,,
            """;

    private static ParsedRegistry parse(String text) {
        return IanaCsvParser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ParsedRegistry.Row row(ParsedRegistry p, String name) {
        return p.rows().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void parsesEveryRow() {
        ParsedRegistry p = parse(CSV);
        assertThat(p.rows()).hasSize(8);
        assertThat(p.problems()).isEmpty();
        assertThat(p.people()).as("the CSV has no people list").isEmpty();
        assertThat(p.updated()).isEmpty();
    }

    @Test
    void readsColumnsIntoTheRightFields() {
        ParsedRegistry.Row http = row(parse(CSV), "http");
        assertThat(http.number()).isEqualTo("80");
        assertThat(http.protocol()).isEqualTo("tcp");
        assertThat(http.description()).isEqualTo("World Wide Web HTTP");
        assertThat(http.registered()).isEmpty();
        assertThat(http.modified()).isEqualTo("2021-10-01");
        assertThat(http.note()).isEqualTo("Defined TXT keys: u=<username> p=<password> path=<path to document>");
        assertThat(http.xrefs())
                .containsExactly(
                        new ParsedRegistry.Xref(ParsedRegistry.Role.ASSIGNEE, "person", "IESG"),
                        new ParsedRegistry.Xref(ParsedRegistry.Role.CONTACT, "person", "IETF_Chair"),
                        new ParsedRegistry.Xref(ParsedRegistry.Role.REFERENCE, "rfc", "rfc9110"));
    }

    @Test
    void readsQuotedFieldWithNewlineAndDoubledQuotes() {
        assertThat(row(parse(CSV), "whoispp").description())
                .isEqualTo("whois++\n\nIANA assigned this well-formed service name as a replacement for \"whois++\".");
    }

    @Test
    void readsQuotedFieldWithComma() {
        ParsedRegistry.Row x11 = row(parse(CSV), "x11");
        assertThat(x11.description()).isEqualTo("X Window System, displays 0 to 63");
        assertThat(x11.number()).isEqualTo("6000-6063");
        assertThat(x11.unauthorized()).isEqualTo("Known Unauthorized Use on port 6003");
    }

    @Test
    void readsServiceCodeAndUnauthorizedUse() {
        ParsedRegistry p = parse(CSV);
        assertThat(row(p, "discard").serviceCode()).isEqualTo("1145656131");
        assertThat(row(p, "finger").unauthorized())
                .isEqualTo("Unauthorized use by some mail users (see [RFC4146] for details)");
        assertThat(row(p, "finger").note()).isEmpty();
    }

    @Test
    void readsSeveralBracketedReferencesByType() {
        assertThat(row(parse(CSV), "argus").xrefs())
                .filteredOn(x -> x.role() == ParsedRegistry.Role.REFERENCE)
                .containsExactly(
                        new ParsedRegistry.Xref(ParsedRegistry.Role.REFERENCE, "rfc", "rfc1234"),
                        new ParsedRegistry.Xref(ParsedRegistry.Role.REFERENCE, "draft", "draft-ietf-demo-01"),
                        new ParsedRegistry.Xref(ParsedRegistry.Role.REFERENCE, "uri", "https://example.org/argus"));
    }

    @Test
    void keepsReservedRowWithoutName() {
        ParsedRegistry.Row reserved = parse(CSV).rows().get(0);
        assertThat(reserved.name()).isEmpty();
        assertThat(reserved.number()).isEqualTo("0");
        assertThat(reserved.description()).isEqualTo("Reserved");
    }

    @Test
    void resolvesPersonIdsThroughPeopleFromElsewhere() {
        ParsedRegistry csv = parse(CSV);
        ParsedRegistry withPeople = new ParsedRegistry(
                "",
                csv.rows(),
                List.of(new ParsedRegistry.Person(
                        "Predrag_Filipovic", "Predrag Filipovic", "", "mailto:pfilipovic&digital5.com", "")),
                List.of());
        Registry r = RegistryCodec.decode(RegistryCodec.encode(withPeople, new RegistryCodec.Metadata("", "", "", "")));
        IanaRecord netplay = r.byPort(3641, Transport.UDP).get(0);
        assertThat(netplay.assignees()).extracting(Contact::name).containsExactly("Predrag Filipovic");
        assertThat(netplay.contacts()).extracting(Contact::name).containsExactly("Predrag Filipovic");
        assertThat(r.byName("argus").get(0).ports()).isNull();
    }

    @Test
    void acceptsByteOrderMarkAndCrLf() {
        ParsedRegistry p = parse("\uFEFF" + CSV.replace("\n", "\r\n"));
        assertThat(p.rows()).hasSize(8);
        assertThat(row(p, "whoispp").description()).startsWith("whois++\n");
        assertThat(row(p, "http").note()).doesNotContain("\r");
    }

    @Test
    void reportsShortRowAndSkipsIt() {
        ParsedRegistry p =
                parse(HEADER + "\nhttp,80,tcp\nssh,22,tcp,The Secure Shell (SSH) Protocol,,,,,[RFC4251],,,\n");
        assertThat(p.rows()).extracting(ParsedRegistry.Row::name).containsExactly("ssh");
        assertThat(p.problems()).singleElement().asString().contains("row 2").contains("3 columns");
    }

    @Test
    void rejectsWrongHeader() {
        assertThatThrownBy(() -> parse("Name,Port,Protocol\nhttp,80,tcp\n"))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageContaining("not IANA's registry CSV")
                .hasMessageContaining("Service Name,Port Number");
        assertThatThrownBy(() -> parse("")).isInstanceOf(RegistryFormatException.class);
    }

    @Test
    void isDetectedAsCsvByContent() {
        assertThat(RegistryUpdate.detect(CSV.getBytes(StandardCharsets.UTF_8))).isEqualTo("csv");
        assertThat(RegistryUpdate.detect(("\uFEFF" + CSV).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("csv");
    }
}
