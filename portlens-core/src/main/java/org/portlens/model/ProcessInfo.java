package org.portlens.model;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What portlens could read about one process. Fields it could not read are null (or empty),
 * and {@link #unreadable()} says which and why.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param pid        process id
 * @param ppid       parent process id (0 for pid 1 and kernel threads' parent)
 * @param name       the kernel's short name (comm)
 * @param executable path of the executable, or null when hidden
 * @param commandLine the arguments, argv[0] first; empty for kernel threads
 * @param uid        the real user id
 * @param user       the user name for {@code uid}, or the number as text when not in passwd
 * @param startTime  when the process started, or null if unknown
 * @param workingDirectory the current directory, or null when hidden
 * @param ancestry   parent, grandparent, … up to pid 1
 * @param source     why it runs
 * @param tty        the controlling terminal ("pts/3"), or empty
 * @param unreadable one line per field that could not be read, with the reason
 * @param container  the container the process runs in, as its runtime's state describes it; null
 *                   when it runs in none (or no container runtime names its cgroup)
 */
public record ProcessInfo(
        int pid,
        int ppid,
        String name,
        @Nullable String executable,
        List<String> commandLine,
        int uid,
        String user,
        @Nullable Instant startTime,
        @Nullable String workingDirectory,
        List<ProcessRef> ancestry,
        Source source,
        String tty,
        List<String> unreadable,
        @Nullable Container container) {

    /**
     * Copies the lists.
     *
     * @param pid              process id
     * @param ppid             parent process id
     * @param name             the kernel's short name (comm)
     * @param executable       path of the executable, or null when hidden
     * @param commandLine      the arguments, argv[0] first; copied
     * @param uid              the real user id
     * @param user             the user name for {@code uid}, or the number as text
     * @param startTime        when the process started, or null if unknown
     * @param workingDirectory the current directory, or null when hidden
     * @param ancestry         parent, grandparent, … up to pid 1; copied
     * @param source           why it runs
     * @param tty              the controlling terminal, or empty
     * @param unreadable       one line per field that could not be read; copied
     * @param container        the container the process runs in, or null
     */
    public ProcessInfo {
        commandLine = List.copyOf(commandLine);
        ancestry = List.copyOf(ancestry);
        unreadable = List.copyOf(unreadable);
    }

    /**
     * A process in no container.
     *
     * @param pid              process id
     * @param ppid             parent process id
     * @param name             the kernel's short name (comm)
     * @param executable       path of the executable, or null when hidden
     * @param commandLine      the arguments, argv[0] first; copied
     * @param uid              the real user id
     * @param user             the user name for {@code uid}, or the number as text
     * @param startTime        when the process started, or null if unknown
     * @param workingDirectory the current directory, or null when hidden
     * @param ancestry         parent, grandparent, … up to pid 1; copied
     * @param source           why it runs
     * @param tty              the controlling terminal, or empty
     * @param unreadable       one line per field that could not be read; copied
     */
    public ProcessInfo(
            int pid,
            int ppid,
            String name,
            @Nullable String executable,
            List<String> commandLine,
            int uid,
            String user,
            @Nullable Instant startTime,
            @Nullable String workingDirectory,
            List<ProcessRef> ancestry,
            Source source,
            String tty,
            List<String> unreadable) {
        this(
                pid,
                ppid,
                name,
                executable,
                commandLine,
                uid,
                user,
                startTime,
                workingDirectory,
                ancestry,
                source,
                tty,
                unreadable,
                null);
    }

    /**
     * The container's name as people use it: Kubernetes' {@code namespace/pod/container}, else the
     * runtime's name, else its short id; empty for a process in no container.
     *
     * @return such as {@code web-1}, {@code shop/api-7d9f/api} or {@code 3f2a9c1d5e6b}
     */
    public String containerName() {
        Container c = container;
        if (c == null) {
            return "";
        }
        Container.Kubernetes k = c.kubernetes();
        if (k != null && !k.pod().isEmpty()) {
            return (k.namespace().isEmpty() ? "" : k.namespace() + "/")
                    + k.pod()
                    + (k.container().isEmpty() ? "" : "/" + k.container());
        }
        return c.name().isEmpty() ? c.shortId() : c.name();
    }

    /**
     * The command line joined by spaces, or {@code [name]} for a process without one.
     *
     * @return the command as one line, not escaped
     */
    public String command() {
        return commandLine.isEmpty() ? "[" + name + "]" : String.join(" ", commandLine);
    }

    /** What the kernel appends to {@code /proc/PID/exe} when the file was deleted or replaced. */
    private static final String DELETED = " (deleted)";

    /**
     * The executable's path without the kernel's {@code " (deleted)"}: a server whose binary a
     * package upgrade replaced still runs the program that was at that path.
     *
     * @return the path, or null when it could not be read
     */
    public @Nullable String executablePath() {
        return executable != null && executableDeleted()
                ? executable.substring(0, executable.length() - DELETED.length())
                : executable;
    }

    /**
     * Whether the executable was deleted or replaced since the process started.
     *
     * @return true when the kernel marks its path {@code " (deleted)"}
     */
    public boolean executableDeleted() {
        return executable != null && executable.endsWith(DELETED);
    }
}
