package org.portlens.discovery;

/**
 * Successive reads of the same query, for a watcher: each {@link #next()} is a full answer, but an
 * implementation may reuse what it learnt before (the owners of sockets it has already seen) so
 * that a read where nothing changed costs little. Not thread-safe: one watcher calls it.
 */
@FunctionalInterface
public interface ListenerFeed {

    /**
     * Reads the listeners now.
     *
     * @return every listener the query asks for, as of this read
     */
    Discovery next();
}
