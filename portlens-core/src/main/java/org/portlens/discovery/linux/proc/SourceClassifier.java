package org.portlens.discovery.linux.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portlens.model.Container;
import org.portlens.model.ContainerRuntime;
import org.portlens.model.Source;

/**
 * Decides why a process runs from its cgroup file and its ancestry: a container, cron, an
 * interactive shell, a systemd unit, a login session, init, a kernel thread. A pure function of
 * text, so it is tested on recorded input. Stateless; safe from any thread.
 */
public final class SourceClassifier {

    /**
     * What the classifier needs to know of one process in the chain (the process itself first).
     * Immutable; safe from any thread.
     *
     * @param pid     process id
     * @param ppid    parent process id
     * @param comm    the kernel's short name
     * @param command the command line joined by spaces, or empty
     * @param tty     the controlling terminal ("pts/3"), or empty
     */
    public record Link(int pid, int ppid, String comm, String command, String tty) {}

    static final Set<String> SHELLS = Set.of(
            "bash", "sh", "dash", "zsh", "fish", "ksh", "mksh", "tcsh", "csh", "ash", "busybox", "nu", "xonsh", "pwsh");
    static final Set<String> CRONS = Set.of("cron", "crond", "anacron", "fcron", "cronie");

    private static final Pattern UNIT = Pattern.compile("([^/]+\\.(?:service|scope))$");
    private static final Pattern USER_SLICE = Pattern.compile("user@(\\d+)\\.service");
    private static final Pattern SESSION = Pattern.compile("session-([^/]+)\\.scope$");

    private SourceClassifier() {}

    /**
     * Classifies a process.
     *
     * @param cgroup the content of /proc/PID/cgroup, or empty (or null) when unreadable
     * @param chain  the process first, then its parent, grandparent, … as far as could be read
     */
    public static Source classify(String cgroup, List<Link> chain) {
        String path = Cgroups.path(cgroup);
        Cgroups.ContainerRef container = Cgroups.container(cgroup);
        if (container != null) {
            return source(container);
        }
        Link self = chain.isEmpty() ? null : chain.get(0); // null: no process to look at
        Cgroups.ContainerRef monitored = self == null ? null : Cgroups.conmon(self.comm(), self.command());
        if (monitored != null) {
            Source s = source(monitored);
            return new Source(s.kind(), s.name(), MONITOR + s.detail());
        }
        if (self != null && self.pid() == 1) {
            return new Source(Source.Kind.INIT, self.comm(), "init (pid 1, " + self.comm() + ")");
        }
        if (self != null && (self.pid() == 2 || self.ppid() == 2)) {
            return new Source(Source.Kind.KERNEL, self.comm(), "kernel thread");
        }
        for (int i = 1; i < chain.size(); i++) {
            Link a = chain.get(i);
            if (CRONS.contains(a.comm())) {
                return new Source(Source.Kind.CRON, a.comm(), "started by " + a.comm() + " (pid " + a.pid() + ")");
            }
        }
        for (Link a : chain) {
            if (SHELLS.contains(a.comm()) && !a.tty().isEmpty()) {
                return new Source(Source.Kind.SHELL, a.comm(), shellDetail(a, chain));
            }
        }
        if (path != null) {
            Matcher session = SESSION.matcher(path);
            Matcher unit = UNIT.matcher(path);
            Matcher user = USER_SLICE.matcher(path);
            if (path.equals("/init.scope")) {
                return new Source(Source.Kind.SYSTEMD_UNIT, "init.scope", "systemd's own scope (init.scope)");
            }
            if (session.find()) {
                return new Source(
                        Source.Kind.SESSION,
                        "session-" + session.group(1) + ".scope",
                        "login session " + session.group(1) + " (no terminal shell found in its ancestry)");
            }
            if (unit.find()) {
                String name = unit.group(1);
                if (user.find()) {
                    return new Source(
                            Source.Kind.USER_UNIT, name, "systemd user unit " + name + " (user " + user.group(1) + ")");
                }
                return new Source(Source.Kind.SYSTEMD_UNIT, name, "systemd unit " + name);
            }
        }
        if (self != null && self.ppid() == 1) {
            return Source.unknown("no unit, container, cron job or terminal found; its parent is init, so it was"
                    + " probably daemonized from a shell or script that has since exited");
        }
        return Source.unknown("no unit, container, cron job or terminal found in its cgroup or ancestry");
    }

    private static String shellDetail(Link shell, List<Link> chain) {
        StringBuilder sb = new StringBuilder("interactive " + shell.comm() + " on " + shell.tty());
        for (Link a : chain) {
            String c = a.comm().toLowerCase(Locale.ROOT);
            if (c.startsWith("tmux")) {
                sb.append(", inside tmux (pid ").append(a.pid()).append(')');
                break;
            }
            if (c.equals("screen")) {
                sb.append(", inside screen (pid ").append(a.pid()).append(')');
                break;
            }
        }
        for (Link a : chain) {
            if (a.comm().equals("sshd") || a.command().startsWith("sshd:")) {
                String who = a.command().startsWith("sshd:")
                        ? a.command().substring(5).strip()
                        : "";
                sb.append(", ssh session")
                        .append(who.isEmpty() ? "" : " " + who)
                        .append(" (sshd pid ")
                        .append(a.pid())
                        .append(')');
                break;
            }
        }
        return sb.toString();
    }

    /**
     * The source of a process in a container, with what the runtime's state says of it: its name and
     * image, or its Kubernetes pod and container name. The source's name (runtime and id) stays as it
     * was; a source of another kind, or a container whose state gave no name, is returned unchanged.
     *
     * @param source the source {@link #classify} found
     * @param c      the container the runtime's state describes
     * @return the source with a detail such as {@code docker container web-1 (image nginx:1.27, 3f2a9c1d5e6b)}
     */
    public static Source named(Source source, Container c) {
        if (source.kind() != Source.Kind.CONTAINER) {
            return source;
        }
        List<String> facts = new ArrayList<>();
        if (!c.image().isEmpty()) {
            facts.add("image " + c.image());
        }
        String detail;
        Container.Kubernetes k = c.kubernetes();
        if (k != null && !k.pod().isEmpty()) {
            String pod = k.namespace().isEmpty() ? k.pod() : k.namespace() + "/" + k.pod();
            detail = (k.container().isEmpty() ? "kubernetes pod sandbox" : "kubernetes container " + k.container())
                    + " in pod " + pod;
            if (c.runtime() != ContainerRuntime.UNKNOWN) {
                facts.add(c.runtime().label());
            }
        } else if (!c.name().isEmpty()) {
            detail = c.runtime().label() + " container " + c.name();
        } else {
            return source;
        }
        if (!c.id().isEmpty()) {
            facts.add(c.shortId());
        }
        String monitor = source.detail().startsWith(MONITOR) ? MONITOR : "";
        return new Source(source.kind(), source.name(), monitor + detail + " (" + String.join(", ", facts) + ")");
    }

    /** A container as a source: the runtime and id, and for Kubernetes the pod's UID. */
    /** How the source of a container's monitor (conmon) begins. */
    static final String MONITOR = "the monitor (conmon) of ";

    private static Source source(Cgroups.ContainerRef c) {
        if (c.kubernetes()) {
            return new Source(
                    Source.Kind.CONTAINER,
                    "kubernetes:" + c.id(),
                    "kubernetes container " + shortId(c.id()) + (c.podUid().isEmpty() ? "" : " in pod " + c.podUid())
                            + (c.runtime() == ContainerRuntime.UNKNOWN
                                    ? ""
                                    : " (" + c.runtime().label() + ")"));
        }
        String runtime = c.runtime().label();
        return new Source(Source.Kind.CONTAINER, runtime + ":" + c.id(), runtime + " container " + shortId(c.id()));
    }

    private static String shortId(String id) {
        return Container.unnamed(ContainerRuntime.UNKNOWN, id, List.of()).shortId();
    }
}
