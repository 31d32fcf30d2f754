package org.portlens.discovery.windows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portlens.discovery.command.Fields;
import org.portlens.discovery.command.ProcessRow;

/**
 * Parses {@code tasklist /v /fo csv} and {@code tasklist /svc /fo csv}, the fallback when PowerShell
 * cannot list processes or services. Columns are read by position, never by header, because the
 * headers are translated: {@code /v} gives image name, PID, session name, session number, memory,
 * status, user name, CPU time, window title; {@code /svc} image name, PID, services (comma-separated,
 * or a word such as {@code N/A} for none). tasklist gives no parent, command line, executable path or
 * start time; each process says so in its {@code unreadable}. Pure; stateless; safe from any thread.
 */
final class Tasklist {

    /**
     * What the output held. Immutable.
     *
     * @param processes by pid
     * @param malformed rows skipped
     */
    record Processes(Map<Integer, ProcessRow> processes, int malformed) {
        Processes {
            processes = Map.copyOf(processes);
        }
    }

    private Tasklist() {}

    static Processes processes(String csv) {
        Map<Integer, ProcessRow> out = new LinkedHashMap<>();
        int malformed = 0;
        for (List<String> row : rows(csv)) {
            int pid = row.size() > 1 ? Fields.number(row.get(1)) : -1;
            if (pid < 0 || row.size() < 7) {
                if (pid >= 0 || !header(row)) {
                    malformed++;
                }
                continue;
            }
            int session = Fields.number(row.get(3));
            String user = row.get(6);
            List<String> unreadable = new ArrayList<>(
                    List.of(
                            "parent, command line, executable and start time: tasklist does not show them (PowerShell could not run)"));
            if (!user.contains("\\")) {
                unreadable.add("user: not shown to this user (" + user + "): run as Administrator");
                user = "";
            }
            out.put(
                    pid,
                    new ProcessRow(
                            pid,
                            0,
                            row.get(0),
                            null,
                            List.of(),
                            -1,
                            user,
                            null,
                            session > 0 ? "session " + session : "",
                            unreadable));
        }
        return new Processes(out, malformed);
    }

    static List<Service> services(String csv) {
        List<Service> out = new ArrayList<>();
        for (List<String> row : rows(csv)) {
            int pid = row.size() > 2 ? Fields.number(row.get(1)) : -1;
            if (pid <= 0) {
                continue;
            }
            for (String name : row.get(2).split(",")) {
                String n = name.strip();
                // a service's key name has no spaces or slashes; "N/A", "Nicht zutreffend" and the like are none
                if (!n.isEmpty() && n.matches("[A-Za-z0-9_.$@{}-]+")) {
                    out.add(new Service(n, "", pid));
                }
            }
        }
        return out;
    }

    /** The header row: its second column is a word (PID), not a number. */
    private static boolean header(List<String> row) {
        return row.size() > 1
                && !row.get(1).isEmpty()
                && !Character.isDigit(row.get(1).charAt(0));
    }

    /** CSV rows: fields in double quotes, a doubled quote inside is one; rows end at CR LF or LF. */
    static List<List<String>> rows(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        String text = csv.startsWith("\uFEFF") ? csv.substring(1) : csv;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (any || field.length() > 0) {
                    row.add(field.toString());
                    rows.add(row);
                }
                row = new ArrayList<>();
                field.setLength(0);
                any = false;
            } else {
                field.append(c);
                any = true;
            }
        }
        if (any || field.length() > 0) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
