package org.portlens.discovery.windows;

import java.util.List;
import java.util.Optional;
import org.portlens.discovery.ProcessTable;
import org.portlens.discovery.command.Assembler;
import org.portlens.discovery.command.ProcessRow;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;

/**
 * Windows processes from the same PowerShell run as {@link WindowsSocketTable}'s owners, so a start
 * time read here equals the one read there. Safe for concurrent use: each call runs the tools afresh.
 */
public final class WindowsProcessTable implements ProcessTable {

    private final WindowsTools tools;

    WindowsProcessTable(WindowsTools tools) {
        this.tools = tools;
    }

    /**
     * The live system.
     *
     * @return the process table of this Windows host
     */
    public static WindowsProcessTable system() {
        return new WindowsProcessTable(new WindowsTools(WindowsTools.SYSTEM));
    }

    @Override
    public Optional<ProcessInfo> process(int pid) {
        WindowsTools.Read r = tools.read(new PortRange(0, 0), false);
        ProcessRow p = r.processes().get(pid);
        if (p == null) {
            return Optional.empty();
        }
        WindowsSources sources = new WindowsSources(r.services(), r.servicesRead());
        return Optional.of(Assembler.info(p, r.processes(), sources::of));
    }

    @Override
    public List<ProcessRef> children(int pid) {
        return Assembler.children(pid, tools.read(new PortRange(0, 0), false).processes());
    }
}
