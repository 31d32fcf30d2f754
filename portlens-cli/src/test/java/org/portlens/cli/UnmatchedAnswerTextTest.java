package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.HostScan;
import org.portlens.model.Transport;
import org.portlens.probe.Answer;
import org.portlens.probe.Wire;
import org.portlens.scan.PortSet;
import org.portlens.scan.PortState;
import org.portlens.scan.ScanReport;
import org.portlens.web.json.Json;

/** The description of an answer that matched nothing, in the probe and scan text and in JSON. */
class UnmatchedAnswerTextTest {

    /** As the prober builds it, but with a control character left in where a careless caller might. */
    private static final Answer ANSWER = new Answer(
            15,
            "XYZZY ready\u001b[2J",
            "00 00 00 0b 58 59 5a 5a 59 20 72 65 61 64 79",
            Answer.Shape.LENGTH_PREFIXED,
            "4-byte big-endian length of the rest",
            "xyzzy (Xyzzy 1.0) by /usr/share/nmap/nmap-service-probes:3");

    private static Wire unknown() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("received", "15 bytes");
        d.put("probe", "banner");
        return new Wire(
                Wire.Outcome.UNKNOWN,
                "",
                "",
                "",
                d,
                null,
                false,
                15,
                "\\x00\\x00\\x00\\x0bXYZZY ready",
                List.of("banner"),
                12,
                "",
                Optional.empty(),
                Optional.of(ANSWER));
    }

    @Test
    void probeTextShowsShapeTextHexAndNmapEscaped() {
        StringWriter out = new StringWriter();
        new WireText(new Style(false), new PrintWriter(out, true)).probe("127.0.0.1:7000", Transport.TCP, unknown());

        assertThat(out.toString())
                .contains("looks     binary, 4-byte big-endian length of the rest")
                .contains("text      XYZZY ready\\x1b[2J")
                .contains("hex       00 00 00 0b 58")
                .contains("nmap      xyzzy (Xyzzy 1.0) by /usr/share/nmap/nmap-service-probes:3")
                .doesNotContain("\u001b")
                .doesNotContain("first     ");
    }

    @Test
    void scanCellSaysUnknownWithTheShapeAndText() throws Exception {
        ScanReport report = new ScanReport(
                "127.0.0.1", Transport.TCP, Map.of(PortState.OPEN, PortSet.parse("7000")), 3, 0, ScanReport.Engine.NIO);
        StringWriter out = new StringWriter();
        new ScanText(new Style(false), new PrintWriter(out, true))
                .scan(new HostScan(
                        report, List.of(new HostScan.Row(7000, PortState.OPEN, "", Optional.of(unknown())))));

        assertThat(out.toString())
                .contains("unknown (15 bytes, length-prefixed: XYZZY ready\\x1b[2J; nmap: xyzzy (Xyzzy 1.0)")
                .doesNotContain("\u001b");
    }

    @Test
    void udpScanSaysWhichOpenFilteredPortsAnsweredAProbe() throws Exception {
        ScanReport report = new ScanReport(
                "127.0.0.1",
                Transport.UDP,
                Map.of(PortState.OPEN_FILTERED, PortSet.parse("5353")),
                3,
                0,
                ScanReport.Engine.NIO);
        Wire dns = new Wire(
                Wire.Outcome.IDENTIFIED, "dns", "dnsmasq", "2.90", Map.of(), null, true, 40, "", List.of(), 5, "");
        StringWriter out = new StringWriter();
        new ScanText(new Style(false), new PrintWriter(out, true))
                .scan(new HostScan(report, List.of(new HostScan.Row(5353, PortState.OPEN, "mdns", Optional.of(dns)))));

        assertThat(out.toString())
                .contains("5353/udp    open")
                .contains("dns dnsmasq 2.90")
                .contains("1 open|filtered port answered a probe and is listed as open");
    }

    @Test
    void jsonHasTheAnswerObjectAndNullWithoutOne() throws Exception {
        JsonNode a = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Json.wire(unknown()).toString())
                .path("answer");
        assertThat(a.path("length").asInt()).isEqualTo(15);
        assertThat(a.path("shape").asText()).isEqualTo("length-prefixed");
        assertThat(a.path("framing").asText()).isEqualTo("4-byte big-endian length of the rest");
        assertThat(a.path("text").asText()).isEqualTo("XYZZY ready\u001b[2J"); // JSON escapes it as \u001b
        assertThat(a.path("hex").asText()).startsWith("00 00 00 0b");
        assertThat(a.path("nmap").asText()).startsWith("xyzzy (Xyzzy 1.0)");

        Wire none = new Wire(Wire.Outcome.NONE, "", "", "", Map.of(), null, false, 0, "", List.of(), 1, "refused");
        assertThat(Json.wire(none).get("answer").isNull()).isTrue();
    }
}
