package org.portlens.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * One probe as data: what to send, where it is plausible, and how to read the answer. Loaded from
 * {@code probes.txt} files by {@link SignatureFile}; see {@code docs/probes.md} for the format.
 *
 * <p>Immutable (the payload is copied in and out); safe from any thread.
 *
 * @param name      the probe's name, unique within a file ("http-get", "banner", "redis")
 * @param transport {@link Transport#TCP} or {@link Transport#UDP}
 * @param payload   the bytes to send; empty for a passive probe that only waits for the server to
 *                  speak first (the "banner"); a copy is returned
 * @param ports     ports where this probe is plausible, tried early there
 * @param hints     process and IANA service names that make this probe plausible ("nginx",
 *                  "redis*", "http"); a trailing {@code *} matches any rest
 * @param handler   code that runs the exchange instead of a plain send-and-read ({@link Handler#TLS}), or
 *                  {@link Handler#NONE}
 * @param inside    for the {@link Handler#TLS} handler: names of probes whose payload and matchers are used inside
 *                  the TLS session, in order
 * @param matchers  how answers are recognised, first match wins
 * @param origin    where it was defined ("probes.txt:12")
 */
public record Signature(
        String name,
        Transport transport,
        byte[] payload,
        List<PortRange> ports,
        List<String> hints,
        Handler handler,
        List<String> inside,
        List<ResponseMatcher> matchers,
        String origin) {

    /** How a probe's exchange runs: plain send-and-match, or code written for it. Immutable; safe from any thread. */
    public enum Handler {
        /** Plain send-and-match; without a payload, the wait for a server that speaks first. */
        NONE(""),
        /** A TLS handshake, then the {@code inside} probes in the session. */
        TLS("tls");

        private final String label;

        Handler(String label) {
            this.label = label;
        }

        /**
         * The word in a probes file's {@code handler} line ("tls"); empty for {@link #NONE}.
         *
         * @return {@code tls}, or empty
         */
        public String label() {
            return label;
        }

        /** The handlers a probes file may name (all but {@link #NONE}), by their labels. */
        static List<String> labels() {
            List<String> out = new ArrayList<>();
            for (Handler h : values()) {
                if (h != NONE) {
                    out.add(h.label);
                }
            }
            return out;
        }

        /** The handler a probes file names with {@code label}, if there is one. */
        static Optional<Handler> byLabel(String label) {
            for (Handler h : values()) {
                if (h != NONE && h.label.equals(label)) {
                    return Optional.of(h);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Checks and copies the components.
     *
     * @param name      the probe's name
     * @param transport {@link Transport#TCP} or {@link Transport#UDP}
     * @param payload   the bytes to send; copied
     * @param ports     ports where this probe is plausible; copied
     * @param hints     process and IANA service names that make this probe plausible; copied in lower case
     * @param handler   code that runs the exchange, or {@link Handler#NONE}; required
     * @param inside    for the {@link Handler#TLS} handler: names of probes to run in the session; copied
     * @param matchers  how answers are recognised; copied
     * @param origin    where it was defined
     * @throws IllegalArgumentException for a transport other than tcp or udp
     * @throws NullPointerException     when {@code handler} is null
     */
    public Signature {
        if (transport != Transport.TCP && transport != Transport.UDP) {
            throw new IllegalArgumentException("signature transport must be tcp or udp, got " + transport);
        }
        Objects.requireNonNull(handler, "handler");
        payload = payload.clone();
        ports = List.copyOf(ports);
        hints = hints.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        inside = List.copyOf(inside);
        matchers = List.copyOf(matchers);
    }

    /**
     * The bytes to send.
     *
     * @return a copy of the payload; empty for a passive probe
     */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** True for a probe that sends nothing and waits for the server to speak first. */
    boolean passive() {
        return payload.length == 0 && handler == Handler.NONE;
    }

    /** True when {@code port} is one of this probe's plausible ports. */
    boolean plausibleOn(int port) {
        for (PortRange r : ports) {
            if (r.contains(port)) {
                return true;
            }
        }
        return false;
    }

    /** True when one of the hint patterns matches {@code name} (a process or IANA service name), ignoring case. */
    boolean hintedBy(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String h : hints) {
            if (h.endsWith("*") ? n.startsWith(h.substring(0, h.length() - 1)) : n.equals(h)) {
                return true;
            }
        }
        return false;
    }

    /** True when some matcher of this probe names {@code protocol}. */
    boolean canIdentify(String protocol) {
        for (ResponseMatcher m : matchers) {
            if (m.protocol().equals(protocol)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signature s
                && name.equals(s.name)
                && transport == s.transport
                && Arrays.equals(payload, s.payload)
                && ports.equals(s.ports)
                && hints.equals(s.hints)
                && handler == s.handler
                && inside.equals(s.inside)
                && matchers.equals(s.matchers)
                && origin.equals(s.origin);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + transport.hashCode()) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Signature[" + name + " " + transport.label() + " " + payload.length + " bytes, " + matchers.size()
                + " matchers, " + origin + "]";
    }
}
