package org.portlens.store;

import java.time.Instant;

/**
 * One run of a watcher on one host: when it started and when it was last known alive. The last
 * alive time is written at most once a minute (and when the writer closes), so a watcher killed
 * without warning was alive up to a minute longer than {@link #aliveAt()} says. Immutable.
 *
 * @param host      the host watched
 * @param startedAt when the run wrote first
 * @param aliveAt   when it was last known alive
 */
public record WatchRun(String host, Instant startedAt, Instant aliveAt) {}
