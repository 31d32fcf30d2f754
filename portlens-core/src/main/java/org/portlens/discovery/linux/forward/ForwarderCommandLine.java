package org.portlens.discovery.linux.forward;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.portlens.internal.Text;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * Recognises a forwarding process from its command line (the argv of {@code /proc/PID/cmdline},
 * split on NUL) and reads its forwards. A pure function of the argv; stateless, safe from any
 * thread.
 *
 * <ul>
 *   <li>docker-proxy: {@code -proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip 172.17.0.2
 *       -container-port 80}, flags with one dash or two, values after a space or {@code =}.
 *   <li>pasta and passt: {@code -t}/{@code --tcp-ports} and {@code -u}/{@code --udp-ports}, each
 *       {@code none}, {@code auto}, {@code all}, or a comma-separated list of {@code
 *       [ADDRESS[%IFACE]/]PORT[-PORT][:TARGET[-TARGET]]} and {@code ~PORT[-PORT]} exclusions.
 *   <li>rootlessport and slirp4netns: recognised; their forwards are not on the command line, and
 *       a note says where they are.
 * </ul>
 *
 * Unknown arguments are ignored; a forward that does not make sense is left out with a note.
 */
public final class ForwarderCommandLine {

    private static final Set<String> DOCKER_PROXY_VALUES =
            Set.of("proto", "host-ip", "host-port", "container-ip", "container-port");

    private ForwarderCommandLine() {}

    /**
     * The forwarder this command line runs, or empty when it is not one.
     *
     * @param argv the program (as started: a path or a name) and its arguments
     */
    public static Optional<Forwarder> parse(List<String> argv) {
        if (argv.isEmpty()) {
            return Optional.empty();
        }
        String program = argv.get(0);
        program = program.substring(program.lastIndexOf('/') + 1);
        if (program.endsWith(".avx2")) { // pasta.avx2, passt.avx2: the same programs, built for AVX2
            program = program.substring(0, program.length() - 5);
        }
        List<String> args = argv.subList(1, argv.size());
        return switch (program) {
            case "docker-proxy" -> Optional.of(dockerProxy(args));
            case "pasta" -> Optional.of(pasta(Forwarder.Program.PASTA, args));
            case "passt" -> Optional.of(pasta(Forwarder.Program.PASST, args));
            case "rootlessport" ->
                Optional.of(new Forwarder(
                        Forwarder.Program.ROOTLESSPORT,
                        List.of(),
                        List.of(),
                        "",
                        List.of(
                                "rootlessport is handed its port mappings by Podman on a pipe when it starts, not on its"
                                        + " command line; the container's published ports say them")));
            case "slirp4netns" -> Optional.of(slirp4netns(args));
            default -> Optional.empty();
        };
    }

    // docker-proxy (Go's flag package: -flag value, --flag value, -flag=value, --flag=value)

    private static Forwarder dockerProxy(List<String> args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("-") || a.equals("-") || a.equals("--")) {
                continue;
            }
            String name = a.startsWith("--") ? a.substring(2) : a.substring(1);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                flags.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (DOCKER_PROXY_VALUES.contains(name) && i + 1 < args.size()) {
                flags.put(name, args.get(++i));
            }
        }
        List<String> notes = new ArrayList<>();
        String proto = flags.getOrDefault("proto", "tcp");
        Transport transport = switch (proto.toLowerCase(Locale.ROOT)) {
            case "tcp" -> Transport.TCP;
            case "udp" -> Transport.UDP;
            case "sctp" -> Transport.SCTP;
            default -> null;
        };
        int hostPort = port(flags.getOrDefault("host-port", ""));
        int containerPort = port(flags.getOrDefault("container-port", ""));
        String containerIp = flags.getOrDefault("container-ip", "");
        if (transport == null) {
            notes.add("docker-proxy -proto '" + shown(proto) + "' is not tcp, udp or sctp");
        }
        if (hostPort < 0) {
            notes.add("docker-proxy -host-port " + given(flags, "host-port") + " is not a port");
        }
        if (containerPort < 0) {
            notes.add("docker-proxy -container-port " + given(flags, "container-port") + " is not a port");
        }
        if (containerIp.isEmpty()) {
            notes.add("docker-proxy has no -container-ip");
        }
        if (!notes.isEmpty() || transport == null) {
            return new Forwarder(Forwarder.Program.DOCKER_PROXY, List.of(), List.of(), "", notes);
        }
        String hostIp = flags.getOrDefault("host-ip", "");
        Forwarder.PortForward f = new Forwarder.PortForward(
                transport,
                hostIp.equals("0.0.0.0") || hostIp.equals("::") ? "" : hostIp,
                PortRange.of(hostPort),
                containerIp,
                PortRange.of(containerPort));
        return new Forwarder(Forwarder.Program.DOCKER_PROXY, List.of(f), List.of(), "", List.of());
    }

    private static String given(Map<String, String> flags, String name) {
        String v = flags.get(name);
        return v == null ? "missing" : "'" + shown(v) + "'";
    }

    // slirp4netns

    private static Forwarder slirp4netns(List<String> args) {
        String socket = "";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--api-socket") || a.equals("-a")) && i + 1 < args.size()) {
                socket = args.get(++i);
            } else if (a.startsWith("--api-socket=")) {
                socket = a.substring("--api-socket=".length());
            }
        }
        String note = socket.isEmpty()
                ? "slirp4netns runs without --api-socket: nothing can add port forwards to it"
                : "slirp4netns is given its port forwards over its API socket " + shown(socket)
                        + " (add_hostfwd) after it starts, not on its command line";
        return new Forwarder(Forwarder.Program.SLIRP4NETNS, List.of(), List.of(), socket, List.of(note));
    }

    // pasta and passt

    private static Forwarder pasta(Forwarder.Program program, List<String> args) {
        String name = program == Forwarder.Program.PASTA ? "pasta" : "passt";
        List<Forwarder.PortForward> forwards = new ArrayList<>();
        List<Transport> automatic = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            Transport t = null;
            String spec = null;
            if (a.equals("-t") || a.equals("--tcp-ports") || a.equals("-u") || a.equals("--udp-ports")) {
                t = a.equals("-t") || a.equals("--tcp-ports") ? Transport.TCP : Transport.UDP;
                spec = i + 1 < args.size() ? args.get(++i) : "";
            } else if (a.startsWith("--tcp-ports=") || a.startsWith("--udp-ports=")) {
                t = a.startsWith("--tcp") ? Transport.TCP : Transport.UDP;
                spec = a.substring(a.indexOf('=') + 1);
            } else if ((a.startsWith("-t") || a.startsWith("-u")) && a.length() > 2 && !a.startsWith("--")) {
                t = a.charAt(1) == 't' ? Transport.TCP : Transport.UDP; // getopt: -t8080
                spec = a.substring(2);
            }
            if (t == null || spec == null) {
                continue;
            }
            String option = (t == Transport.TCP ? "-t " : "-u ") + shown(spec);
            switch (spec) {
                case "none" -> {}
                case "auto" -> {
                    if (!automatic.contains(t)) {
                        automatic.add(t);
                    }
                }
                default -> {
                    List<Forwarder.PortForward> parsed = spec.equals("all") ? all(t) : spec(t, spec);
                    if (parsed == null) {
                        notes.add(name + " " + option + " not understood");
                    } else {
                        forwards.addAll(parsed);
                    }
                }
            }
        }
        return new Forwarder(program, forwards, automatic, "", notes);
    }

    private static List<Forwarder.PortForward> all(Transport t) {
        PortRange every = new PortRange(1, PortRange.MAX_PORT);
        return List.of(new Forwarder.PortForward(t, "", every, "", every));
    }

    /** {@code [ADDRESS[%IFACE]/]PORT[-PORT][:TARGET[-TARGET]],…,~PORT[-PORT]}; null when malformed. */
    static @Nullable List<Forwarder.PortForward> spec(Transport t, String spec) {
        String address = "";
        String list = spec;
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            address = spec.substring(0, slash);
            list = spec.substring(slash + 1);
            if (address.startsWith("[") && address.contains("]")) {
                address = address.substring(1, address.indexOf(']')) + address.substring(address.indexOf(']') + 1);
            }
        }
        List<int[]> include = new ArrayList<>(); // {lo, hi, targetLo}
        List<PortRange> exclude = new ArrayList<>();
        for (String item : list.split(",", -1)) {
            if (item.startsWith("~")) {
                PortRange ex = IptablesSave.range(item.substring(1), '-');
                if (ex == null) {
                    return null;
                }
                exclude.add(ex);
                continue;
            }
            int colon = item.indexOf(':');
            PortRange from = IptablesSave.range(colon < 0 ? item : item.substring(0, colon), '-');
            PortRange to = colon < 0 ? from : IptablesSave.range(item.substring(colon + 1), '-');
            if (from == null || to == null || from.low() == 0) {
                return null;
            }
            if (to.high() - to.low() != from.high() - from.low()) {
                return null; // a target range of another length
            }
            if (to.low() + (from.high() - from.low()) > PortRange.MAX_PORT) {
                return null;
            }
            include.add(new int[] {from.low(), from.high(), to.low()});
        }
        if (include.isEmpty()) {
            if (exclude.isEmpty()) {
                return null;
            }
            include.add(new int[] {1, PortRange.MAX_PORT, 1}); // only exclusions: every other port
        }
        List<Forwarder.PortForward> out = new ArrayList<>();
        for (int[] in : include) {
            for (int[] seg : subtract(in[0], in[1], exclude)) {
                int offset = in[2] - in[0];
                out.add(new Forwarder.PortForward(
                        t,
                        address,
                        new PortRange(seg[0], seg[1]),
                        "",
                        new PortRange(seg[0] + offset, seg[1] + offset)));
            }
        }
        return out;
    }

    /** {@code lo..hi} without the excluded ranges, as {lo, hi} pieces in order. */
    private static List<int[]> subtract(int lo, int hi, List<PortRange> exclude) {
        List<int[]> pieces = new ArrayList<>(List.of(new int[] {lo, hi}));
        for (PortRange ex : exclude) {
            List<int[]> next = new ArrayList<>();
            for (int[] p : pieces) {
                if (ex.high() < p[0] || ex.low() > p[1]) {
                    next.add(p);
                    continue;
                }
                if (ex.low() > p[0]) {
                    next.add(new int[] {p[0], ex.low() - 1});
                }
                if (ex.high() < p[1]) {
                    next.add(new int[] {ex.high() + 1, p[1]});
                }
            }
            pieces = next;
        }
        return pieces;
    }

    private static int port(String s) {
        PortRange r = IptablesSave.range(s, '\0');
        return r == null || r.low() == 0 ? -1 : r.low();
    }

    private static String shown(String s) {
        return Text.escapeControls(s.length() > 80 ? s.substring(0, 80) + "…" : s);
    }
}
