package org.portlens.discovery.windows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.command.ProcessRow;
import org.portlens.discovery.command.SocketRow;
import org.portlens.internal.Json;
import org.portlens.model.Transport;

/**
 * Parses what {@code sockets.ps1} prints: one JSON object with {@code tcp} and {@code udp} (the rows of
 * {@code Get-NetTCPConnection} and {@code Get-NetUDPEndpoint}), {@code processes} ({@code
 * Win32_Process}), {@code owners} (their {@code GetOwner}), {@code services} ({@code Win32_Service}),
 * {@code admin}, and {@code errors} naming each part that failed. A part absent
 * is null in the {@link Result}, for the reader to fill another way. Also takes a bare array or object
 * of {@code Get-NetTCPConnection} rows (what {@code ConvertTo-Json} prints by hand: one row is an
 * object, a state may be a number). Tolerant of a byte-order mark and of Windows PowerShell 5.1's
 * {@code \u003c} escapes. Pure; stateless; safe from any thread.
 */
final class PowerShellOutput {

    /**
     * What the output held. Immutable.
     *
     * @param tcp          TCP sockets, or null when not read
     * @param udp          UDP sockets, or null when not read
     * @param processes    processes by pid, or null when not read
     * @param services     services, or null when not read
     * @param admin        whether it ran as Administrator, or null when not said
     * @param errors       the parts that failed, each with PowerShell's message
     * @param malformed    rows skipped
     */
    record Result(
            @Nullable List<SocketRow> tcp,
            @Nullable List<SocketRow> udp,
            @Nullable Map<Integer, ProcessRow> processes,
            @Nullable List<Service> services,
            @Nullable Boolean admin,
            Map<String, String> errors,
            int malformed) {}

    private PowerShellOutput() {}

    static Result parse(String output) throws Json.ParseException {
        String text = output.strip();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1).strip();
        }
        // lines a profile or a module printed before the JSON ("WARNING: …") are passed over
        int object = text.indexOf("\n{");
        int array = text.indexOf("\n[");
        int json = text.startsWith("{") || text.startsWith("[")
                ? 0
                : object < 0 ? array : array < 0 ? object : Math.min(object, array);
        if (json > 0) {
            text = text.substring(json + 1);
        }
        Object root = Json.parse(text);
        int[] malformed = {0};
        if (root instanceof List<?> || (root instanceof Map<?, ?> m && m.containsKey("LocalPort"))) {
            List<SocketRow> tcp = sockets(rows(root), Transport.TCP, malformed);
            return new Result(tcp, null, null, null, null, Map.of(), malformed[0]);
        }
        if (!(root instanceof Map<?, ?>)) {
            return new Result(null, null, null, null, null, Map.of("output", "not a JSON object or array"), 0);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Json.object(root, "errors").forEach((k, v) -> errors.put(k, v instanceof String s ? s : String.valueOf(v)));
        Map<String, Object> o = Json.object(root);
        List<SocketRow> tcp = o.containsKey("tcp") ? sockets(rows(o.get("tcp")), Transport.TCP, malformed) : null;
        List<SocketRow> udp = o.containsKey("udp") ? sockets(rows(o.get("udp")), Transport.UDP, malformed) : null;
        Boolean admin = Json.at(root, "admin")
                .filter(Boolean.class::isInstance)
                .map(Boolean.class::cast)
                .orElse(null);
        Map<Integer, String> owners = owners(rows(o.get("owners")));
        Map<Integer, ProcessRow> processes = o.containsKey("processes")
                ? processes(rows(o.get("processes")), owners, Boolean.TRUE.equals(admin), malformed)
                : null;
        List<Service> services = null;
        if (o.containsKey("services")) {
            services = new ArrayList<>();
            for (Object s : rows(o.get("services"))) {
                int pid = integer(s, "ProcessId");
                String name = Json.string(s, "Name").orElse("");
                if (pid <= 0 || name.isEmpty()) {
                    malformed[0]++;
                    continue;
                }
                services.add(new Service(name, Json.string(s, "DisplayName").orElse(""), pid));
            }
        }
        return new Result(tcp, udp, processes, services, admin, errors, malformed[0]);
    }

    /** An array's elements, an object as one element (ConvertTo-Json's single row), or nothing. */
    private static List<Object> rows(@Nullable Object v) {
        if (v instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return v instanceof Map<?, ?> ? List.of(v) : List.of();
    }

    private static List<SocketRow> sockets(List<Object> rows, Transport transport, int[] malformed) {
        List<SocketRow> out = new ArrayList<>();
        for (Object r : rows) {
            String address = Json.string(r, "LocalAddress").orElse("");
            int port = integer(r, "LocalPort");
            int pid = integer(r, "OwningProcess");
            if (address.isEmpty() || port < 0 || port > 65535 || pid < 0) {
                malformed[0]++;
                continue;
            }
            SocketRow.State state = SocketRow.State.UDP_OPEN;
            if (transport == Transport.TCP) {
                state = state(Json.at(r, "State").orElse(""));
            }
            out.add(new SocketRow(
                    transport, address, port, address.indexOf(':') >= 0, state, pid, -1, SocketRow.DualStack.UNKNOWN));
        }
        return out;
    }

    /** Listen (2) and Established (5), by name or by the enum's number; anything else is another state. */
    private static SocketRow.State state(Object v) {
        String s = String.valueOf(v);
        if (s.equals("Listen") || s.equals("2")) {
            return SocketRow.State.LISTEN;
        }
        if (s.equals("Established") || s.equals("5")) {
            return SocketRow.State.ESTABLISHED;
        }
        return SocketRow.State.OTHER;
    }

    /** {@code DOMAIN\User} of each process GetOwner answered for (return value 0). */
    private static Map<Integer, String> owners(List<Object> rows) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (Object r : rows) {
            int pid = integer(r, "ProcessId");
            String user = Json.string(r, "User").orElse("");
            if (pid < 0 || integer(r, "ReturnValue") != 0 || user.isEmpty()) {
                continue;
            }
            String domain = Json.string(r, "Domain").orElse("");
            out.put(pid, domain.isEmpty() ? user : domain + "\\" + user);
        }
        return out;
    }

    private static Map<Integer, ProcessRow> processes(
            List<Object> rows, Map<Integer, String> owners, boolean admin, int[] malformed) {
        Map<Integer, ProcessRow> out = new LinkedHashMap<>();
        for (Object r : rows) {
            int pid = integer(r, "ProcessId");
            String name = Json.string(r, "Name").orElse("");
            if (pid < 0 || name.isEmpty()) {
                malformed[0]++;
                continue;
            }
            List<String> unreadable = new ArrayList<>();
            String commandLine = Json.string(r, "CommandLine").orElse("");
            String exe = Json.string(r, "ExecutablePath").orElse(null);
            if (commandLine.isEmpty() && pid > 4) {
                unreadable.add("command line: "
                        + (admin
                                ? "not shown by Windows (a protected process)"
                                : "not shown to this user: run as Administrator"));
            }
            String user = owners.getOrDefault(pid, "");
            int session = integer(r, "SessionId");
            out.put(
                    pid,
                    new ProcessRow(
                            pid,
                            Math.max(0, integer(r, "ParentProcessId")),
                            name,
                            exe == null || exe.isEmpty() ? null : exe,
                            CommandLines.split(commandLine),
                            -1,
                            user,
                            start(Json.string(r, "CreationDate").orElse("")),
                            session > 0 ? "session " + session : "",
                            unreadable));
        }
        return out;
    }

    /**
     * A CreationDate as the script writes it ({@code 2026-12-02T06:32:04.1234567Z}, any offset), or
     * null.
     */
    static @Nullable Instant start(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An integer at {@code path}, or -1. */
    private static int integer(Object v, String... path) {
        Optional<Long> n = Json.integer(v, path);
        return n.isPresent() && n.get() >= 0 && n.get() <= Integer.MAX_VALUE ? (int) (long) n.get() : -1;
    }
}
