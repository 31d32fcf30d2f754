package org.portlens.discovery.command;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One process as a tool lists it ({@code ps}, {@code Win32_Process}, {@code tasklist}). Immutable;
 * safe from any thread.
 *
 * @param pid         its id
 * @param ppid        its parent's id; 0 for none or unknown
 * @param name        its short name ({@code node}, {@code svchost.exe})
 * @param executable  the executable's path, or null when not shown
 * @param commandLine its arguments as far as the tool splits them; empty when hidden
 * @param uid         its user id, or -1 where users have none (Windows) or it is unknown
 * @param user        its user's name, or empty when unknown
 * @param startTime   when it started, or null when unknown
 * @param terminal    its terminal ("ttys001") or Windows session ("session 1"), or empty
 * @param unreadable  what could not be read of it, each with why ("command line: run as Administrator")
 */
public record ProcessRow(
        int pid,
        int ppid,
        String name,
        @Nullable String executable,
        List<String> commandLine,
        int uid,
        String user,
        @Nullable Instant startTime,
        String terminal,
        List<String> unreadable) {

    /** Copies the lists. */
    public ProcessRow {
        commandLine = List.copyOf(commandLine);
        unreadable = List.copyOf(unreadable);
    }

    /**
     * The command line joined by spaces, or the name in brackets when it is hidden.
     *
     * @return such as {@code node server.js}
     */
    public String command() {
        return commandLine.isEmpty() ? "[" + name + "]" : String.join(" ", commandLine);
    }
}
