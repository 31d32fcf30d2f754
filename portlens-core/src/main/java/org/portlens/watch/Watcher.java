package org.portlens.watch;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.ListenerFeed;
import org.portlens.model.Listener;

/**
 * Reads a {@link ListenerFeed} again and again and says what changed each time. The first
 * {@link #poll()} reports every listener as {@link WatchEvent.Present}; each later one reports
 * only changes, each change once. Not thread-safe: one thread polls.
 *
 * <p>{@link #pause(Duration, double)} keeps the watcher's own cost bounded: it waits the interval asked
 * for, or longer when the reads are so costly that waiting only that long would spend more than
 * the allowed share of a core.
 */
public final class Watcher {

    /** The longest wait between reads, in intervals, however costly the reads. */
    public static final int MAX_STRETCH = 10;

    private final ListenerFeed feed;
    private final Clock clock;
    private @Nullable Map<Place, Listener> last;
    private @Nullable Discovery lastRead;
    /** The cost of the last few reads: their mean sets the pace, so a one-off (JIT, a binding) passes. */
    private final long[] recent = new long[5];

    private int reads;

    /**
     * @param feed  where the listeners are read from
     * @param clock the time stamped on events
     */
    public Watcher(ListenerFeed feed, Clock clock) {
        this.feed = feed;
        this.clock = clock;
    }

    /**
     * Reads once and returns what changed since the last read.
     *
     * @return the events of this read, in the order {@link Changes#between} gives
     */
    public List<WatchEvent> poll() {
        long t0 = System.nanoTime();
        long cpu0 = cpuNanos();
        Discovery d = feed.next();
        long cpu1 = cpuNanos();
        // what the read cost this process (every thread, the JIT and GC too), or its time where the
        // OS does not say
        if (last != null) { // the first read learns every owner: not what the next ones cost
            recent[reads++ % recent.length] = cpu0 >= 0 && cpu1 >= cpu0 ? cpu1 - cpu0 : System.nanoTime() - t0;
        }
        Map<Place, Listener> now = Changes.byPlace(d.listeners());
        Map<Place, Listener> before = last;
        last = now;
        lastRead = d;
        return before == null ? Changes.present(now, clock.instant()) : Changes.between(before, now, clock.instant());
    }

    /** This process's CPU time so far, or -1 when the OS does not say. */
    private static long cpuNanos() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(Duration::toNanos)
                .orElse(-1L);
    }

    /**
     * The last read, for what it could not see and for audits.
     *
     * @return the last read
     * @throws IllegalStateException before the first {@link #poll()}
     */
    public Discovery lastRead() {
        Discovery d = lastRead;
        if (d == null) {
            throw new IllegalStateException("no read yet");
        }
        return d;
    }

    /**
     * How long to wait before the next read: {@code interval}, stretched so that the CPU time a
     * read costs this process (the mean of the last five, or the last read's if that is less) is
     * at most {@code maxShare} of the time
     * between two reads, but never beyond {@link #MAX_STRETCH} times the interval: a watch that
     * cannot afford its reads still reads, and the cost shows in its CPU use.
     *
     * @param interval the interval asked for
     * @param maxShare the largest share of time spent reading (0.02 for 2%), in (0, 1]
     * @return the time to wait
     */
    public Duration pause(Duration interval, double maxShare) {
        int n = Math.min(reads, recent.length);
        if (n == 0) {
            return interval;
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += recent[i];
        }
        long last = recent[(reads - 1) % recent.length];
        // the mean, so a one-off passes; the last read when it was cheaper, so that a watch whose
        // reads just became cheap (netlink bound) paces on what they cost now
        return pause(interval, maxShare, Duration.ofNanos(Math.min(sum / n, last)));
    }

    /**
     * {@link #pause(Duration, double)} for a given read time.
     *
     * @param interval the interval asked for
     * @param maxShare the largest share of time spent reading, in (0, 1]
     * @param read     how long a read took
     * @return the time to wait
     */
    static Duration pause(Duration interval, double maxShare, Duration read) {
        if (!(maxShare > 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("share of time spent reading must be in (0, 1], not " + maxShare);
        }
        // read / (read + wait) <= share  <=>  wait >= read * (1 - share) / share
        long floor = Math.min((long) (read.toNanos() * (1 - maxShare) / maxShare), interval.toNanos() * MAX_STRETCH);
        long wanted = interval.toNanos() - read.toNanos();
        return Duration.ofNanos(Math.max(Math.max(wanted, floor), 0));
    }
}
