package org.portlens.free;

import java.util.Locale;
import java.util.Optional;

/** The signals {@code portlens free} sends. Immutable; safe from any thread. */
public enum Signal {
    /** SIGTERM (15): asks the process to exit; it may clean up, or ignore it. */
    TERM,
    /** SIGKILL (9): ends the process; it cannot be caught or ignored. */
    KILL;

    /**
     * Reads a signal as a person types it: {@code TERM}, {@code SIGTERM}, {@code 15}, {@code KILL},
     * {@code SIGKILL} or {@code 9}, in any case.
     *
     * @param text what was typed
     * @return the signal, or empty when {@code text} names none of these
     */
    public static Optional<Signal> parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.startsWith("SIG")) {
            t = t.substring(3);
        }
        switch (t) {
            case "TERM":
            case "15":
                return Optional.of(TERM);
            case "KILL":
            case "9":
                return Optional.of(KILL);
            default:
                return Optional.empty();
        }
    }
}
