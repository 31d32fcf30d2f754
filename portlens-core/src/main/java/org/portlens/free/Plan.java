package org.portlens.free;

import java.util.List;
import org.portlens.discovery.Query;
import org.portlens.model.Listener;
import org.portlens.model.ProcessInfo;

/**
 * What holds a port and what freeing it would mean, as {@link PortFreer#plan} decides it from one
 * read of the socket table. Every kind is an immutable record; safe to share between threads.
 */
public sealed interface Plan {

    /** Nothing listens on the port: nothing to free. */
    record NothingListening() implements Plan {}

    /**
     * An owner could not be seen (another user's process without root) or exited while it was read:
     * portlens does not signal what it cannot show.
     *
     * @param listeners the sockets on the port
     * @param reason    why the owner is unseen and what would help, one line for a person
     * @param hidden    true when the owner is hidden (not allowed to look), false when it exited
     * @param asRoot    whether the socket table was read as root (root would not see more)
     */
    record Unseen(List<Listener> listeners, String reason, boolean hidden, boolean asRoot) implements Plan {
        /**
         * Copies the listeners.
         *
         * @param listeners the sockets on the port; copied
         * @param reason    why the owner is unseen
         * @param hidden    true when the owner is hidden, false when it exited
         * @param asRoot    whether the socket table was read as root
         */
        public Unseen {
            listeners = List.copyOf(listeners);
        }
    }

    /**
     * portlens will not signal what holds the port.
     *
     * @param why       init, the kernel or portlens itself
     * @param listeners the sockets on the port
     * @param process   the process refused; for {@link Refusal#KERNEL} with no process at all, the
     *                  list is empty
     */
    record Refused(Refusal why, List<Listener> listeners, List<ProcessInfo> process) implements Plan {
        /**
         * Copies the lists.
         *
         * @param why       init, the kernel or portlens itself
         * @param listeners the sockets on the port; copied
         * @param process   the process refused, or empty; copied
         */
        public Refused {
            listeners = List.copyOf(listeners);
            process = List.copyOf(process);
        }
    }

    /**
     * Processes hold the port and may be signalled.
     *
     * @param query     the port and transports read, to read again after the signal
     * @param listeners the sockets on the port
     * @param shown     every process shown holding them (a server's workers too)
     * @param targets   the ones to signal: the holders whose parent does not hold the port too
     */
    record Ready(Query query, List<Listener> listeners, List<ProcessInfo> shown, List<Target> targets) implements Plan {
        /**
         * Copies the lists.
         *
         * @param query     the port and transports read
         * @param listeners the sockets on the port; copied
         * @param shown     every process shown holding them; copied
         * @param targets   the ones to signal; copied
         */
        public Ready {
            listeners = List.copyOf(listeners);
            shown = List.copyOf(shown);
            targets = List.copyOf(targets);
        }

        /**
         * Whether a unit or a container would start a target again.
         *
         * @return true when any target has a {@link Manager}
         */
        public boolean managed() {
            return targets.stream().anyMatch(t -> t.manager().isPresent());
        }
    }

    /** Why portlens will not signal the holder of a port. */
    enum Refusal {
        /** Init, pid 1: signalling it would take the system down (or be ignored). */
        INIT,
        /** No process holds the socket (a kernel socket, or one being torn down), or a kernel thread does. */
        KERNEL,
        /** The port is held by this very process. */
        SELF
    }
}
