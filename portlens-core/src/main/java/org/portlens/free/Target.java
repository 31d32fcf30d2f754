package org.portlens.free;

import java.util.List;
import java.util.Optional;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;

/**
 * A process that {@code portlens free} would signal, as it was shown. Its identity is its pid and
 * its start time together: a pid alone may be reused by another process. Immutable; safe to share
 * between threads.
 *
 * @param process  the process as discovery read it (pid, start time, user, command, source, ancestry)
 * @param children its children when it was read, which a signal may leave running or take along
 * @param manager  the unit or container that keeps it running, when there is one
 */
public record Target(ProcessInfo process, List<ProcessRef> children, Optional<Manager> manager) {

    /**
     * Copies the children.
     *
     * @param process  the process as discovery read it
     * @param children its children; copied
     * @param manager  the unit or container that keeps it running, when there is one
     */
    public Target {
        children = List.copyOf(children);
    }
}
