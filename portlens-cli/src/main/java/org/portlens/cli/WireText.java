package org.portlens.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.portlens.model.Transport;
import org.portlens.probe.Answer;
import org.portlens.probe.TlsInfo;
import org.portlens.probe.Wire;

/** What a port speaks: {@code portlens probe}, and the wire lines of {@code portlens PORT}. */
final class WireText extends TextView {

    WireText(Style style, PrintWriter out) {
        super(style, out);
    }

    void probe(String target, Transport transport, Wire r) {
        out.println(s.bold(transport.label() + " " + safe(target)));
        lines("  ", r);
    }

    /** The wire's lines: {@code lead} before the first, its width of spaces before the rest. */
    void lines(String lead, Wire r) {
        String indent = " ".repeat(lead.length());
        if (r.outcome() == Wire.Outcome.NONE) {
            out.println(lead
                    + s.yellow("nothing identified: " + safe(r.error()))
                    + s.dim("  (" + r.elapsedMillis() + " ms)"));
            return;
        }
        String head = r.protocol()
                + (r.product().isEmpty()
                        ? ""
                        : "  " + r.product() + (r.version().isEmpty() ? "" : " " + r.version()));
        out.println(lead
                + s.bold(safe(head))
                + (r.confident() ? "" : s.dim(" (not a confident match)"))
                + s.dim("  (" + r.elapsedMillis() + " ms, tried " + String.join(", ", r.tried()) + ")"));
        for (Map.Entry<String, String> d : r.details().entrySet()) {
            out.println(indent + pad(safe(d.getKey()), 10) + safe(d.getValue()));
        }
        if (r.tls() != null) {
            TlsInfo t = r.tls();
            out.println(indent
                    + pad("tls", 10)
                    + safe(t.version() + ", " + t.cipher() + (t.alpn().isEmpty() ? "" : ", ALPN " + t.alpn())));
            out.println(indent + pad("subject", 10) + safe(t.subject()));
            out.println(indent
                    + pad("issuer", 10)
                    + safe(t.issuer())
                    + (t.selfSigned() ? s.yellow("  (self-signed)") : ""));
            if (!t.sans().isEmpty()) {
                out.println(indent + pad("names", 10) + safe(String.join(", ", t.sans())));
            }
            if (t.notAfter() != null) {
                out.println(indent + pad("expires", 10) + utc(t.notAfter()) + (t.expired() ? s.red("  EXPIRED") : ""));
            }
        }
        if (r.answer().isPresent()) {
            Answer a = r.answer().get();
            out.println(indent
                    + pad("looks", 10)
                    + safe(
                            a.shape() == Answer.Shape.LENGTH_PREFIXED
                                    ? "binary, " + a.framing()
                                    : a.shape().label()));
            if (!a.text().isEmpty()) {
                out.println(indent + pad("text", 10) + safe(a.text()));
            }
            out.println(indent + pad("hex", 10) + safe(a.hex()) + (a.length() > Answer.HEX_BYTES ? " …" : ""));
            if (!a.nmap().isEmpty()) {
                out.println(indent + pad("nmap", 10) + safe(a.nmap()));
            }
        } else if (r.outcome() == Wire.Outcome.UNKNOWN && !r.firstBytes().isEmpty()) {
            out.println(indent + pad("first", 10) + safe(r.firstBytes()));
        }
    }
}
