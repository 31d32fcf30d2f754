package org.portlens.discovery.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.portlens.internal.Addresses;
import org.portlens.internal.Text;
import org.portlens.model.Transport;

/**
 * Parses /proc/net/{tcp,tcp6,udp,udp6}. Works on the text alone so it can be tested on recorded
 * files. Malformed lines are skipped and counted, never fatal. Stateless; safe from any thread.
 */
final class ProcNetParser {

    private ProcNetParser() {}

    /** What a file held: the entries kept, and how many lines could not be read. */
    record Result(List<SocketEntry> entries, int established, int connectedUdp, int malformed) {}

    /**
     * What to keep while parsing: filtering here avoids building objects for tens of thousands of
     * connections.
     */
    interface Filter {
        /** Keep listening sockets on this port? */
        boolean wants(int port);
    }

    /**
     * The accept queue of the listening TCP socket {@code inode} in one /proc/net/tcp or tcp6 file:
     * for a socket in LISTEN state the kernel shows there, as {@code rx_queue}, how many completed
     * connections wait for {@code accept()}. Only the line of that inode is parsed.
     *
     * @param text  the file's content
     * @param inode the listening socket's inode
     * @return the connections waiting, or empty when the inode is not a listener in the file
     */
    static OptionalInt acceptQueue(String text, long inode) {
        String needle = " " + inode + " ";
        int at = text.indexOf(needle);
        while (at >= 0) {
            int lineStart = text.lastIndexOf('\n', at) + 1;
            int lineEnd = text.indexOf('\n', at);
            String[] f = Text.splitWhitespace(text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd));
            // sl local remote st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            if (f.length > 9 && f[9].equals(Long.toString(inode)) && f[3].equalsIgnoreCase("0A")) {
                int colon = f[4].indexOf(':');
                if (colon < 0) {
                    return OptionalInt.empty();
                }
                try {
                    return OptionalInt.of(Integer.parseUnsignedInt(f[4].substring(colon + 1), 16));
                } catch (NumberFormatException e) {
                    return OptionalInt.empty();
                }
            }
            at = text.indexOf(needle, at + 1);
        }
        return OptionalInt.empty();
    }

    /**
     * Parses one file.
     *
     * @param text      the file's content
     * @param transport tcp or udp
     * @param ipv6      whether it is the tcp6/udp6 file
     * @param filter    which listening ports to keep; established TCP and connected UDP sockets on kept
     *                  ports are counted, not kept
     */
    static Result parse(String text, Transport transport, boolean ipv6, Filter filter) {
        List<SocketEntry> out = new ArrayList<>();
        int malformed = 0;
        int established = 0;
        int connectedUdp = 0;
        int addrLen = ipv6 ? 32 : 8;
        int pos = text.indexOf('\n');
        if (pos < 0) {
            return new Result(out, 0, 0, text.isBlank() ? 0 : 1);
        }
        pos++; // header line
        int n = text.length();
        while (pos < n) {
            int end = text.indexOf('\n', pos);
            if (end < 0) {
                end = n;
            }
            int lineStart = pos;
            pos = end + 1;
            if (isBlank(text, lineStart, end)) {
                continue;
            }
            try {
                // "  sl: local rem st tx:rx tr:when retr uid timeout inode ..."
                int c = skipSpaces(text, lineStart, end);
                c = skipToken(text, c, end); // sl:
                c = skipSpaces(text, c, end);
                int localStart = c;
                int colon = localStart + addrLen;
                if (colon >= end || text.charAt(colon) != ':') {
                    throw new IllegalArgumentException("local address");
                }
                int localPort = hex(text, colon + 1, colon + 5);
                c = skipSpaces(text, colon + 5, end);
                int remStart = c;
                int remColon = remStart + addrLen;
                if (remColon >= end || text.charAt(remColon) != ':') {
                    throw new IllegalArgumentException("remote address");
                }
                int remotePort = hex(text, remColon + 1, remColon + 5);
                c = skipSpaces(text, remColon + 5, end);
                int state = hex(text, c, c + 2);
                boolean keep = filter.wants(localPort);
                boolean listening = transport == Transport.TCP
                        ? state == SocketEntry.LISTEN
                        : state == SocketEntry.CLOSE && remotePort == 0;
                if (!keep) {
                    continue;
                }
                if (!listening) {
                    if (transport == Transport.TCP && state == SocketEntry.ESTABLISHED) {
                        established++;
                    } else if (transport == Transport.UDP && state == SocketEntry.ESTABLISHED) {
                        connectedUdp++;
                    }
                    continue;
                }
                c = skipToken(text, c, end); // st
                c = skipToken(text, skipSpaces(text, c, end), end); // tx:rx
                c = skipToken(text, skipSpaces(text, c, end), end); // tr:when
                c = skipToken(text, skipSpaces(text, c, end), end); // retrnsmt
                c = skipSpaces(text, c, end);
                int uidEnd = skipToken(text, c, end);
                int uid = Integer.parseInt(text, c, uidEnd, 10);
                c = skipToken(text, skipSpaces(text, uidEnd, end), end); // timeout
                c = skipSpaces(text, c, end);
                int inodeEnd = skipToken(text, c, end);
                long inode = Long.parseLong(text, c, inodeEnd, 10);
                out.add(new SocketEntry(
                        transport,
                        ipv6,
                        Addresses.decodeProcHex(text, localStart, localStart + addrLen),
                        localPort,
                        Addresses.decodeProcHex(text, remStart, remStart + addrLen),
                        remotePort,
                        state,
                        uid,
                        inode));
            } catch (RuntimeException e) {
                malformed++;
            }
        }
        return new Result(out, established, connectedUdp, malformed);
    }

    private static boolean isBlank(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpaces(String s, int i, int end) {
        while (i < end && s.charAt(i) == ' ') {
            i++;
        }
        if (i >= end) {
            throw new IllegalArgumentException("line ends early");
        }
        return i;
    }

    private static int skipToken(String s, int i, int end) {
        while (i < end && s.charAt(i) != ' ') {
            i++;
        }
        return i;
    }

    private static int hex(String s, int from, int to) {
        if (to > s.length()) {
            throw new IllegalArgumentException("line ends early");
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            v = (v << 4) | Addresses.hexDigit(s.charAt(i));
        }
        return v;
    }
}
