package org.portlens.free;

import java.util.List;
import java.util.Optional;
import org.portlens.model.ProcessInfo;

/**
 * What happened when {@link PortFreer#free} tried to free a port. Every kind is an immutable
 * record; safe to share between threads.
 */
public sealed interface Outcome {

    /**
     * The port is free.
     *
     * @param stillRunning signalled processes that let go of the port but still run
     */
    record Freed(List<ProcessInfo> stillRunning) implements Outcome {
        /**
         * Copies the list.
         *
         * @param stillRunning signalled processes that still run; copied
         */
        public Freed {
            stillRunning = List.copyOf(stillRunning);
        }
    }

    /**
     * The processes shown still hold the port after the wait: they ignored or are still handling
     * the signal.
     *
     * @param holders the processes shown that hold it still
     * @param sent    the signal they got
     */
    record StillHeld(List<ProcessInfo> holders, Signal sent) implements Outcome {
        /**
         * Copies the list.
         *
         * @param holders the processes shown that hold it still; copied
         * @param sent    the signal they got
         */
        public StillHeld {
            holders = List.copyOf(holders);
        }
    }

    /**
     * Another process holds the port now: a restart by a parent or a unit, or a new program.
     *
     * @param newcomers the processes that hold it and were not shown
     */
    record TakenOver(List<ProcessInfo> newcomers) implements Outcome {
        /**
         * Copies the list.
         *
         * @param newcomers the processes that hold it and were not shown; copied
         */
        public TakenOver {
            newcomers = List.copyOf(newcomers);
        }
    }

    /**
     * The port is held, by an owner portlens cannot see (hidden, or no process).
     *
     * @param reason why, one line for a person
     */
    record HeldUnseen(String reason) implements Outcome {}

    /**
     * Nothing was sent: the pid no longer names the process shown (it exited, or the pid was
     * reused by a process with another start time).
     *
     * @param shown the process as shown
     * @param now   what the pid names now; empty when nothing does
     */
    record IdentityChanged(ProcessInfo shown, Optional<ProcessInfo> now) implements Outcome {}

    /**
     * The system refused the signal.
     *
     * @param target the process
     * @param reason why, one line for a person
     */
    record NotSent(ProcessInfo target, String reason) implements Outcome {}
}
