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
        SYSTEMD_UNIT,
        USER_UNIT,
        CONTAINER,
        CRON,
        SHELL,
        SESSION,
        INIT,
        KERNEL,
        UNKNOWN;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static Source unknown(String why) {
        return new Source(Kind.UNKNOWN, "", why);
    }
}
