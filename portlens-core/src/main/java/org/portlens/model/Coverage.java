package org.portlens.model;

import java.util.List;

/**
 * How much of the system a read of the socket table could see.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param privileged          whether portlens ran as root (or could read every process)
 * @param processesRead    processes whose descriptors were read
 * @param processesUnreadable processes whose descriptors could not be read (other users' when not root)
 * @param processesVanished   processes that exited while the table was read
 * @param ownersHidden        sockets whose owner could not be shown because of permissions
 * @param ownersGone          owners that exited between being found and being read
 * @param malformedLines      lines of /proc/net files that could not be parsed and were skipped
 * @param notes               one line each about anything else not seen
 * @param processesSkipped    processes whose descriptors were not read because a port's every socket had
 *                            been found and they are neither descendants of a holder nor in its unit
 */
public record Coverage(
        boolean privileged,
        int processesRead,
        int processesUnreadable,
        int processesVanished,
        int ownersHidden,
        int ownersGone,
        int malformedLines,
        List<String> notes,
        int processesSkipped) {

    /**
     * Copies the notes.
     *
     * @param privileged          whether portlens ran as root (or could read every process)
     * @param processesRead       processes whose descriptors were read
     * @param processesUnreadable processes whose descriptors could not be read
     * @param processesVanished   processes that exited while the table was read
     * @param ownersHidden        sockets whose owner could not be shown because of permissions
     * @param ownersGone          owners that exited between being found and being read
     * @param malformedLines      lines of /proc/net files that could not be parsed and were skipped
     * @param notes               one line each about anything else not seen; copied
     * @param processesSkipped    processes not read: a port's every socket was found and they are neither
     *                            descendants of a holder nor in a holder's unit
     */
    public Coverage {
        notes = List.copyOf(notes);
    }

    /**
     * A coverage of a read that skipped no process.
     *
     * @param privileged          whether portlens ran as root (or could read every process)
     * @param processesRead       processes whose descriptors were read
     * @param processesUnreadable processes whose descriptors could not be read
     * @param processesVanished   processes that exited while the table was read
     * @param ownersHidden        sockets whose owner could not be shown because of permissions
     * @param ownersGone          owners that exited between being found and being read
     * @param malformedLines      lines of /proc/net files that could not be parsed and were skipped
     * @param notes               one line each about anything else not seen; copied
     */
    public Coverage(
            boolean privileged,
            int processesRead,
            int processesUnreadable,
            int processesVanished,
            int ownersHidden,
            int ownersGone,
            int malformedLines,
            List<String> notes) {
        this(
                privileged,
                processesRead,
                processesUnreadable,
                processesVanished,
                ownersHidden,
                ownersGone,
                malformedLines,
                notes,
                0);
    }

    /**
     * True when an owner was hidden or exited while the table was read, so the answer is partial (exit code 3).
     *
     * @return whether {@code ownersHidden} or {@code ownersGone} is above 0
     */
    public boolean partial() {
        return ownersHidden > 0 || ownersGone > 0;
    }
}
