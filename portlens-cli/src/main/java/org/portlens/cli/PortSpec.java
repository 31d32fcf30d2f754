package org.portlens.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.Registry;

/**
 * {@code PORT[/tcp|/udp|/sctp|/dccp]}, a range {@code LOW-HIGH[/proto]}, or a service name.
 *
 * @param ports     the port or range
 * @param transport the transport, or null for all
 */
record PortSpec(PortRange ports, Transport transport) {

    static final String EXPECTED =
            "expected a port 0-65535, a range such as 3000-3005, optionally /tcp or /udp," + " or a service name";

    /** Whether {@code text} starts like a port or range (a digit), so needs no registry to parse. */
    static boolean startsWithDigit(String text) {
        String t = text.strip();
        return !t.isEmpty() && Character.isDigit(t.charAt(0));
    }

    /** Parses numbers only (no registry): for flags such as {@code ls --port}. */
    static PortSpec parseNumeric(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new InputException("empty port: " + EXPECTED);
        }
        int slash = t.lastIndexOf('/');
        Transport transport = null;
        if (slash >= 0) {
            String proto = t.substring(slash + 1);
            if (proto.isEmpty()) {
                throw new InputException(
                        "missing transport after '/' in '" + text + "': expected tcp, udp, sctp or dccp");
            }
            try {
                transport = Transport.parse(proto);
            } catch (IllegalArgumentException e) {
                throw new InputException(e.getMessage() + " (in '" + text + "')");
            }
            t = t.substring(0, slash);
        }
        try {
            return new PortSpec(PortRange.parse(t), transport);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** Parses a port, range or service name; names resolve through the registry. */
    static PortSpec parse(String text, Registry registry) {
        String t = text.strip();
        String head = t.contains("/") ? t.substring(0, t.lastIndexOf('/')) : t;
        if (!head.isEmpty() && !Character.isDigit(head.charAt(0)) && head.charAt(0) != '-' && registry != null) {
            return byName(text, head, registry);
        }
        return parseNumeric(text);
    }

    private static PortSpec byName(String text, String name, Registry registry) {
        PortSpec withTransport = null;
        if (text.contains("/")) {
            withTransport = parseNumeric("0" + text.substring(text.lastIndexOf('/')));
        }
        Transport transport = withTransport == null ? null : withTransport.transport();
        TreeSet<String> ports = new TreeSet<>();
        PortRange only = null;
        List<IanaRecord> named = registry.byName(name);
        for (IanaRecord r : named) {
            if (r.ports() != null && (transport == null || r.transport() == transport)) {
                ports.add(r.ports().toString());
                only = r.ports();
            }
        }
        if (ports.isEmpty() && !named.isEmpty()) {
            throw new InputException("service '" + name + "' is registered without a port number"
                    + (transport == null ? "" : " for " + transport.label()) + " (see: portlens lookup " + name + ")");
        }
        if (ports.isEmpty()) {
            throw new InputException("not a port or service name: '" + text + "': " + EXPECTED
                    + " (try: portlens search " + name.toLowerCase(Locale.ROOT) + ")");
        }
        if (ports.size() > 1) {
            List<String> list = new ArrayList<>(ports);
            throw new InputException(
                    "service '" + name + "' has several ports (" + String.join(", ", list) + "): give one of them");
        }
        return new PortSpec(only, transport);
    }

    String label() {
        return transport == null ? ports.toString() : ports + "/" + transport.label();
    }
}
