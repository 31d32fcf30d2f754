package org.portlens.discovery.macos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.command.Fields;
import org.portlens.discovery.command.SocketRow;
import org.portlens.model.Transport;

/**
 * Parses lsof's field output, {@code lsof -nP -iTCP -iUDP -F pcuLfnPtT0}: each field is a letter,
 * its value and a NUL; each set ends with a newline. A process set ({@code p} pid, {@code c} command,
 * {@code u} uid, {@code L} login) is followed by the sets of its files ({@code f} descriptor, {@code
 * t} IPv4/IPv6, {@code P} TCP/UDP, {@code n} name, {@code T} TCP/TPI facts such as {@code ST=LISTEN}).
 * Lenient: a set that makes no sense is counted in {@link Result#malformed()} and skipped. Pure;
 * stateless; safe from any thread.
 */
final class LsofFields {

    /**
     * A process as lsof names it. Immutable.
     *
     * @param pid     its id
     * @param command its command name, as lsof shortens it
     * @param uid     its user id, or -1 when not given
     * @param login   its user's login name, or empty
     */
    record LsofProcess(int pid, String command, int uid, String login) {}

    /**
     * What the output held. Immutable.
     *
     * @param sockets   one row per process and socket, with the pid and descriptor
     * @param processes the processes, by pid
     * @param malformed sets skipped
     */
    record Result(List<SocketRow> sockets, Map<Integer, LsofProcess> processes, int malformed) {
        Result {
            sockets = List.copyOf(sockets);
            processes = Map.copyOf(processes);
        }
    }

    private LsofFields() {}

    static Result parse(String output) {
        List<SocketRow> sockets = new ArrayList<>();
        Map<Integer, LsofProcess> processes = new LinkedHashMap<>();
        int malformed = 0;
        int pid = -1;
        for (String set : output.split("\n", -1)) {
            if (set.isEmpty()) {
                continue;
            }
            if (!set.endsWith("\0")) {
                malformed++; // cut short: lsof was stopped, or the output truncated
                continue;
            }
            Map<Character, String> f = fields(set);
            if (f == null) {
                malformed++;
                continue;
            }
            if (f.containsKey('p')) {
                pid = Fields.number(f.getOrDefault('p', ""));
                if (pid < 0) {
                    malformed++; // and its files with it: they belong to no process known
                    continue;
                }
                String uid = f.get('u');
                processes.put(
                        pid,
                        new LsofProcess(
                                pid,
                                unescape(f.getOrDefault('c', "")),
                                uid == null ? -1 : Fields.number(uid),
                                unescape(f.getOrDefault('L', ""))));
                continue;
            }
            if (pid < 0) {
                malformed++; // a file before any process
                continue;
            }
            SocketRow row = socket(f, pid);
            if (row == null) {
                if (!"*:*".equals(f.get('n'))) { // an unbound socket has no port to list
                    malformed++;
                }
                continue;
            }
            sockets.add(row);
        }
        return new Result(sockets, processes, malformed);
    }

    /** The fields of one set, or null when a field has no letter. */
    private static @Nullable Map<Character, String> fields(String set) {
        Map<Character, String> out = new LinkedHashMap<>();
        for (String field : set.substring(0, set.length() - 1).split("\0", -1)) {
            if (field.isEmpty()) {
                return null;
            }
            char letter = field.charAt(0);
            String value = field.substring(1);
            if (letter == 'T') {
                int eq = value.indexOf('=');
                if (eq > 0 && value.substring(0, eq).equals("ST")) {
                    out.put('S', value.substring(eq + 1)); // the TCP state; the queue sizes are not used
                }
                continue;
            }
            out.putIfAbsent(letter, value); // unknown letters are kept and ignored
        }
        return out;
    }

    private static @Nullable SocketRow socket(Map<Character, String> f, int pid) {
        String protocol = f.getOrDefault('P', "");
        Transport transport = protocol.equalsIgnoreCase("TCP")
                ? Transport.TCP
                : protocol.equalsIgnoreCase("UDP") ? Transport.UDP : null;
        String type = f.getOrDefault('t', "");
        String name = f.get('n');
        if (transport == null || name == null || !(type.equals("IPv4") || type.equals("IPv6"))) {
            return null;
        }
        boolean ipv6 = type.equals("IPv6");
        int arrow = name.indexOf("->");
        String local = arrow < 0 ? name : name.substring(0, arrow);
        String[] hostPort = hostPort(local, ipv6);
        if (hostPort == null) {
            return null;
        }
        int port = Fields.number(hostPort[1]);
        if (port < 0 || port > 65535) {
            return null;
        }
        SocketRow.State state;
        if (transport == Transport.UDP) {
            state = arrow < 0 ? SocketRow.State.UDP_OPEN : SocketRow.State.UDP_CONNECTED;
        } else {
            String st = f.getOrDefault('S', "");
            state = st.equals("LISTEN")
                    ? SocketRow.State.LISTEN
                    : st.equals("ESTABLISHED") ? SocketRow.State.ESTABLISHED : SocketRow.State.OTHER;
        }
        return new SocketRow(
                transport, hostPort[0], port, ipv6, state, pid, fd(f.get('f')), SocketRow.DualStack.UNKNOWN);
    }

    /**
     * {@code 127.0.0.1:3640}, {@code [::1]:3640}, {@code *:3640} as address and port; the wildcard is
     * {@code 0.0.0.0} or {@code ::}. Null when there is no port.
     */
    static String @Nullable [] hostPort(String text, boolean ipv6) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return null;
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.equals("*")) {
            host = ipv6 ? "::" : "0.0.0.0";
        }
        return new String[] {host, port};
    }

    /**
     * A name as lsof prints it in a locale without UTF-8 (the C locale: {@code Z\xc3\xbcrich}), with its
     * escaped bytes put back and read as UTF-8; a name without escapes is returned as it is.
     */
    static String unescape(String name) {
        if (name.indexOf("\\x") < 0) {
            return name;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\'
                    && i + 3 < name.length()
                    && name.charAt(i + 1) == 'x'
                    && hex(name.charAt(i + 2)) >= 0
                    && hex(name.charAt(i + 3)) >= 0) {
                bytes.write(hex(name.charAt(i + 2)) * 16 + hex(name.charAt(i + 3)));
                i += 3;
            } else {
                byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static int fd(@Nullable String value) {
        return value == null ? -1 : Fields.number(value);
    }
}
