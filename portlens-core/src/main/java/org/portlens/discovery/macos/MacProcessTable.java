package org.portlens.discovery.macos;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.portlens.discovery.ProcessTable;
import org.portlens.discovery.command.Assembler;
import org.portlens.discovery.command.ProcessRow;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;

/**
 * macOS processes from {@code ps} and {@code launchctl list}, read the same way as the socket owners
 * of {@link MacSocketTable}, so a start time read here equals the one read there. Safe for concurrent
 * use: each call runs the tools afresh.
 */
public final class MacProcessTable implements ProcessTable {

    private final MacTools tools;
    private final boolean root;

    MacProcessTable(MacTools tools, boolean root) {
        this.tools = tools;
        this.root = root;
    }

    /**
     * The live system.
     *
     * @return the process table of this Mac
     */
    public static MacProcessTable system() {
        return new MacProcessTable(new MacTools(MacTools.SYSTEM, ZoneId.systemDefault()), MacSocketTable.runsAsRoot());
    }

    @Override
    public Optional<ProcessInfo> process(int pid) {
        MacTools.Processes ps = tools.processes(new ArrayList<>());
        ProcessRow p = ps.processes().get(pid);
        if (p == null) {
            return Optional.empty();
        }
        MacSources sources = MacSources.of(ps.labels(), root, MacSocketTable.viewerUid(ps.processes()));
        return Optional.of(Assembler.info(p, ps.processes(), sources::of));
    }

    @Override
    public List<ProcessRef> children(int pid) {
        return Assembler.children(pid, tools.processes(new ArrayList<>()).processes());
    }
}
