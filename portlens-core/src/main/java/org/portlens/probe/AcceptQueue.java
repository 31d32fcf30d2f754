package org.portlens.probe;

import java.util.OptionalInt;

/**
 * How many connections wait in a listener's accept queue right now: connections the kernel has
 * completed that the listening process has not yet taken with {@code accept()}. Read again from the
 * kernel at each call. Only this host's own listeners have one to read; for any other it is
 * {@link #UNKNOWN}.
 *
 * <p>A prober asks it when none of its connections has heard anything: when every connection it
 * holds is still waiting in the queue, the process is not accepting (busy, stopped or hung), no
 * probe can be answered, and the identification stops at once.
 *
 * <p>Implementations must be safe to call from any thread: a prober calls it from its own.
 */
@FunctionalInterface
public interface AcceptQueue {

    /** Nothing known: the identification waits out its probes. */
    AcceptQueue UNKNOWN = OptionalInt::empty;

    /**
     * The connections waiting in the queue now.
     *
     * @return how many, or empty when the queue could not be read
     */
    OptionalInt waiting();
}
