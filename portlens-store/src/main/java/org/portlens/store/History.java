package org.portlens.store;

import java.util.List;

/**
 * The answer to a {@link HistoryQuery}: the events in time order (oldest first), and the watch runs
 * of the host(s) asked about that overlap the time asked about. Immutable.
 *
 * @param events the events, oldest first; the newest {@link HistoryQuery#limit()} when there were more
 * @param runs   the watch runs overlapping the query's time, oldest first
 * @param more   true when older events were left out by the limit
 */
public record History(List<StoredEvent> events, List<WatchRun> runs, boolean more) {

    /**
     * Copies the lists.
     *
     * @param events the events, oldest first; copied
     * @param runs   the watch runs, oldest first; copied
     * @param more   true when older events were left out by the limit
     */
    public History {
        events = List.copyOf(events);
        runs = List.copyOf(runs);
    }
}
