package org.portlens.model;

import java.util.Locale;

/**
 * Why a process runs: what started it and keeps it alive.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param kind    the kind of source
 * @param name    the unit, container id, shell or terminal, as fits the kind; may be empty
 * @param detail  one line for a person ("systemd unit nginx.service", "docker container 3f2a…")
 */
public record Source(Kind kind, String name, String detail) {

    /** What kind of thing keeps a process running. */
    public enum Kind {
        /** A systemd system unit, such as {@code nginx.service}; also systemd's own {@code init.scope}. */
        SYSTEMD_UNIT,
        /** A unit of a user's systemd instance. */
        USER_UNIT,
        /** A container: Docker, Podman, containerd, CRI-O, LXC or Kubernetes. */
        CONTAINER,
        /** A cron daemon among its ancestors; on Windows, the Task Scheduler. */
        CRON,
        /** A shell on a terminal among its ancestors (or the process itself). */
        SHELL,
        /** A login session, with no terminal shell in its ancestry. */
        SESSION,
        /** Init itself, pid 1. */
        INIT,
        /** A kernel thread (Linux), {@code kernel_task} (macOS), the System process (Windows). */
        KERNEL,
        /** A launchd job (macOS), by its label, such as {@code homebrew.mxcl.nginx}. */
        LAUNCHD_JOB,
        /** A Windows service, by its name, such as {@code RpcSs}. */
        WINDOWS_SERVICE,
        /** None of the above could be found; {@link Source#detail()} says why. */
        UNKNOWN;

        /**
         * The name in lower case with dashes, as shown and in JSON.
         *
         * @return such as {@code systemd-unit} or {@code container}
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * Whether a service manager runs it by a name that a policy can expect: a systemd unit (system
         * or user), a launchd job, a Windows service.
         *
         * @return true for {@link #SYSTEMD_UNIT}, {@link #USER_UNIT}, {@link #LAUNCHD_JOB} and {@link
         *     #WINDOWS_SERVICE}
         */
        public boolean unit() {
            return this == SYSTEMD_UNIT || this == USER_UNIT || this == LAUNCHD_JOB || this == WINDOWS_SERVICE;
        }
    }

    /**
     * A source that could not be found.
     *
     * @param why what was looked for and not found, one line for a person
     * @return a source of kind {@link Kind#UNKNOWN} with an empty name and {@code why} as its detail
     */
    public static Source unknown(String why) {
        return new Source(Kind.UNKNOWN, "", why);
    }
}
