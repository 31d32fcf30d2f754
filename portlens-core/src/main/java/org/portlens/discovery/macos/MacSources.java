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
    private final String target;

    /**
     * @param labels the running launchd jobs, by pid
     * @param domain whose jobs those are, for the words: "the system's" (root) or "your" (a user)
     * @param target the launchd domain they are in, as launchctl names a service ({@code system/LABEL},
     *               {@code gui/501/LABEL}): {@code system}, {@code gui/501}, or empty when not known
     */
    MacSources(Map<Integer, String> labels, String domain, String target) {
        this.labels = Map.copyOf(labels);
        this.domain = domain;
        this.target = target;
    }

    /**
     * The sources of a read made as root (the system's daemons) or as a user (that user's agents and apps,
     * in its gui domain).
     *
     * @param labels the running launchd jobs, by pid
     * @param root   whether launchctl ran as root
     * @param uid    the user's uid, or -1 when not known
     */
    static MacSources of(Map<Integer, String> labels, boolean root, int uid) {
        return new MacSources(labels, root ? "the system's" : "your", root ? "system" : uid >= 0 ? "gui/" + uid : "");
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
            if (label == null) {
                continue;
            }
            String through = a == self ? "" : ", through its ancestor " + a.name() + " (pid " + a.pid() + ")";
            if (label.startsWith("application.")) {
                // an app LaunchServices opened: launchd runs it for the session, and does not keep it alive
                return new Source(
                        Source.Kind.SESSION, label, "an app opened in the user's session (" + label + ")" + through);
            }
            // named as launchctl names the service: system/LABEL, gui/501/LABEL
            String name = target.isEmpty() ? label : target + "/" + label;
            return new Source(Source.Kind.LAUNCHD_JOB, name, "launchd job " + name + through);
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
