package org.portlens.probe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * @param connectFailure why no connection could be made at all (refused, unreachable, timed out), for
 *                   outcome {@link Outcome#NONE}; empty when the endpoint accepted (it may still have said
 *                   nothing) or the probe did not get as far as connecting
 * @param answer     for outcome {@link Outcome#UNKNOWN}: what the answer that matched nothing looks like
 *                   (text, hex, shape, what nmap's lines make of it); empty for the other outcomes
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
        String error,
        Optional<ConnectFailure> connectFailure,
        Optional<Answer> answer) {

    /**
     * Why an endpoint could not be reached at all: the answer is "something is wrong", not "it says
     * nothing". Immutable; safe from any thread.
     */
    public enum ConnectFailure {
        /** The host refused: TCP reset to the connect, or an ICMP port unreachable to a UDP datagram. */
        REFUSED,
        /** No route to the host or network. */
        UNREACHABLE,
        /** The TCP connect did not complete within the connect timeout. */
        TIMED_OUT,
        /** Any other error of the connect itself ("permission denied" from a local firewall rule, say). */
        FAILED;

        /**
         * {@code refused}, {@code unreachable}, {@code timed-out} or {@code failed}.
         *
         * @return the name in lower case with dashes
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What one identification came to. Immutable; safe from any thread. */
    public enum Outcome {
        /** A signature (or a TLS handshake) named the protocol. */
        IDENTIFIED,
        /** The server answered, but with nothing portlens knows; {@link #answer()} describes it. */
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
     * @param connectFailure why no connection could be made at all; empty when one was, or for other outcomes
     * @param answer        what the unmatched answer looks like, for outcome {@link Outcome#UNKNOWN}; else empty
     * @throws IllegalArgumentException when the outcome is identified and the protocol empty, a connect
     *                                  failure is given for an outcome other than {@link Outcome#NONE}, or an
     *                                  answer for an outcome other than {@link Outcome#UNKNOWN}
     */
    public Wire {
        if (outcome != Outcome.IDENTIFIED) {
            protocol = outcome.label();
        } else if (protocol.isEmpty()) {
            throw new IllegalArgumentException("an identified wire needs a protocol");
        }
        if (connectFailure.isPresent() && outcome != Outcome.NONE) {
            throw new IllegalArgumentException("a connect failure ("
                    + connectFailure.get().label() + ") needs outcome none, got " + outcome.label());
        }
        if (answer.isPresent() && outcome != Outcome.UNKNOWN) {
            throw new IllegalArgumentException("an answer description needs outcome unknown, got " + outcome.label());
        }
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        tried = List.copyOf(tried);
    }

    /**
     * A wire without an answer description: every outcome but {@link Outcome#UNKNOWN}, or an unknown one
     * that was not described.
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
     * @param connectFailure why no connection could be made at all; empty when one was, or for other outcomes
     * @throws IllegalArgumentException when the outcome is identified and the protocol empty, or a connect
     *                                  failure is given for an outcome other than {@link Outcome#NONE}
     */
    public Wire(
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
            String error,
            Optional<ConnectFailure> connectFailure) {
        this(
                outcome,
                protocol,
                product,
                version,
                details,
                tls,
                confident,
                bytesReceived,
                firstBytes,
                tried,
                elapsedMillis,
                error,
                connectFailure,
                Optional.empty());
    }

    /**
     * A wire without a connect failure: what every probe that reached the endpoint gives.
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
    public Wire(
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
        this(
                outcome,
                protocol,
                product,
                version,
                details,
                tls,
                confident,
                bytesReceived,
                firstBytes,
                tried,
                elapsedMillis,
                error,
                Optional.empty());
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
