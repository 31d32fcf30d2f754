package org.portlens.model;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What identifies the program of a process, for comparing it with a known use's software: never its
 * pid, and never words of its name taken apart.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param executable the file name of the process's real executable ({@code redis-server} for
 *                   {@code /usr/bin/redis-server}, without the kernel's {@code " (deleted)"}), or
 *                   {@code ""} when the executable is hidden
 * @param comm       the kernel's short name (cut at 15 characters; a process may set it)
 * @param unit       the systemd unit (system or user), launchd job or Windows service that runs the process ({@code nginx.service}),
 *                   or {@code ""} when none does
 * @param packages   the names of the Debian or RPM packages that own the executable; empty when not
 *                   known
 * @param argv       the command line, argv[0] first
 */
public record OwnerIdentity(String executable, String comm, String unit, Set<String> packages, List<String> argv) {

    /**
     * Copies the packages and the command line.
     *
     * @param executable the file name of the real executable, or {@code ""} when hidden
     * @param comm       the kernel's short name
     * @param unit       the systemd unit, launchd job or Windows service that runs the process, or {@code ""}
     * @param packages   the packages that own the executable; copied
     * @param argv       the command line; copied
     */
    public OwnerIdentity {
        packages = Set.copyOf(packages);
        argv = List.copyOf(argv);
    }

    /**
     * The identity of a process as portlens reads it today: the owning package is not looked up, so
     * {@link #packages()} is empty.
     *
     * @param p the process
     * @return its identity, with no packages
     */
    public static OwnerIdentity of(ProcessInfo p) {
        return of(p, Set.of());
    }

    /**
     * The identity of a process, with the packages that own its executable (as {@code dpkg -S} or
     * {@code rpm -qf} name them).
     *
     * @param p        the process
     * @param packages the packages that own its executable; empty when not known
     * @return its identity
     */
    public static OwnerIdentity of(ProcessInfo p, Set<String> packages) {
        Source s = p.source();
        boolean unit = s.kind().unit();
        return new OwnerIdentity(
                fileName(p.executablePath()), p.name(), unit ? s.name() : "", packages, p.commandLine());
    }

    private static String fileName(@Nullable String exe) {
        if (exe == null) {
            return "";
        }
        return exe.substring(exe.lastIndexOf('/') + 1);
    }
}
