package org.portlens.discovery.command;

import java.util.List;
import java.util.Map;
import org.portlens.model.Endpoint;

/**
 * What one read of a system's tools gave, before it is assembled into listeners. Immutable; safe
 * from any thread.
 *
 * @param owned        sockets with the process that holds each ({@code lsof}, {@code netstat -ano},
 *                     {@code Get-NetTCPConnection}); a socket held by two processes is two rows
 * @param onePerSocket whether each of {@code owned} is a socket of its own (netstat -ano, PowerShell:
 *                     two connections are two rows), or a socket is listed once per process holding it
 *                     (lsof), so its connections are counted from {@code all} when there is one
 * @param all          every socket of the host without owners ({@code netstat -anl} on macOS), to find
 *                     those whose holder the owner tool could not see; empty when not read
 * @param processes    the processes, by pid
 * @param privileged   whether the read was made as root or Administrator
 * @param hiddenReason why a socket in {@code all} and not in {@code owned} has no owner, for a reader
 *                     who is not privileged ("lsof shows only your own processes' sockets: run as root")
 * @param notes        what could not be read, each one line
 * @param malformed    lines of output that could not be parsed, skipped
 * @param dualStack    what an IPv6 wildcard socket with no IPv4 twin and no word from the tools is:
 *                     {@link Endpoint.DualStack#LIKELY} on macOS (its default takes IPv4 too), {@link
 *                     Endpoint.DualStack#NOT_APPLICABLE} (not said) on Windows, where it depends on the program
 */
public record Snapshot(
        List<SocketRow> owned,
        boolean onePerSocket,
        List<SocketRow> all,
        Map<Integer, ProcessRow> processes,
        boolean privileged,
        String hiddenReason,
        List<String> notes,
        int malformed,
        Endpoint.DualStack dualStack) {

    /** Copies the collections. */
    public Snapshot {
        owned = List.copyOf(owned);
        all = List.copyOf(all);
        processes = Map.copyOf(processes);
        notes = List.copyOf(notes);
    }
}
