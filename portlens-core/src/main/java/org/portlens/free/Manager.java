package org.portlens.free;

import java.util.Optional;

/**
 * What keeps a process running and would start it again if it were only signalled: a systemd unit,
 * a container, a launchd job or a Windows service. Immutable; safe to share between threads.
 *
 * @param kind        a system unit, a user unit or a container
 * @param name        the unit ({@code nginx.service}) or the container ({@code docker:3f2a…})
 * @param stopCommand the command that stops it for good ({@code systemctl stop nginx.service}),
 *                    or empty when portlens knows none (a Kubernetes pod)
 */
public record Manager(Kind kind, String name, Optional<String> stopCommand) {

    /** What kind of manager. */
    public enum Kind {
        /** A systemd system service: systemd may restart it ({@code Restart=}). */
        SYSTEMD_UNIT,
        /** A service of a user's systemd instance. */
        USER_UNIT,
        /** A container: its runtime may restart it, and signalling its main process stops the container. */
        CONTAINER,
        /** A launchd job (macOS): launchd starts it again if it is kept alive ({@code KeepAlive}). */
        LAUNCHD_JOB,
        /** A Windows service: the Service Control Manager may restart it (its recovery options). */
        WINDOWS_SERVICE
    }
}
