package org.portlens.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.portlens.model.PortRange;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.Registry;

/**
 * The search of the home page and of {@code /api/search}: a port ({@code 3640}), a range ({@code
 * 8000-8100}), or words matched against service names, descriptions and people.
 *
 * <p>Immutable; safe from any thread.
 *
 * @param query  the query as given, stripped
 * @param ports  the port or range the query names, or null for words
 * @param hits   the registry's records, best first
 * @param more   whether more records matched than were returned
 */
public record Search(String query, @Nullable PortRange ports, List<Registry.Hit> hits, boolean more) {

    /** Longest query accepted, in characters. */
    public static final int MAX_QUERY = 200;

    /** Most hits returned. */
    public static final int LIMIT = 50;

    private static final Pattern RANGE = Pattern.compile("(\\d{1,5})(?:\\s*[-–]\\s*(\\d{1,5}))?");

    /** Copies the hits. */
    public Search {
        hits = List.copyOf(hits);
    }

    /**
     * Runs a search.
     *
     * @param registry the registry
     * @param raw      what the reader typed
     * @return the search; empty hits for a blank query
     * @throws IllegalArgumentException for a query longer than {@link #MAX_QUERY}, or a number beyond 65535
     */
    public static Search run(Registry registry, String raw) {
        if (raw.length() > MAX_QUERY) {
            throw new IllegalArgumentException("q must be at most " + MAX_QUERY + " characters, got " + raw.length());
        }
        String q = raw.strip();
        Matcher m = RANGE.matcher(q);
        if (m.matches()) {
            int low = Integer.parseInt(m.group(1));
            int high = m.group(2) == null ? low : Integer.parseInt(m.group(2));
            if (low > 65535 || high > 65535) {
                throw new IllegalArgumentException("a port is 0-65535, got " + q);
            }
            if (high < low) {
                throw new IllegalArgumentException("a range goes low-high, got " + q);
            }
            PortRange range = new PortRange(low, high);
            List<Registry.Hit> hits = new ArrayList<>();
            for (IanaRecord r : registry.overlapping(range)) {
                if (r.unassigned()) {
                    continue;
                }
                if (hits.size() == LIMIT) {
                    return new Search(q, range, hits, true);
                }
                hits.add(new Registry.Hit(r, 100));
            }
            return new Search(q, range, hits, false);
        }
        if (q.isEmpty()) {
            return new Search(q, null, List.of(), false);
        }
        List<Registry.Hit> hits = registry.search(q, LIMIT + 1);
        boolean more = hits.size() > LIMIT;
        return new Search(q, null, more ? hits.subList(0, LIMIT) : hits, more);
    }

    /** @return the single port the query names, or -1 */
    public int port() {
        return ports != null && ports.single() ? ports.low() : -1;
    }
}
