package org.portlens.discovery.macos;

import java.util.List;
import java.util.Map;
import org.portlens.discovery.command.ProcessRow;
import org.portlens.discovery.command.ShellNames;
import org.portlens.model.Source;

/**
 * Why a macOS process runs, from its ancestry and the launchd jobs {@code launchctl list} showed:
 * launchd itself, the kernel, cron, an interactive shell on a terminal, a launchd job (the process's
 * own or an ancestor's). Pure; safe from any thread.
 */
final class MacSources {

    private final Map<Integer, String> labels;
    private final String domain;

    /**
     * @param labels the running launchd jobs, by pid
     * @param domain whose jobs those are, for the words: "the system's" (root) or "your" (a user)
     */
    MacSources(Map<Integer, String> labels, String domain) {
        this.labels = Map.copyOf(labels);
        this.domain = domain;
    }

    Source of(List<ProcessRow> chain) {
        if (chain.isEmpty()) {
            return Source.unknown("the process was not in ps's list");
        }
        ProcessRow self = chain.get(0);
        if (self.pid() == 1) {
            return new Source(Source.Kind.INIT, self.name(), "launchd (pid 1), the system's init");
        }
        if (self.pid() == 0) {
            return new Source(Source.Kind.KERNEL, self.name(), "kernel_task, the kernel");
        }
        for (int i = 1; i < chain.size(); i++) {
            ProcessRow a = chain.get(i);
            if (ShellNames.bare(a.name()).equals("cron")) {
                return new Source(Source.Kind.CRON, "cron", "started by cron (pid " + a.pid() + ")");
            }
        }
        for (ProcessRow a : chain) {
            if (ShellNames.shell(a.name()) && !a.terminal().isEmpty()) {
                String shell = ShellNames.bare(a.name());
                return new Source(Source.Kind.SHELL, shell, shellDetail(shell, a, chain));
            }
        }
        for (ProcessRow a : chain) {
            String label = labels.get(a.pid());
            if (label != null) {
                return new Source(
                        Source.Kind.LAUNCHD_JOB,
                        label,
                        "launchd job " + label
                                + (a == self ? "" : " (its ancestor " + a.name() + ", pid " + a.pid() + ")"));
            }
        }
        if (self.ppid() == 1) {
            return Source.unknown("started by launchd, but no job in " + domain + " launchctl list runs it; as root"
                    + " `launchctl list` shows the system's daemons, as its user that user's agents");
        }
        return Source.unknown("no launchd job, cron or terminal shell found in its ancestry");
    }

    private static String shellDetail(String shell, ProcessRow at, List<ProcessRow> chain) {
        StringBuilder sb = new StringBuilder("interactive " + shell + " on " + at.terminal());
        for (ProcessRow a : chain) {
            String n = ShellNames.bare(a.name());
            if (n.startsWith("tmux") || n.equals("screen")) {
                sb.append(", inside ")
                        .append(n)
                        .append(" (pid ")
                        .append(a.pid())
                        .append(')');
                break;
            }
        }
        for (ProcessRow a : chain) {
            if (ShellNames.bare(a.name()).equals("sshd")) {
                sb.append(", ssh session (sshd pid ").append(a.pid()).append(')');
                break;
            }
        }
        return sb.toString();
    }
}
