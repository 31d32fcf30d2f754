package org.portlens.discovery.windows;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.command.Fields;
import org.portlens.discovery.command.SocketRow;
import org.portlens.model.Transport;

/**
 * Parses Windows' {@code netstat -ano}, in any language. Its headers and TCP state words are
 * translated ("Active Connections", "Aktive Verbindungen", "Connessioni attive"; LISTENING, ABHÖREN)
 * and written in the console's code page, so the parser reads neither: a line is a socket when its
 * first word is {@code TCP} or {@code UDP} (never translated) and its last a pid. A TCP socket listens
 * when its foreign address is the wildcard with port 0 ({@code 0.0.0.0:0}, {@code [::]:0}), which is
 * how netstat shows every listener; a connection is counted as established by its state word, in the
 * languages known here, and a word not known is named in {@link Result#unknownStates()}. A UDP line has
 * no state: {@code UDP 0.0.0.0:5353 *:* 2400}. Pure; stateless; safe from any thread.
 */
final class NetstatAno {

    /** ESTABLISHED in the languages whose netstat was seen: English (also Italian's), German. */
    private static final Set<String> ESTABLISHED = Set.of("ESTABLISHED", "HERGESTELLT");

    /**
     * What the output held. Immutable.
     *
     * @param sockets       one row per socket, with its pid
     * @param malformed     TCP or UDP lines skipped
     * @param unknownStates state words of connections that were not known, so not counted as established
     */
    record Result(List<SocketRow> sockets, int malformed, Set<String> unknownStates) {
        Result {
            sockets = List.copyOf(sockets);
            unknownStates = Set.copyOf(unknownStates);
        }
    }

    private NetstatAno() {}

    static Result parse(String output) {
        List<SocketRow> rows = new ArrayList<>();
        Set<String> unknown = new LinkedHashSet<>();
        int malformed = 0;
        for (String line : output.split("\r?\n|\r")) {
            String[] t = line.strip().split("\\s+");
            String proto = t[0].toUpperCase(Locale.ROOT);
            boolean tcp = proto.equals("TCP");
            if (!tcp && !proto.equals("UDP")) {
                continue;
            }
            if (t.length < (tcp ? 5 : 4)) {
                malformed++;
                continue;
            }
            String[] local = hostPort(t[1]);
            String[] foreign = hostPort(t[2]);
            int port = local == null ? -1 : Fields.number(local[1]);
            int pid = Fields.number(t[t.length - 1]);
            if (local == null || port < 0 || port > 65535 || pid < 0) {
                malformed++;
                continue;
            }
            boolean ipv6 = t[1].startsWith("[");
            SocketRow.State state;
            if (!tcp) {
                state = SocketRow.State.UDP_OPEN; // Windows keeps no peer for UDP endpoints
            } else if (foreign != null && foreign[1].equals("0") && wildcard(foreign[0])) {
                state = SocketRow.State.LISTEN;
            } else {
                String word = String.join(" ", java.util.Arrays.asList(t).subList(3, t.length - 1));
                if (ESTABLISHED.contains(word)) {
                    state = SocketRow.State.ESTABLISHED;
                } else {
                    state = SocketRow.State.OTHER;
                    if (!KNOWN_OTHER.contains(word)) {
                        unknown.add(word);
                    }
                }
            }
            rows.add(new SocketRow(
                    tcp ? Transport.TCP : Transport.UDP,
                    local[0],
                    port,
                    ipv6,
                    state,
                    pid,
                    -1,
                    SocketRow.DualStack.UNKNOWN));
        }
        return new Result(rows, malformed, unknown);
    }

    /** Other states whose words are known (English, German): not established, and not worth a note. */
    private static final Set<String> KNOWN_OTHER = Set.of(
            "SYN_SENT",
            "SYN_RECEIVED",
            "FIN_WAIT_1",
            "FIN_WAIT_2",
            "CLOSE_WAIT",
            "CLOSING",
            "LAST_ACK",
            "TIME_WAIT",
            "CLOSED",
            "DELETE_TCB",
            "BOUND",
            "WARTEND",
            "SCHLIESSEN_WARTEN",
            "SYN_GESENDET",
            "SYN_EMPFANGEN",
            "FIN_WARTEN_1",
            "FIN_WARTEN_2",
            "SCHLIESSEN",
            "LETZTES_ACK",
            "GESCHLOSSEN");

    /** {@code 0.0.0.0:135}, {@code [::1]:3640}, {@code [fe80::1%13]:1900}, {@code *:*} as address and port. */
    static String @Nullable [] hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, text.substring(colon + 1)};
    }

    private static boolean wildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
    }
}
