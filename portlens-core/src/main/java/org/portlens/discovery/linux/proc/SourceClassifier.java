package org.portlens.discovery.linux.proc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
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

    private static final Pattern HEX64 = Pattern.compile("([0-9a-f]{64})");
    private static final Pattern DOCKER = Pattern.compile("(?:docker-|/docker/)([0-9a-f]{12,64})");
    private static final Pattern PODMAN = Pattern.compile("libpod-(?:conmon-)?([0-9a-f]{12,64})");
    private static final Pattern CRI_CONTAINERD = Pattern.compile("cri-containerd-([0-9a-f]{12,64})");
    private static final Pattern CRIO = Pattern.compile("crio-(?:conmon-)?([0-9a-f]{12,64})");
    private static final Pattern POD_UID = Pattern.compile("pod([0-9a-f_-]{36})");
    private static final Pattern LXC = Pattern.compile("(?:lxc\\.payload\\.|/lxc/)([^/]+)");
    private static final Pattern CONTAINERD = Pattern.compile("/containerd/([^/]+)|nerdctl-([0-9a-f]{12,64})");
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
        String path = cgroupPath(cgroup);
        // Every hierarchy, not only the chosen one: on a cgroup v1/v2 hybrid host a Docker (cgroupfs
        // driver) or Kubernetes container shows "/docker/ID" or "/kubepods/..." in its v1 lines while its
        // 0:: line still names the runtime's unit, "0::/system.slice/containerd.service".
        for (String p : cgroupPaths(cgroup)) {
            Source container = container(p);
            if (container != null) {
                return container;
            }
        }
        Link self = chain.isEmpty() ? null : chain.get(0); // null: no process to look at
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
     * The unified (v2) cgroup path, or the systemd v1 one, or the longest other. A v2 path of "/"
     * says nothing (a hybrid host whose v1 hierarchies hold the process's place), so a more specific
     * v1 path wins over it.
     *
     * @param cgroup the content of /proc/PID/cgroup; null or blank when unreadable
     * @return the path, or null when the text holds none
     */
    static @Nullable String cgroupPath(@Nullable String cgroup) {
        List<String> paths = cgroupPaths(cgroup);
        for (String p : paths) {
            if (!p.equals("/")) {
                return p;
            }
        }
        return paths.isEmpty() ? null : paths.get(0);
    }

    /**
     * Every path in a /proc/PID/cgroup text: the v2 one first, then the systemd v1 one, then the
     * others, longest first; none for null or blank text.
     */
    static List<String> cgroupPaths(@Nullable String cgroup) {
        if (cgroup == null || cgroup.isBlank()) {
            return List.of();
        }
        String unified = null;
        String systemd = null;
        List<String> others = new ArrayList<>();
        for (String line : cgroup.split("\n")) {
            int second = line.indexOf(':', line.indexOf(':') + 1);
            if (second < 0) {
                continue;
            }
            String path = line.substring(second + 1).strip();
            if (line.startsWith("0::")) {
                unified = path;
            } else if (line.contains(":name=systemd:")) {
                systemd = path;
            } else {
                others.add(path);
            }
        }
        others.sort(Comparator.comparingInt(String::length).reversed());
        List<String> out = new ArrayList<>();
        if (unified != null) {
            out.add(unified);
        }
        if (systemd != null) {
            out.add(systemd);
        }
        out.addAll(others);
        return out;
    }

    /** The container a cgroup path names, or null when it names none. */
    private static @Nullable Source container(@Nullable String path) {
        if (path == null) {
            return null;
        }
        Matcher m;
        if (path.contains("kubepods")) {
            Matcher id = HEX64.matcher(path);
            String cid = "";
            while (id.find()) {
                cid = id.group(1);
            }
            Matcher pod = POD_UID.matcher(path);
            String podUid = pod.find() ? pod.group(1).replace('_', '-') : "";
            String runtime = path.contains("cri-containerd")
                    ? "containerd"
                    : path.contains("crio") ? "cri-o" : path.contains("docker") ? "docker" : "";
            return new Source(
                    Source.Kind.CONTAINER,
                    "kubernetes:" + cid,
                    "kubernetes container " + shortId(cid) + (podUid.isEmpty() ? "" : " in pod " + podUid)
                            + (runtime.isEmpty() ? "" : " (" + runtime + ")"));
        }
        if ((m = DOCKER.matcher(path)).find()) {
            return container("docker", m.group(1));
        }
        if ((m = PODMAN.matcher(path)).find()) {
            return container("podman", m.group(1));
        }
        if ((m = CRI_CONTAINERD.matcher(path)).find()) {
            return container("containerd", m.group(1));
        }
        if ((m = CRIO.matcher(path)).find()) {
            return container("cri-o", m.group(1));
        }
        if ((m = LXC.matcher(path)).find()) {
            return container("lxc", m.group(1));
        }
        if ((m = CONTAINERD.matcher(path)).find()) {
            return container("containerd", m.group(1) != null ? m.group(1) : m.group(2));
        }
        return null;
    }

    private static Source container(String runtime, String id) {
        return new Source(Source.Kind.CONTAINER, runtime + ":" + id, runtime + " container " + shortId(id));
    }

    private static String shortId(String id) {
        return id.length() > 12 && HEX64.matcher(id).matches() ? id.substring(0, 12) : id;
    }
}
