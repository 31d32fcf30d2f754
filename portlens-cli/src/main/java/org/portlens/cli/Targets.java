package org.portlens.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** Host names and {@code HOST:PORT} targets given on the command line. */
final class Targets {

    private Targets() {}

    /** Resolves a host; {@code .invalid} names (RFC 6761) are refused without a lookup. */
    static InetAddress resolve(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty()) {
            throw new InputException("empty host: expected a name or an IP address");
        }
        if (h.toLowerCase(Locale.ROOT).endsWith(".invalid")
                || h.toLowerCase(Locale.ROOT).equals("invalid")) {
            throw new InputException("host '" + host + "' does not resolve (.invalid names never do, RFC 6761)");
        }
        try {
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            throw new InputException("host '" + host + "' does not resolve");
        }
    }

    /** {@code HOST:PORT} or {@code [IPv6]:PORT}. */
    static InetSocketAddress hostPort(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        boolean bracketed = t.startsWith("[");
        if (colon < 0 || (bracketed && t.indexOf(']') > colon) || (!bracketed && t.indexOf(':') != colon)) {
            throw new InputException(
                    "'" + text + "' has no port: expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080");
        }
        String host = t.substring(0, colon);
        String portText = t.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new InputException("not a port: '" + portText + "' in '" + text + "': expected 1-65535");
        }
        if (port < 1 || port > 65535) {
            throw new InputException("port must be 1-65535, got " + port + " in '" + text + "'");
        }
        return new InetSocketAddress(resolve(host), port);
    }
}
