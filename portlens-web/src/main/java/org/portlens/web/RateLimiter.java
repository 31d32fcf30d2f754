package org.portlens.web;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per client address: {@code burst} requests at once, then {@code perMinute} a minute.
 * Buckets of clients gone quiet are dropped, and at most {@value #MAX_CLIENTS} are kept, so a flood
 * from many addresses cannot grow it without bound.
 *
 * <p>Thread-safe.
 */
final class RateLimiter {

    static final int MAX_CLIENTS = 10_000;

    private final double perNano;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(int perMinute, int burst) {
        this.perNano = perMinute / 60e9;
        this.burst = burst;
    }

    /**
     * Takes one request from a client's bucket.
     *
     * @param client the client's address
     * @param now    {@link System#nanoTime()}
     * @return whether the request may go on
     */
    boolean allow(String client, long now) {
        if (buckets.size() >= MAX_CLIENTS && !buckets.containsKey(client)) {
            sweep(now);
            if (buckets.size() >= MAX_CLIENTS) {
                return false;
            }
        }
        Bucket b = buckets.computeIfAbsent(client, k -> new Bucket(burst, now));
        synchronized (b) {
            double tokens = Math.min(burst, b.tokens + (now - b.at) * perNano);
            b.at = now;
            if (tokens < 1) {
                b.tokens = tokens;
                return false;
            }
            b.tokens = tokens - 1;
            return true;
        }
    }

    private void sweep(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            synchronized (b) {
                if (b.tokens + (now - b.at) * perNano >= burst) {
                    it.remove();
                }
            }
        }
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
