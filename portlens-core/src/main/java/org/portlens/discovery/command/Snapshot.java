package org.portlens.discovery.command;

import java.util.List;
import java.util.Map;

/**
 * What one read of a system's tools gave, before it is assembled into listeners. Immutable; safe
 * from any thread.
 *
 * @param owned        sockets with the process that holds each ({@code lsof}, {@code netstat -ano},
 *                     {@code Get-NetTCPConnection}); a socket held by two processes is two rows
 * @param onePerSocket whether each of {@code owned} is a socket of its own (netstat -ano, PowerShell:
 *                     two connections are two rows), or a socket is listed once per process holding it
 *                     (lsof), so its connections are counted from {@code all} when there is one
 * @param all          every socket of the host without owners ({@code netstat -an} on macOS), to find
 *                     those whose holder the owner tool could not see; empty when not read
 * @param processes    the processes, by pid
 * @param privileged   whether the read was made as root or Administrator
 * @param hiddenReason why a socket in {@code all} and not in {@code owned} has no owner, for a reader
 *                     who is not privileged ("lsof shows only your own processes' sockets: run as root")
 * @param notes        what could not be read, each one line
 * @param malformed    lines of output that could not be parsed, skipped
 */
public record Snapshot(
        List<SocketRow> owned,
        boolean onePerSocket,
        List<SocketRow> all,
        Map<Integer, ProcessRow> processes,
        boolean privileged,
        String hiddenReason,
        List<String> notes,
        int malformed) {

    /** Copies the collections. */
    public Snapshot {
        owned = List.copyOf(owned);
        all = List.copyOf(all);
        processes = Map.copyOf(processes);
        notes = List.copyOf(notes);
    }
}
