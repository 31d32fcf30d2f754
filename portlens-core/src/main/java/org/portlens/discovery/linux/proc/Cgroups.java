package org.portlens.discovery.linux.proc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.portlens.model.ContainerRuntime;

/**
 * The one place that reads {@code /proc/PID/cgroup} text: its paths (cgroup v1, v2 and hybrid
 * hosts), and the container runtime and id a path names. A pure function of text. Stateless; safe
 * from any thread.
 */
public final class Cgroups {

    /**
     * The container a cgroup path names. Immutable; safe from any thread.
     *
     * @param runtime    the runtime the path names; {@link ContainerRuntime#UNKNOWN} for a Kubernetes path that names none
     * @param id         the container id (64 hex digits), or the name for LXC and systemd-nspawn; may be
     *                   empty for a Kubernetes pod-level path
     * @param kubernetes whether the path is under kubelet's {@code kubepods}
     * @param podUid     the pod's UID for a Kubernetes path, with dashes; else empty
     */
    record ContainerRef(ContainerRuntime runtime, String id, boolean kubernetes, String podUid) {}

    private static final Pattern HEX64 = Pattern.compile("([0-9a-f]{64})");
    private static final Pattern DOCKER = Pattern.compile("(?:docker-|/docker/)([0-9a-f]{12,64})");
    private static final Pattern PODMAN = Pattern.compile("libpod-(?:conmon-)?([0-9a-f]{12,64})");
    private static final Pattern CRI_CONTAINERD = Pattern.compile("cri-containerd-([0-9a-f]{12,64})");
    private static final Pattern CRIO = Pattern.compile("crio-(?:conmon-)?([0-9a-f]{12,64})");
    private static final Pattern POD_UID = Pattern.compile("pod([0-9a-f_-]{36})");
    private static final Pattern LXC = Pattern.compile("(?:lxc\\.payload\\.|/lxc/)([^/]+)");
    private static final Pattern CONTAINERD = Pattern.compile("/containerd/([^/]+)|nerdctl-([0-9a-f]{12,64})");
    /** systemd-nspawn@NAME.service (machinectl start), or machine-NAME.scope (systemd-nspawn run by hand). */
    private static final Pattern NSPAWN =
            Pattern.compile("/machine\\.slice/(?:systemd-nspawn@([^/]+)\\.service|machine-([^/]+)\\.scope)");

    private Cgroups() {}

    /**
     * The unified (v2) cgroup path, or the systemd v1 one, or the longest other. A v2 path of "/"
     * says nothing (a hybrid host whose v1 hierarchies hold the process's place), so a more specific
     * v1 path wins over it.
     *
     * @param cgroup the content of /proc/PID/cgroup; null or blank when unreadable
     * @return the path, or null when the text holds none
     */
    static @Nullable String path(@Nullable String cgroup) {
        List<String> paths = paths(cgroup);
        for (String p : paths) {
            if (!p.equals("/")) {
                return p;
            }
        }
        return paths.isEmpty() ? null : paths.get(0);
    }

    /**
     * The cgroup that names what keeps a process running: the unified (v2) path, else systemd's v1 one;
     * null when both are missing or the root ({@code /}), which every process of a host without units,
     * or of a container's cgroup namespace, shares. Other v1 controllers' paths do not count.
     *
     * @param cgroup the content of /proc/PID/cgroup; null or blank when unreadable
     * @return the path, or null
     */
    public static @Nullable String unit(@Nullable String cgroup) {
        String systemd = null;
        if (cgroup == null) {
            return null;
        }
        for (String line : cgroup.split("\n", -1)) {
            int second = line.indexOf(':', line.indexOf(':') + 1);
            if (second < 0) {
                continue;
            }
            String path = line.substring(second + 1).strip();
            if (path.isEmpty() || path.equals("/")) {
                continue;
            }
            if (line.startsWith("0::")) {
                return path;
            }
            if (line.contains(":name=systemd:")) {
                systemd = path;
            }
        }
        return systemd;
    }

    /**
     * Every path in a /proc/PID/cgroup text: the v2 one first, then the systemd v1 one, then the
     * others, longest first; none for null or blank text.
     */
    static List<String> paths(@Nullable String cgroup) {
        if (cgroup == null || cgroup.isBlank()) {
            return List.of();
        }
        String unified = null;
        String systemd = null;
        List<String> others = new ArrayList<>();
        for (String line : cgroup.split("\n", -1)) {
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

    /** conmon's container id option: {@code -c ID} or {@code --cid ID} (or {@code --cid=ID}). */
    private static final Pattern CONMON_ID = Pattern.compile("(?:^|\\s)(?:-c|--cid)[\\s=]([0-9a-f]{12,64})(?:\\s|$)");

    /**
     * The container a conmon process monitors, from its command line: Podman's and CRI-O's monitor, which
     * also holds a container's published ports to reserve them, and whose cgroup names no container when
     * the runtime uses the cgroupfs manager ({@code /libpod_parent/conmon}).
     *
     * @param comm    the process's name
     * @param command its command line, the arguments joined by spaces
     * @return the container, Podman's when the command line names podman (its exit command), else CRI-O's;
     *     null for any other process
     */
    static @Nullable ContainerRef conmon(String comm, String command) {
        if (!comm.equals("conmon")) {
            return null;
        }
        Matcher m = CONMON_ID.matcher(command);
        if (!m.find()) {
            return null;
        }
        return new ContainerRef(
                command.contains("podman") ? ContainerRuntime.PODMAN : ContainerRuntime.CRI_O, m.group(1), false, "");
    }

    /**
     * The container a /proc/PID/cgroup text names, in any of its hierarchies: on a cgroup v1/v2
     * hybrid host a Docker (cgroupfs driver) or Kubernetes container shows "/docker/ID" or
     * "/kubepods/..." in its v1 lines while its 0:: line still names the runtime's unit,
     * "0::/system.slice/containerd.service".
     *
     * @return the container, or null when no path names one
     */
    static @Nullable ContainerRef container(@Nullable String cgroup) {
        for (String p : paths(cgroup)) {
            ContainerRef c = containerOfPath(p);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /** The container one cgroup path names, or null when it names none. */
    static @Nullable ContainerRef containerOfPath(String path) {
        if (path.contains("kubepods")) {
            Matcher id = HEX64.matcher(path);
            String cid = "";
            while (id.find()) {
                cid = id.group(1);
            }
            Matcher pod = POD_UID.matcher(path);
            String podUid = pod.find() ? pod.group(1).replace('_', '-') : "";
            ContainerRuntime runtime = path.contains("cri-containerd")
                    ? ContainerRuntime.CONTAINERD
                    : path.contains("crio")
                            ? ContainerRuntime.CRI_O
                            : path.contains("docker") ? ContainerRuntime.DOCKER : ContainerRuntime.UNKNOWN;
            return new ContainerRef(runtime, cid, true, podUid);
        }
        String id = group(DOCKER, path);
        if (id != null) {
            return plain(ContainerRuntime.DOCKER, id);
        }
        id = group(PODMAN, path);
        if (id != null) {
            return plain(ContainerRuntime.PODMAN, id);
        }
        id = group(CRI_CONTAINERD, path);
        if (id != null) {
            return plain(ContainerRuntime.CONTAINERD, id);
        }
        id = group(CRIO, path);
        if (id != null) {
            return plain(ContainerRuntime.CRI_O, id);
        }
        id = group(LXC, path);
        if (id != null) {
            return plain(ContainerRuntime.LXC, id);
        }
        id = group(CONTAINERD, path);
        if (id != null) {
            return plain(ContainerRuntime.CONTAINERD, id);
        }
        id = group(NSPAWN, path);
        if (id != null) {
            String name = unescapeUnitName(id);
            // libvirt registers its virtual machines with machined too: machine-qemu-1-NAME.scope
            return name.startsWith("qemu-") ? null : plain(ContainerRuntime.SYSTEMD_NSPAWN, name);
        }
        return null;
    }

    /** The first non-null group of the first match, or null when the pattern does not match. */
    private static @Nullable String group(Pattern p, String path) {
        Matcher m = p.matcher(path);
        if (!m.find()) {
            return null;
        }
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null) {
                return m.group(g);
            }
        }
        return null;
    }

    private static ContainerRef plain(ContainerRuntime runtime, String id) {
        return new ContainerRef(runtime, id, false, "");
    }

    /** systemd's unit-name escapes undone: {@code \x2d} is '-'; anything else stays as it is. */
    static String unescapeUnitName(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
                int hi = Character.digit(s.charAt(i + 2), 16);
                int lo = Character.digit(s.charAt(i + 3), 16);
                if (hi >= 0 && lo >= 0) {
                    sb.append((char) (hi * 16 + lo));
                    i += 3;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
