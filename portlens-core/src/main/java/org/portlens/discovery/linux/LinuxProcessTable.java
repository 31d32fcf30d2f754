package org.portlens.discovery.linux;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.portlens.discovery.ProcessTable;
import org.portlens.discovery.linux.proc.Stat;
import org.portlens.discovery.linux.proc.UserDirectory;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;

/**
 * Linux processes from /proc, read by the same {@link LinuxProcessReader} as the socket owners.
 * A zombie (exited, not yet reaped by its parent) counts as gone. Safe for concurrent use: each
 * call reads afresh.
 */
public final class LinuxProcessTable implements ProcessTable {

    private final ProcRoot root;
    private final UserDirectory users;

    LinuxProcessTable(ProcRoot root, UserDirectory users) {
        this.root = root;
        this.users = users;
    }

    /** The live system. */
    public static LinuxProcessTable system() {
        return new LinuxProcessTable(ProcRoot.system(), UserDirectory.system());
    }

    @Override
    public Optional<ProcessInfo> process(int pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            if (Stat.parse(root.read(pid + "/stat")).state() == 'Z') {
                return Optional.empty(); // exited; only its entry waits for its parent
            }
            return Optional.of(new LinuxProcessReader(root, users).read(pid));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            // a stat that vanished mid-read or does not parse: the process is not there as shown
            return Optional.empty();
        }
    }

    @Override
    public List<ProcessRef> children(int pid) {
        List<Integer> pids;
        try {
            pids = root.pids();
        } catch (IOException e) {
            return List.of();
        }
        Collections.sort(pids);
        List<ProcessRef> out = new ArrayList<>();
        for (int p : pids) {
            try {
                Stat s = Stat.parse(root.read(p + "/stat"));
                if (s.ppid() == pid) {
                    List<String> argv = LinuxProcessReader.splitNul(root.readBytes(p, "cmdline"));
                    out.add(new ProcessRef(
                            p, s.comm(), argv.isEmpty() ? "[" + s.comm() + "]" : String.join(" ", argv)));
                }
            } catch (IOException | RuntimeException e) {
                // exited while being read: not a child any more
            }
        }
        return out;
    }
}
