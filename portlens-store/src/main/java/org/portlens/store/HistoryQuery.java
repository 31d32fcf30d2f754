package org.portlens.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.portlens.model.Transport;

/**
 * What to read from the history: the events of one port, optionally of one transport, between two
 * times, of one host or of all. Build it with {@link #port(int)} and the {@code with…} methods.
 * Immutable.
 *
 * @param port      the port, 0-65535
 * @param transport tcp or udp, or null for both
 * @param since     the earliest event time (inclusive), or null for no bound
 * @param until     the latest event time (exclusive), or null for no bound
 * @param host      the host, or null for the store's own host
 * @param allHosts  true for every host (then {@code host} is ignored)
 * @param limit     at most this many events, the newest (at least 1)
 */
public record HistoryQuery(
        int port,
        @Nullable Transport transport,
        @Nullable Instant since,
        @Nullable Instant until,
        @Nullable String host,
        boolean allHosts,
        int limit) {

    /** The default limit: more than any one port's history of a year of normal use. */
    public static final int DEFAULT_LIMIT = 1000;

    /**
     * Checks the port and the limit.
     *
     * @param port      the port, 0-65535
     * @param transport tcp or udp, or null for both
     * @param since     the earliest event time (inclusive), or null
     * @param until     the latest event time (exclusive), or null
     * @param host      the host, or null for the store's own host
     * @param allHosts  true for every host
     * @param limit     at most this many events (at least 1)
     * @throws IllegalArgumentException naming the bad value
     */
    public HistoryQuery {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    /**
     * Every event of a port on this host, both transports, any time, up to {@link #DEFAULT_LIMIT}.
     *
     * @param port the port
     * @return the query
     */
    public static HistoryQuery port(int port) {
        return new HistoryQuery(port, null, null, null, null, false, DEFAULT_LIMIT);
    }

    /**
     * The same query for one transport.
     *
     * @param t tcp or udp, or null for both
     * @return the query
     */
    public HistoryQuery withTransport(@Nullable Transport t) {
        return new HistoryQuery(port, t, since, until, host, allHosts, limit);
    }

    /**
     * The same query from a time on.
     *
     * @param t the earliest event time (inclusive), or null
     * @return the query
     */
    public HistoryQuery withSince(@Nullable Instant t) {
        return new HistoryQuery(port, transport, t, until, host, allHosts, limit);
    }

    /**
     * The same query up to a time.
     *
     * @param t the latest event time (exclusive), or null
     * @return the query
     */
    public HistoryQuery withUntil(@Nullable Instant t) {
        return new HistoryQuery(port, transport, since, t, host, allHosts, limit);
    }

    /**
     * The same query for another host.
     *
     * @param h the host name as its watcher wrote it, or null for the store's own host
     * @return the query
     */
    public HistoryQuery withHost(@Nullable String h) {
        return new HistoryQuery(port, transport, since, until, h, false, limit);
    }

    /**
     * The same query for every host.
     *
     * @return the query
     */
    public HistoryQuery withAllHosts() {
        return new HistoryQuery(port, transport, since, until, null, true, limit);
    }

    /**
     * The same query with another limit.
     *
     * @param n at most this many events (at least 1)
     * @return the query
     */
    public HistoryQuery withLimit(int n) {
        return new HistoryQuery(port, transport, since, until, host, allHosts, n);
    }
}
