package org.portlens.discovery.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.linux.proc.ContainerDirectory;
import org.portlens.discovery.linux.proc.SourceClassifier;
import org.portlens.discovery.linux.proc.Stat;
import org.portlens.discovery.linux.proc.Status;
import org.portlens.discovery.linux.proc.UserDirectory;
import org.portlens.model.Container;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;
import org.portlens.model.Source;

/** Reads one process's details, ancestry and source from /proc. Not thread-safe; one per read of the socket table. */
final class LinuxProcessReader {

    /** USER_HZ: 100 on every Linux architecture portlens runs on (x86, arm, riscv, ppc, s390). */
    static final int CLOCK_TICKS = 100;

    private static final int MAX_ANCESTRY = 64;

    private final ProcRoot root;
    private final UserDirectory users;
    private final Map<Integer, SourceClassifier.Link> links = new HashMap<>();
    private final Map<Integer, ProcessInfo> infos = new HashMap<>();
    private final ContainerDirectory containers;
    /** The container each cgroup text names, looked up once per read. */
    private final Map<String, Optional<Container>> containerOf = new HashMap<>();
    /** Null until read. */
    private @Nullable Instant bootTime;

    LinuxProcessReader(ProcRoot root, UserDirectory users) {
        this.root = root;
        this.users = users;
        // the runtimes' programs (docker inspect, …) only for the live system, when its state does not name one
        this.containers = new ContainerDirectory(
                root.systemRoot(), root.systemRoot().equals(Path.of("/")) ? ContainerDirectory.Cli.SYSTEM : null);
    }

    /**
     * Reads a process.
     *
     * @throws NoSuchFileException when the process is gone
     * @throws IOException           when its stat cannot be read or parsed (the reason is in the message)
     */
    ProcessInfo read(int pid) throws IOException {
        ProcessInfo cached = infos.get(pid);
        if (cached != null) {
            return cached;
        }
        Stat stat;
        try {
            stat = Stat.parse(root.read(pid + "/stat"));
        } catch (IllegalArgumentException e) {
            throw new IOException("process " + pid + ": its stat file could not be parsed (" + e.getMessage() + ")");
        }
        List<String> unreadable = new ArrayList<>();
        int uid = -1;
        try {
            uid = Status.parse(root.read(pid + "/status")).uid();
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            unreadable.add("user: the status file could not be read (" + e.getMessage() + ")");
        }
        List<String> cmdline = commandLine(pid);
        String exe = link(pid, "exe", "executable", unreadable);
        String cwd = link(pid, "cwd", "working directory", unreadable);
        String cgroup = "";
        try {
            cgroup = root.read(pid + "/cgroup");
        } catch (IOException e) {
            unreadable.add("cgroup: " + reason(e));
        }
        List<SourceClassifier.Link> chain = new ArrayList<>();
        chain.add(new SourceClassifier.Link(pid, stat.ppid(), stat.comm(), String.join(" ", cmdline), stat.ttyName()));
        List<ProcessRef> ancestry = new ArrayList<>();
        int next = stat.ppid();
        while (next > 0 && ancestry.size() < MAX_ANCESTRY) {
            Optional<SourceClassifier.Link> ancestor = ancestor(next);
            if (ancestor.isEmpty()) {
                unreadable.add("ancestry: process " + next + " exited while being read");
                break;
            }
            SourceClassifier.Link l = ancestor.get();
            chain.add(l);
            ancestry.add(new ProcessRef(l.pid(), l.comm(), l.command().isEmpty() ? "[" + l.comm() + "]" : l.command()));
            next = l.ppid();
        }
        Source source = SourceClassifier.classify(cgroup, chain);
        Container inside = null;
        if (source.kind() == Source.Kind.CONTAINER) {
            // the runtime's state names the container (name, image, pod); what it could not read is said
            // a rootless container's state is in its user's home: the user whose systemd slice holds it
            // (conmon's cgroup may name no container: then its command line's does, and is the key)
            String command = String.join(" ", cmdline);
            String comm = stat.comm();
            String cgroupText = cgroup;
            String key = comm.equals("conmon") ? cgroup + "\n" + command : cgroup;
            Optional<Container> container = containerOf.computeIfAbsent(
                    key, k -> containers.forProcess(cgroupText, comm, command, rootlessHome(cgroupText)));
            if (container.isPresent()) {
                inside = container.get();
                source = SourceClassifier.named(source, inside);
                for (String note : container.get().notes()) {
                    unreadable.add("container: " + note);
                }
            }
        }
        ProcessInfo info = new ProcessInfo(
                pid,
                stat.ppid(),
                stat.comm(),
                exe,
                cmdline,
                uid,
                uid < 0 ? "?" : users.name(uid),
                startTime(stat.startTicks()),
                cwd,
                ancestry,
                source,
                stat.ttyName(),
                unreadable,
                inside);
        infos.put(pid, info);
        return info;
    }

    /** An ancestor as the classifier sees it, or empty when its stat cannot be read (it exited). */
    private Optional<SourceClassifier.Link> ancestor(int pid) {
        SourceClassifier.Link l = links.get(pid);
        if (l == null) {
            try {
                Stat s = Stat.parse(root.read(pid + "/stat"));
                l = new SourceClassifier.Link(pid, s.ppid(), s.comm(), String.join(" ", commandLine(pid)), s.ttyName());
                links.put(pid, l);
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.of(l);
    }

    private List<String> commandLine(int pid) {
        byte[] raw;
        try {
            raw = root.readBytes(pid, "cmdline");
        } catch (IOException e) {
            return List.of();
        }
        return splitNul(raw);
    }

    /** argv from /proc/PID/cmdline: NUL-separated, usually NUL-terminated. */
    static List<String> splitNul(byte[] raw) {
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < raw.length) {
            args.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
        }
        return args;
    }

    /**
     * The target of a link in the process's directory.
     *
     * @return the target, or null (as {@link ProcessInfo} takes it) when it cannot be read, the
     *         reason then added to {@code unreadable}
     */
    private @Nullable String link(int pid, String name, String what, List<String> unreadable) {
        try {
            return root.readLink(pid, name);
        } catch (IOException e) {
            unreadable.add(what + ": " + reason(e));
            return null;
        }
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied (another user's process; run as root to see it)";
        }
        if (e instanceof NoSuchFileException) {
            return "gone (the process exited, or it is a kernel thread)";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * When the process started, from its start ticks and the boot time in /proc/stat.
     *
     * @return the time, or null (as {@link ProcessInfo} takes it) when /proc/stat has no readable
     *         boot time
     */
    private @Nullable Instant startTime(long ticks) {
        if (bootTime == null) {
            try {
                for (String line : root.read("stat").split("\n")) {
                    if (line.startsWith("btime ")) {
                        bootTime = Instant.ofEpochSecond(
                                Long.parseLong(line.substring(6).strip()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                return null;
            }
            if (bootTime == null) {
                return null;
            }
        }
        return bootTime.plusMillis(ticks * 1000 / CLOCK_TICKS);
    }

    /**
     * The home, under the root the /proc tree belongs to, of the user whose systemd slice a cgroup path
     * is in ({@code user-1000.slice}, {@code user@1000.service}): where a rootless container keeps its
     * state. Null for a path in no user's slice, or a user with no home in the passwd file.
     */
    private @Nullable Path rootlessHome(@Nullable String cgroup) {
        int uid = sliceUser(cgroup);
        if (uid < 0) {
            return null;
        }
        Optional<String> home = users.home(uid);
        return home.isEmpty() ? null : root.systemRoot().resolve(home.get().substring(1));
    }

    /** The uid of the user slice a cgroup path is in, or -1: {@code /user.slice/user-1000.slice/...} gives 1000. */
    static int sliceUser(@Nullable String cgroup) {
        if (cgroup == null) {
            return -1;
        }
        Matcher m = USER_SLICE.matcher(cgroup);
        if (!m.find()) {
            return -1;
        }
        try {
            return Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static final Pattern USER_SLICE = Pattern.compile("/user-(\\d{1,10})\\.slice|/user@(\\d{1,10})\\.service");
}
