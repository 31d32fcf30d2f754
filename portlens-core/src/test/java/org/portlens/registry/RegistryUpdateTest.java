package org.portlens.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.model.Transport;

/** {@link RegistryUpdate#prepare} and the file side of {@link RegistryUpdate#fetch}; the HTTP side is in RegistryUpdateOverHttpTest. */
class RegistryUpdateTest {

    @Test
    void preparesTheRealXml() {
        RegistryUpdate.Candidate c = RegistryUpdate.prepare(
                IanaFixtures.xml(), "https://mirror.example/r.xml", List.of(), "2026-08-20T10:00:00Z");
        assertThat(c.format()).isEqualTo("xml");
        assertThat(c.problems()).isEmpty();
        assertThat(c.info().records()).isEqualTo(IanaFixtures.RECORDS);
        assertThat(c.info().people()).isEqualTo(IanaFixtures.PEOPLE);
        assertThat(c.info().updated()).isEqualTo(IanaFixtures.UPDATED);
        assertThat(c.info().source()).isEqualTo("https://mirror.example/r.xml");
        assertThat(c.info().importedAt()).isEqualTo("2026-08-20T10:00:00Z");
        assertThat(c.info().sha256())
                .isEqualTo(RegistryUpdate.sha256(IanaFixtures.xml()))
                .hasSize(64);
        assertThat(RegistryCodec.decode(c.compact()).size()).isEqualTo(IanaFixtures.RECORDS);
        assertThat(c.registry().byName("netplay-port1")).hasSize(2);
    }

    /** The bundled registry written out as IANA's CSV (which carries no people list and no date of its own). */
    private static byte[] csvExport(Registry registry) {
        StringBuilder sb = new StringBuilder(IanaCsvParserTest.HEADER).append("\r\n");
        for (IanaRecord r : registry.all()) {
            List<String> refs = r.references().stream()
                    .map(ref ->
                            "[" + (ref.type().equals("rfc") ? ref.data().toUpperCase(Locale.ROOT) : ref.data()) + "]")
                    .toList();
            String[] f = {
                r.serviceName(),
                r.ports() == null ? "" : r.ports().toString(),
                r.transport() == null ? "" : r.transport().label(),
                r.description(),
                ids(r.assignees()),
                ids(r.contacts()),
                r.registered(),
                r.modified(),
                String.join("", refs),
                r.serviceCode(),
                r.unauthorizedUse(),
                r.notes()
            };
            for (int i = 0; i < f.length; i++) {
                sb.append(i == 0 ? "" : ",")
                        .append('"')
                        .append(f[i].replace("\"", "\"\""))
                        .append('"');
            }
            sb.append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String ids(List<Contact> contacts) {
        StringBuilder sb = new StringBuilder();
        for (Contact c : contacts) {
            sb.append('[').append(c.id().isEmpty() ? c.name() : c.id()).append(']');
        }
        return sb.toString();
    }

    @Test
    void preparesCsvResolvingPeopleFromTheInstalledCopy() {
        Registry bundled = Registry.bundled();
        byte[] csv = csvExport(bundled);
        RegistryUpdate.Candidate c = RegistryUpdate.prepare(csv, "export.csv", bundled.peopleList(), "");
        assertThat(c.format()).isEqualTo("csv");
        assertThat(c.problems()).isEmpty();
        assertThat(c.info().records()).isEqualTo(IanaFixtures.RECORDS);
        assertThat(c.info().people()).isEqualTo(IanaFixtures.PEOPLE);
        String newest = bundled.all().stream()
                .flatMap(r -> Stream.of(r.registered(), r.modified()))
                .max(String::compareTo)
                .orElseThrow();
        assertThat(c.info().updated()).as("the newest date in the rows").isEqualTo(newest);
        IanaRecord netplay = c.registry().byPort(3641, Transport.TCP).get(0);
        assertThat(netplay.contacts()).extracting(Contact::name).containsExactly("Predrag Filipovic");
        IanaRecord http = c.registry().byPort(80, Transport.TCP).stream()
                .filter(r -> r.serviceName().equals("http"))
                .findFirst()
                .orElseThrow();
        assertThat(http.references()).containsExactly(new Reference("rfc", "rfc9110"));
        assertThat(http.assignees()).extracting(Contact::org).containsExactly("IESG");
        assertThat(c.registry().byName("whoispp").get(0).description()).contains("\n");
    }

    @Test
    void rejectsTruncatedXmlAsNotWellFormed() {
        byte[] cut = IanaFixtures.truncated(200 * 1024);
        assertThatThrownBy(() -> RegistryUpdate.prepare(cut, "cut.xml", List.of(), ""))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageStartingWith("not well-formed XML at line");
    }

    @Test
    void rejectsGarbageNamingWhatItStartsWith() {
        byte[] garbage = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertThatThrownBy(() -> RegistryUpdate.prepare(garbage, "logo.png", List.of(), ""))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageContaining("not IANA's registry XML or CSV")
                .hasMessageContaining("starts with '")
                .hasMessageContaining("PNG")
                .hasMessageNotContaining("\r");
        assertThatThrownBy(() ->
                        RegistryUpdate.prepare("  hello, world\n".getBytes(StandardCharsets.UTF_8), "x", List.of(), ""))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageContaining("starts with 'hello, world?'");
    }

    @Test
    void rejectsEmptyDownloadSayingItIsEmpty() {
        assertThatThrownBy(() -> RegistryUpdate.prepare(new byte[0], "empty", List.of(), ""))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageContaining("it is empty");
        assertThatThrownBy(() ->
                        RegistryUpdate.prepare(" \r\n\t".getBytes(StandardCharsets.UTF_8), "blank", List.of(), ""))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageContaining("it is empty (only white space)");
    }

    @Test
    void rejectsHtmlErrorPageNamingItsRoot() {
        byte[] page = "<?xml version=\"1.0\"?>\n<html><head><title>404</title></head><body>Not Found</body></html>\n"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RegistryUpdate.prepare(page, "x", List.of(), ""))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageContaining("root element is <html>");
    }

    @Test
    void rejectsWellFormedXmlWithTooFewRecords() {
        byte[] ten = IanaFixtures.withFirstRecords(10);
        assertThat(IanaXmlParser.parse(ten).rows())
                .as("the fixture is well-formed")
                .hasSize(10);
        assertThatThrownBy(() -> RegistryUpdate.prepare(ten, "ten.xml", List.of(), ""))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageContaining("only 10 records")
                .hasMessageContaining("at least 5000");
    }

    @Test
    void rejectsRegistryWhereHttpIsMissing() {
        String text = IanaFixtures.xmlText();
        String httpTcp = "<name>http</name>\n    <protocol>tcp</protocol>";
        assertThat(text).contains(httpTcp);
        byte[] edited = text.replace(httpTcp, "<name>hxxp</name>\n    <protocol>tcp</protocol>")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RegistryUpdate.prepare(edited, "edited.xml", List.of(), ""))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageContaining("80/tcp should be 'http'");
    }

    @Test
    void fetchesAFileByPathAndByFileUrl(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("r.xml"), new byte[] {'<', 'x', '/', '>'});
        assertThat(RegistryUpdate.fetch(f.toString(), Duration.ofSeconds(1))).containsExactly('<', 'x', '/', '>');
        assertThat(RegistryUpdate.fetch(f.toUri().toString(), Duration.ofSeconds(1)))
                .containsExactly('<', 'x', '/', '>');
    }

    @Test
    void failsToFetchMissingFileNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.xml");
        assertThatThrownBy(() -> RegistryUpdate.fetch(missing.toString(), Duration.ofSeconds(1)))
                .isInstanceOf(RegistryFetchException.class)
                .hasMessage("no such file: " + missing);
    }

    @Test
    void anUrlOfAnotherSchemeIsBadInputNamingTheScheme() {
        assertThatThrownBy(() -> RegistryUpdate.fetch("ftp://ftp.example/r.xml", Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(
                        RegistryFetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(RegistryFetchException.Reason.BAD_SOURCE))
                .hasMessage("unsupported URL scheme 'ftp' in ftp://ftp.example/r.xml: expected an http or https URL,"
                        + " a file: URL or a file name");
    }
}
