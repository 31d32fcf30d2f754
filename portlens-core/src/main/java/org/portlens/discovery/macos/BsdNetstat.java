package org.portlens.discovery.macos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.command.Fields;
import org.portlens.discovery.command.SocketRow;
import org.portlens.model.Transport;

/**
 * Parses macOS's {@code netstat -anl} (or {@code -an}): the Internet sockets of every user, without owners. A line is
 * {@code Proto Recv-Q Send-Q Local Foreign (state)}, an address ends in a dot and its port ({@code
 * 127.0.0.1.3640}, {@code *.3640}, {@code ::1.3640}, {@code fe80::1%lo0.5353}), and the protocol
 * says the family: {@code tcp4}, {@code tcp6}, {@code tcp46} (an IPv6 socket that takes IPv4 too),
 * and the same for udp. Lines of other sections (UNIX domain sockets) and headers are passed over;
 * a tcp or udp line that does not parse is counted. Pure; stateless; safe from any thread.
 */
final class BsdNetstat {

    /**
     * What the output held. Immutable.
     *
     * @param sockets   one row per socket, pid -1
     * @param malformed tcp or udp lines skipped
     */
    record Result(List<SocketRow> sockets, int malformed) {
        Result {
            sockets = List.copyOf(sockets);
        }
    }

    private BsdNetstat() {}

    static Result parse(String output) {
        List<SocketRow> rows = new ArrayList<>();
        int malformed = 0;
        for (String line : output.split("\r?\n")) {
            String[] t = line.strip().split("\\s+");
            String proto = t[0].toLowerCase(Locale.ROOT);
            Transport transport =
                    proto.startsWith("tcp") ? Transport.TCP : proto.startsWith("udp") ? Transport.UDP : null;
            if (transport == null) {
                continue;
            }
            String family = proto.substring(3);
            if (!(family.equals("4") || family.equals("6") || family.equals("46")) || t.length < 5) {
                malformed++;
                continue;
            }
            boolean ipv6 = !family.equals("4");
            String[] local = hostPort(t[3], ipv6);
            int port = local == null ? -1 : Fields.number(local[1]);
            if (local == null || port < 0 || port > 65535) {
                if (!t[3].equals("*.*")) { // an unbound socket has no port
                    malformed++;
                }
                continue;
            }
            SocketRow.State state;
            if (transport == Transport.UDP) {
                state = t[4].equals("*.*") ? SocketRow.State.UDP_OPEN : SocketRow.State.UDP_CONNECTED;
            } else {
                String st = t.length > 5 ? t[5] : "";
                state = st.equals("LISTEN")
                        ? SocketRow.State.LISTEN
                        : st.equals("ESTABLISHED") ? SocketRow.State.ESTABLISHED : SocketRow.State.OTHER;
            }
            SocketRow.DualStack dual = !ipv6
                    ? SocketRow.DualStack.UNKNOWN
                    : family.equals("46") ? SocketRow.DualStack.YES : SocketRow.DualStack.NO;
            rows.add(new SocketRow(transport, local[0], port, ipv6, state, -1, -1, dual));
        }
        return new Result(rows, malformed);
    }

    /** {@code 127.0.0.1.3640} as address and port (the part after the last dot); {@code *} is the wildcard. */
    static String @Nullable [] hostPort(String text, boolean ipv6) {
        int dot = text.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        String host = text.substring(0, dot);
        if (host.equals("*")) {
            host = ipv6 ? "::" : "0.0.0.0";
        }
        return new String[] {host, text.substring(dot + 1)};
    }
}
