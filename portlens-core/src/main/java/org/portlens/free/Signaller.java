package org.portlens.free;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.portlens.model.ProcessInfo;

/**
 * Sends a signal to one process: the seam between the decisions of {@link PortFreer} and the
 * operating system. Implementations are safe for concurrent use.
 */
public interface Signaller {

    /**
     * Sends {@code signal} to {@code target}, which the caller has just checked is still the
     * process it showed.
     *
     * @param target the process, as shown and re-checked
     * @param signal what to send
     * @return empty when sent; otherwise why it could not be, one line for a person
     */
    Optional<String> send(ProcessInfo target, Signal signal);

    /**
     * The real one: {@link ProcessHandle#destroy()} for TERM and {@link ProcessHandle#destroyForcibly()}
     * for KILL, on a handle whose start time is checked against the one shown. The JDK binds a
     * handle to the process's start time and sends nothing once the pid names another process.
     *
     * @return the signaller of this JVM's operating system
     */
    static Signaller system() {
        return (target, signal) -> {
            Optional<ProcessHandle> handle = ProcessHandle.of(target.pid());
            if (handle.isEmpty()) {
                return Optional.of("pid " + target.pid() + " exited before the signal");
            }
            if (handle.get().pid() == ProcessHandle.current().pid()) {
                return Optional.of("pid " + target.pid() + " is portlens itself");
            }
            // the handle is bound to the start time of the process the pid names now: it must be
            // the one shown (the same tick of /proc/PID/stat; a second allows for rounding)
            Instant shown = target.startTime();
            Optional<Instant> bound = handle.get().info().startInstant();
            if (shown != null
                    && bound.isPresent()
                    && Duration.between(shown, bound.get()).abs().compareTo(Duration.ofSeconds(1)) > 0) {
                return Optional.of(
                        "pid " + target.pid() + " is now another process (started " + bound.get() + "): not signalled");
            }
            boolean sent = signal == Signal.KILL
                    ? handle.get().destroyForcibly()
                    : handle.get().destroy();
            return sent
                    ? Optional.empty()
                    : Optional.of("the system refused to signal pid " + target.pid() + " (user " + target.user()
                            + "): not allowed, or it exited; run as root or as " + target.user());
        };
    }
}
