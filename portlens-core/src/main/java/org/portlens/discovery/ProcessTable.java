package org.portlens.discovery;

import java.util.List;
import java.util.Optional;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;

/**
 * The operating system's processes, one at a time: what {@code portlens free} re-reads just before
 * it signals (is this still the process it showed?) and the children it shows. Read the same way
 * as the owners in a {@link Discovery}, so a {@link ProcessInfo#startTime()} read here equals the
 * one read there for the same process.
 *
 * <p>Implementations are safe for concurrent use: each read is independent of the others.
 */
public interface ProcessTable {

    /**
     * Reads one process.
     *
     * @param pid the process id
     * @return the process, or empty when no such process exists (it exited)
     */
    Optional<ProcessInfo> process(int pid);

    /**
     * The processes whose parent is {@code pid}.
     *
     * @param pid the parent's process id
     * @return its children in pid order; empty when it has none or is gone
     */
    List<ProcessRef> children(int pid);

    /**
     * The table for the OS this JVM runs on; chosen here and nowhere else ({@link Platforms}).
     *
     * @return the process table of this OS: Linux's {@code /proc}, macOS's {@code ps}, Windows'
     *     {@code Win32_Process}
     * @throws UnsupportedPlatformException on an OS without an implementation (FreeBSD, Solaris, …)
     */
    static ProcessTable system() {
        return Platforms.processTable(System.getProperty("os.name", ""));
    }
}
