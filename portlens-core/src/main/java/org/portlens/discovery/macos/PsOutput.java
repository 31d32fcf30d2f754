package org.portlens.discovery.macos;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.command.ProcessRow;

/**
 * Parses two runs of macOS's {@code ps}, each ending in a column that may hold spaces, so each is the
 * last column of its own run: {@code ps -A -ww -o pid=,ppid=,uid=,user=,tty=,lstart=,comm=} (the
 * executable's path on macOS) and {@code ps -A -ww -o pid=,args=} (the command line, its words joined
 * by spaces). {@code lstart} is {@code Wed Dec  2 06:32:04 2026} in the Mac's local time, in English
 * since the run sets {@code LC_ALL=C}. Lenient: a line that does not parse is counted and skipped.
 * Pure; stateless; safe from any thread.
 */
final class PsOutput {

    private static final Pattern FIELDS = Pattern.compile("^\\s*(\\d+)\\s+(\\d+)\\s+(-?\\d+)\\s+(\\S+)\\s+(\\S+)\\s+"
            + "([A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4})\\s+(.*)$");
    private static final Pattern ARGS = Pattern.compile("^\\s*(\\d+)\\s(.*)$");
    private static final DateTimeFormatter LSTART = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    /**
     * What the two runs held. Immutable.
     *
     * @param processes by pid
     * @param malformed lines skipped
     */
    record Result(Map<Integer, ProcessRow> processes, int malformed) {
        Result {
            processes = Map.copyOf(processes);
        }
    }

    private PsOutput() {}

    /**
     * @param fields the first run's output
     * @param args   the second run's output; a pid it lacks gets an empty command line
     * @param zone   the zone {@code lstart} is in: the Mac's own
     */
    static Result parse(String fields, String args, ZoneId zone) {
        int malformed = 0;
        Map<Integer, String> commandLines = new LinkedHashMap<>();
        for (String line : args.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = ARGS.matcher(line);
            if (!m.matches()) {
                malformed++;
                continue;
            }
            commandLines.put(Integer.parseInt(m.group(1)), m.group(2).strip());
        }
        Map<Integer, ProcessRow> out = new LinkedHashMap<>();
        for (String line : fields.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = FIELDS.matcher(line);
            if (!m.matches()) {
                malformed++;
                continue;
            }
            int pid = Integer.parseInt(m.group(1));
            String comm = m.group(7).strip();
            String tty = m.group(5);
            String command = commandLines.getOrDefault(pid, "");
            List<String> unreadable = new ArrayList<>();
            Instant start = start(m.group(6), zone);
            if (start == null) {
                unreadable.add("start time: ps printed '" + m.group(6) + "'");
            }
            if (!commandLines.containsKey(pid)) {
                unreadable.add("command line: ps did not list it (it exited between the two runs)");
            }
            out.put(
                    pid,
                    new ProcessRow(
                            pid,
                            Integer.parseInt(m.group(2)),
                            name(comm),
                            comm.startsWith("/") ? comm : null,
                            words(command, comm),
                            Integer.parseInt(m.group(3)),
                            m.group(4),
                            start,
                            tty.equals("??") || tty.equals("?") || tty.equals("-") ? "" : tty,
                            unreadable));
        }
        return new Result(out, malformed);
    }

    /**
     * A name from ps's {@code comm}: the file name of a path ({@code /usr/sbin/cupsd} → {@code cupsd});
     * else argv[0] as typed ({@code node}, a login shell's {@code -zsh}), or a title a process gave
     * itself ({@code nginx: master process …} → {@code nginx}). The socket table prefers lsof's name
     * for the processes lsof lists.
     */
    static String name(String comm) {
        if (comm.startsWith("/")) {
            return comm.substring(comm.lastIndexOf('/') + 1);
        }
        String first = comm.split(" ", 2)[0];
        if (first.endsWith(":") && first.length() > 1) {
            first = first.substring(0, first.length() - 1);
        }
        return first.substring(first.lastIndexOf('/') + 1);
    }

    /**
     * The words of a command line ps joined by spaces. When it begins with the executable's path
     * (which may hold spaces: {@code /Applications/Visual Studio Code.app/…}), that path is one word;
     * the rest is split at spaces, since ps no longer knows where the arguments ended.
     */
    static List<String> words(String command, String comm) {
        if (command.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        String rest = command;
        if (comm.indexOf(' ') >= 0 && command.startsWith(comm)) {
            out.add(comm);
            rest = command.substring(comm.length());
        }
        out.addAll(Arrays.asList(rest.strip().split(" +")));
        out.removeIf(String::isEmpty);
        return out;
    }

    static @Nullable Instant start(String lstart, ZoneId zone) {
        try {
            return LocalDateTime.parse(lstart, LSTART).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
