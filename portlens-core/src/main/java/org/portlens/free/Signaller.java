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
            // the one shown (both come from the same tick of /proc/PID/stat and btime; 50 ms
            // allows for rounding to milliseconds, and is less than any real pid reuse takes)
            Instant shown = target.startTime();
            Optional<Instant> bound = handle.get().info().startInstant();
            if (shown != null && bound.isPresent() && !sameStart(shown, bound.get())) {
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

    /**
     * Whether a start time shown and the one the JVM's handle is bound to name the same start: within 50
     * ms, or, for a time read to the whole second (macOS's {@code ps -o lstart}), within that second.
     *
     * @param shown as the process was shown
     * @param bound as {@link ProcessHandle.Info#startInstant()} gives it
     * @return true when they agree
     */
    static boolean sameStart(Instant shown, Instant bound) {
        Duration slack = Duration.ofMillis(50);
        if (shown.getNano() == 0) {
            // read to the second: the handle's time lies in [shown, shown + 1 s)
            return !bound.isBefore(shown.minus(slack))
                    && bound.isBefore(shown.plusSeconds(1).plus(slack));
        }
        return Duration.between(shown, bound).abs().compareTo(slack) <= 0;
    }
}
