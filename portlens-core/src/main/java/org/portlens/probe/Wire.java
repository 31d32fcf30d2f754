package org.portlens.probe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an endpoint was seen to speak. Immutable; safe from any thread.
 *
 * @param outcome    whether a protocol was identified, bytes came back that match nothing known,
 *                   or nothing could be exchanged
 * @param protocol   the protocol identified ("http", "tls", "ssh", "redis", …); for the other
 *                   outcomes their label ("unknown", "none"), so that it can always be shown
 * @param product    the product named by the server ("nginx", "OpenSSH", "Redis"), or empty
 * @param version    the product's version as the server states it, or empty
 * @param details    further facts, in a stable order ("status" → "200 OK", "server" → "nginx/1.22.1",
 *                   "title" → "Welcome", "alpn" → "h2", …); keys are lower-case words
 * @param tls        TLS facts when the port spoke TLS, else null
 * @param confident  true when a signature matched; false for a guess or "unknown"
 * @param bytesReceived how many bytes the server sent in the exchange that decided the result
 * @param firstBytes the first bytes the server sent, escaped for display (control characters as
 *                   backslash escapes), at most 64 bytes; empty when it sent nothing
 * @param tried      the probes tried, in order ("banner", "http-get", "tls", …)
 * @param elapsedMillis wall time of the whole identification
 * @param error      why nothing could be identified ("connection refused", "timed out after 500 ms"), or empty
 */
public record Wire(
        Outcome outcome,
        String protocol,
        String product,
        String version,
        Map<String, String> details,
        @Nullable TlsInfo tls,
        boolean confident,
        int bytesReceived,
        String firstBytes,
        List<String> tried,
        long elapsedMillis,
        String error) {

    /** What one identification came to. Immutable; safe from any thread. */
    public enum Outcome {
        /** A signature (or a TLS handshake) named the protocol. */
        IDENTIFIED,
        /** The server answered, but with nothing portlens knows; {@link #firstBytes()} shows it. */
        UNKNOWN,
        /** Nothing could be exchanged: refused, silent, closed; {@link #error()} says which. */
        NONE;

        /**
         * {@code identified}, {@code unknown} or {@code none}.
         *
         * @return the name in lower case
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Checks and copies the components; for an outcome other than {@link Outcome#IDENTIFIED} the protocol
     * given is replaced by the outcome's label.
     *
     * @param outcome       whether a protocol was identified
     * @param protocol      the protocol identified; required when identified, ignored otherwise
     * @param product       the product named by the server, or empty
     * @param version       the product's version, or empty
     * @param details       further facts; copied in order
     * @param tls           TLS facts when the port spoke TLS, else null
     * @param confident     true when a signature matched
     * @param bytesReceived how many bytes the server sent in the exchange that decided the result
     * @param firstBytes    the first bytes the server sent, escaped for display, or empty
     * @param tried         the probes tried, in order; copied
     * @param elapsedMillis wall time of the whole identification, in milliseconds
     * @param error         why nothing could be identified, or empty
     * @throws IllegalArgumentException when the outcome is identified and the protocol empty
     */
    public Wire {
        if (outcome != Outcome.IDENTIFIED) {
            protocol = outcome.label();
        } else if (protocol.isEmpty()) {
            throw new IllegalArgumentException("an identified wire needs a protocol");
        }
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        tried = List.copyOf(tried);
    }

    /**
     * Whether a protocol was identified.
     *
     * @return true for {@link Outcome#IDENTIFIED}
     */
    public boolean identified() {
        return outcome == Outcome.IDENTIFIED;
    }

    /**
     * "http (SimpleHTTP 0.6), status: 200 OK, server: SimpleHTTP/0.6 Python/3.11.7" for people.
     *
     * @return the protocol, the product and version in brackets when known, then every detail
     */
    public String summary() {
        StringBuilder sb = new StringBuilder(protocol);
        if (!product.isEmpty()) {
            sb.append(" (")
                    .append(product)
                    .append(version.isEmpty() ? "" : " " + version)
                    .append(')');
        }
        for (Map.Entry<String, String> e : details.entrySet()) {
            sb.append(", ").append(e.getKey()).append(": ").append(e.getValue());
        }
        return sb.toString();
    }
}
