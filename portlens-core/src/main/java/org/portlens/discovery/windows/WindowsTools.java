package org.portlens.discovery.windows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.command.ProcessRow;
import org.portlens.discovery.command.SocketRow;
import org.portlens.internal.Command;
import org.portlens.internal.CommandRunner;
import org.portlens.internal.Json;
import org.portlens.model.PortRange;

/**
 * Runs Windows' tools for the socket and process tables: the reading half, the parsing being in
 * {@link PowerShellOutput}, {@link NetstatAno} and {@link Tasklist}. PowerShell first, once, for
 * everything; for each part it could not give, the older tool. A tool that is missing, refuses or
 * fails becomes a note, never an exception. Immutable; safe from any thread when its runner is.
 */
final class WindowsTools {

    /** PowerShell's start and a CIM query take a second or two; 30 s and 32 MB are far above that. */
    static final CommandRunner SYSTEM = CommandRunner.within(Duration.ofSeconds(30), 32_000_000L);

    static final List<String> NETSTAT = List.of("netstat", "-ano");
    static final List<String> TASKLIST = List.of("tasklist", "/v", "/fo", "csv");
    static final List<String> TASKLIST_SERVICES = List.of("tasklist", "/svc", "/fo", "csv");
    static final List<String> NETSH_DYNAMIC = List.of("netsh", "int", "ipv4", "show", "dynamicport", "tcp");

    private final CommandRunner runner;

    WindowsTools(CommandRunner runner) {
        this.runner = runner;
    }

    /**
     * Everything one read gives, each part from PowerShell or from its fallback.
     *
     * @param sockets      TCP and UDP sockets with their pids
     * @param processes    by pid
     * @param services     the services and their processes
     * @param servicesRead whether the services could be read
     * @param admin        whether portlens runs as Administrator
     * @param notes        what could not be read
     * @param malformed    rows or lines skipped
     */
    record Read(
            List<SocketRow> sockets,
            Map<Integer, ProcessRow> processes,
            List<Service> services,
            boolean servicesRead,
            boolean admin,
            List<String> notes,
            int malformed) {}

    Read read(PortRange ports, boolean wantSockets) {
        List<String> notes = new ArrayList<>();
        PowerShellOutput.Result ps = powerShell(ports, notes);
        int malformed = ps == null ? 0 : ps.malformed();
        List<SocketRow> sockets = new ArrayList<>();
        if (wantSockets) {
            if (ps != null && ps.tcp() != null && ps.udp() != null) {
                sockets.addAll(ps.tcp());
                sockets.addAll(ps.udp());
            } else {
                String out = run(NETSTAT, notes, "sockets not read");
                if (out != null) {
                    NetstatAno.Result r = NetstatAno.parse(out);
                    sockets.addAll(r.sockets());
                    malformed += r.malformed();
                    if (!r.unknownStates().isEmpty()) {
                        notes.add("netstat -ano: connections in states " + r.unknownStates()
                                + " are not counted as established (words in a language not known here)");
                    }
                }
            }
        }
        Map<Integer, ProcessRow> processes = ps == null ? null : ps.processes();
        if (processes == null) {
            String out = run(TASKLIST, notes, "processes not read");
            Tasklist.Processes t = out == null ? new Tasklist.Processes(Map.of(), 0) : Tasklist.processes(out);
            processes = t.processes();
            malformed += t.malformed();
        }
        List<Service> services = ps == null ? null : ps.services();
        boolean servicesRead = services != null;
        if (services == null) {
            String out = run(TASKLIST_SERVICES, notes, "services not named");
            servicesRead = out != null;
            services = out == null ? List.of() : Tasklist.services(out);
        }
        boolean admin = ps != null && Boolean.TRUE.equals(ps.admin());
        if (ps == null || ps.admin() == null) {
            notes.add(
                    "Administrator rights not checked (PowerShell did not say): other users' process details may be hidden");
        } else if (!admin
                && processes.values().stream().anyMatch(p -> !p.unreadable().isEmpty())) {
            notes.add(
                    "the command lines and users of other users' and system processes are hidden: run as Administrator");
        }
        return new Read(sockets, processes, services, servicesRead, admin, notes, malformed);
    }

    /** The script's output parsed, or null with a note when PowerShell could not run or printed no JSON. */
    private PowerShellOutput.@Nullable Result powerShell(PortRange ports, List<String> notes) {
        String script = script(ports);
        String encoded = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
        String why = "";
        for (String program : List.of("powershell.exe", "pwsh.exe")) {
            try {
                Command.Result r =
                        runner.run(List.of(program, "-NoProfile", "-NonInteractive", "-EncodedCommand", encoded));
                if (r.stdout().isBlank()) {
                    why = program + " printed nothing (" + r.firstLine() + ")";
                    continue;
                }
                PowerShellOutput.Result parsed = PowerShellOutput.parse(r.stdout());
                parsed.errors()
                        .forEach((part, message) -> notes.add("PowerShell could not read " + part + " ("
                                + oneLine(message) + "): " + fallback(part)));
                return parsed;
            } catch (IOException e) {
                why = program + ": " + Command.why(e);
            } catch (Json.ParseException e) {
                why = program + " printed no JSON: " + e.getMessage();
                break;
            }
        }
        notes.add("PowerShell: " + why
                + "; read with netstat -ano and tasklist instead (no command lines, parents or start times)");
        return null;
    }

    private static String fallback(String part) {
        switch (part) {
            case "tcp":
            case "udp":
                return "read with netstat -ano";
            case "processes":
                return "read with tasklist";
            case "services":
                return "read with tasklist /svc";
            case "owners":
                return "owners' users not named";
            default:
                return "not read";
        }
    }

    private static String oneLine(String s) {
        String line = s.strip().split("\r?\n", 2)[0];
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

    /**
     * The range {@code netsh int ipv4 show dynamicport tcp} prints, in any language: the numbers after
     * the colons of its two lines, the start port then the number of ports ("Start Port : 49152",
     * "Number of Ports : 16384"; "Startport", "Anzahl der Ports" in German). Null when it does not parse.
     */
    static @Nullable PortRange dynamicPorts(String output) {
        List<Integer> numbers = new ArrayList<>();
        for (String line : output.split("\r?\n")) {
            int colon = line.lastIndexOf(':');
            if (colon >= 0) {
                int n = org.portlens.discovery.command.Fields.number(
                        line.substring(colon + 1).strip());
                if (n >= 0) {
                    numbers.add(n);
                }
            }
        }
        if (numbers.size() != 2
                || numbers.get(0) < 1
                || numbers.get(1) < 1
                || numbers.get(0) + numbers.get(1) - 1 > 65535) {
            return null;
        }
        return new PortRange(numbers.get(0), numbers.get(0) + numbers.get(1) - 1);
    }

    /** The script with the ports asked about in place of its two markers. */
    static String script(PortRange ports) {
        try (InputStream in = WindowsTools.class.getResourceAsStream("sockets.ps1")) {
            if (in == null) {
                throw new IllegalStateException("sockets.ps1 is missing from portlens's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@LOW@", Integer.toString(ports.low()))
                    .replace("@HIGH@", Integer.toString(ports.high()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read sockets.ps1 from portlens's jar: " + e.getMessage(), e);
        }
    }

    @Nullable
    String run(List<String> argv, List<String> notes, String consequence) {
        try {
            Command.Result r = runner.run(argv);
            if (r.exit() != 0 && r.stdout().isBlank()) {
                notes.add(argv.get(0) + " failed (" + r.firstLine() + "): " + consequence);
                return null;
            }
            return r.stdout();
        } catch (IOException e) {
            notes.add(argv.get(0) + ": " + Command.why(e) + ": " + consequence);
            return null;
        }
    }
}
