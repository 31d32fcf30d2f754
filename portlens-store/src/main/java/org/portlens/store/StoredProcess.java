package org.portlens.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.portlens.model.Source;

/**
 * A process as the history keeps it: enough to say who held a port (not its whole command line).
 * Text fields are as bounded by the writer (see {@link HistoryStore}). Immutable.
 *
 * @param pid        the process id at the time
 * @param startTime  when it started, or null when unknown (and for a previous owner, which keeps less)
 * @param name       the kernel's short name (comm)
 * @param executable the executable's path, or null when hidden or not kept
 * @param user       the process's user name, or null when not kept
 * @param sourceKind why it runs (systemd unit, container, …), or null when not kept
 * @param sourceName the unit, container or shell, or null when not kept
 */
public record StoredProcess(
        int pid,
        @Nullable Instant startTime,
        String name,
        @Nullable String executable,
        @Nullable String user,
        Source.@Nullable Kind sourceKind,
        @Nullable String sourceName) {}
