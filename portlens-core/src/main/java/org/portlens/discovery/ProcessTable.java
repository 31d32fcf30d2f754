package org.portlens.discovery;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.portlens.discovery.linux.LinuxProcessTable;
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
     * The table for the OS this JVM runs on; chosen here and nowhere else.
     *
     * @return the process table of this OS (Linux's {@code /proc})
     * @throws UnsupportedPlatformException on an OS without an implementation yet
     */
    static ProcessTable system() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            return LinuxProcessTable.system();
        }
        throw new UnsupportedPlatformException(
                "reading processes is implemented for Linux only, not " + System.getProperty("os.name"));
    }
}
