package org.portlens.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.portlens.HostScan;
import org.portlens.HostScanner;
import org.portlens.probe.Answer;
import org.portlens.probe.Wire;
import org.portlens.scan.PortState;
import org.portlens.scan.ScanReport;

/** {@code portlens scan}: the port table and the summary line. */
final class ScanText extends TextView {

    ScanText(Style style, PrintWriter out) {
        super(style, out);
    }

    void scan(HostScan result) {
        boolean identified = false;
        for (HostScan.Row r : result.rows()) {
            identified |= r.wire().isPresent();
        }
        ScanReport report = result.report();
        String proto = report.transport().label();
        out.println(s.bold(pad("PORT", 12) + pad("STATE", 15) + pad("IANA", 22) + (identified ? "WIRE" : "")));
        for (HostScan.Row r : result.rows()) {
            String wire = r.wire().map(ScanText::wireCell).orElse("");
            out.println(pad(r.port() + "/" + proto, 12)
                    + pad(r.state().label(), 15)
                    + pad(r.ianaName().isEmpty() ? "-" : safe(r.ianaName()), 22)
                    + safe(wire));
        }
        StringBuilder counts = new StringBuilder();
        for (Map.Entry<PortState, Integer> e : report.counts().entrySet()) {
            if (e.getValue() > 0) {
                counts.append(counts.length() == 0 ? "" : ", ")
                        .append(e.getValue())
                        .append(' ')
                        .append(e.getKey().label());
            }
        }
        out.println(s.dim(report.portsScanned() + " " + proto + " ports of " + report.host() + " scanned in "
                + report.elapsedMillis() + " ms"
                + (report.engine() == ScanReport.Engine.NATIVE ? " with native sockets" : "")
                + (report.engineNote().isEmpty() ? "" : " (" + report.engineNote() + ")")
                + ": " + counts
                + (report.selfConnects() > 0
                        ? "; " + report.selfConnects() + " self-connects counted as closed"
                        : "")));
        int answered = 0;
        for (HostScan.Row r : result.rows()) {
            if (r.state() == PortState.OPEN
                    && report.ports(PortState.OPEN_FILTERED).contains(r.port())) {
                answered++;
            }
        }
        if (answered > 0) {
            out.println(s.dim(answered + " open|filtered " + (answered == 1 ? "port" : "ports")
                    + " answered a probe and " + (answered == 1 ? "is" : "are") + " listed as open"));
        }
        for (PortState st : new PortState[] {PortState.FILTERED, PortState.OPEN_FILTERED}) {
            if (report.count(st) > HostScanner.LIST_LIMIT) {
                out.println(
                        s.dim(report.count(st) + " " + st.label() + " ports not listed (use --json for all counts)"));
            }
        }
    }

    private static String wireCell(Wire w) {
        if (w.outcome() == Wire.Outcome.NONE) {
            return "(" + w.error() + ")";
        }
        if (w.answer().isPresent()) {
            Answer a = w.answer().get();
            String text = a.text().length() > 40 ? a.text().substring(0, 39) + "…" : a.text();
            return "unknown (" + a.length() + " bytes, " + a.shape().label()
                    + (text.isEmpty() ? "" : ": " + text)
                    + (a.nmap().isEmpty() ? "" : "; nmap: " + a.nmap()) + ")";
        }
        return w.protocol()
                + (w.product().isEmpty() ? "" : " " + w.product() + (w.version().isEmpty() ? "" : " " + w.version()));
    }
}
