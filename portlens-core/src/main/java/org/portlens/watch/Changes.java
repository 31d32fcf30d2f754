package org.portlens.watch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;

/**
 * The events between two reads, as a pure function of the two listener sets. Stateless: safe from
 * any thread.
 *
 * <p>The owner of a place, for telling an owner change, is its <em>principal</em> process: the
 * holder none of whose ancestors holds the socket too (nginx's master, not its workers), the
 * earliest started if several. A change is only reported between two known principals: an owner
 * that could not be read (hidden, exited meanwhile) on either side is not a change.
 */
public final class Changes {

    /** Places in the order events are reported: by transport, port, address, namespace. */
    public static final Comparator<Place> ORDER = Comparator.comparing(Place::transport)
            .thenComparingInt(Place::port)
            .thenComparing(Place::address)
            .thenComparingLong(Place::netns);

    private Changes() {}

    /**
     * The listeners by place, sockets sharing a place merged into one listener (the first socket's,
     * holding every socket's owners).
     *
     * @param listeners the listeners of one read
     * @return one listener per place, in the order first seen
     */
    public static Map<Place, Listener> byPlace(List<Listener> listeners) {
        Map<Place, Listener> out = new LinkedHashMap<>();
        for (Listener l : listeners) {
            out.merge(Place.of(l), l, Changes::merge);
        }
        return out;
    }

    private static Listener merge(Listener a, Listener b) {
        Set<Owner> owners = new LinkedHashSet<>(a.owners());
        owners.addAll(b.owners());
        return new Listener(
                a.transport(), a.local(), a.state(), a.uid(), a.user(), a.inode(), a.namespace(), List.copyOf(owners));
    }

    /**
     * What changed from {@code before} to {@code now}: closes first, then owner changes, then opens,
     * each in {@link #ORDER}.
     *
     * @param before the listeners by place at the last read
     * @param now    the listeners by place at this read
     * @param at     when this read was made
     * @return the events; empty when nothing changed
     */
    public static List<WatchEvent> between(Map<Place, Listener> before, Map<Place, Listener> now, Instant at) {
        List<WatchEvent> closed = new ArrayList<>();
        List<WatchEvent> changed = new ArrayList<>();
        List<WatchEvent> opened = new ArrayList<>();
        for (Map.Entry<Place, Listener> e : before.entrySet()) {
            Listener later = now.get(e.getKey());
            if (later == null) {
                closed.add(new WatchEvent.Closed(at, e.getValue()));
            } else if (ownerChanged(e.getValue(), later)) {
                changed.add(new WatchEvent.OwnerChanged(at, later, e.getValue()));
            }
        }
        for (Map.Entry<Place, Listener> e : now.entrySet()) {
            if (!before.containsKey(e.getKey())) {
                opened.add(new WatchEvent.Opened(at, e.getValue()));
            }
        }
        List<WatchEvent> out = new ArrayList<>(closed.size() + changed.size() + opened.size());
        for (List<WatchEvent> part : List.of(closed, changed, opened)) {
            part.sort(Comparator.comparing(WatchEvent::place, ORDER));
            out.addAll(part);
        }
        return out;
    }

    /**
     * Every listener of a first read, as {@link WatchEvent.Present} events in {@link #ORDER}.
     *
     * @param now the listeners by place
     * @param at  when the read was made
     * @return one event per place
     */
    public static List<WatchEvent> present(Map<Place, Listener> now, Instant at) {
        List<WatchEvent> out = new ArrayList<>();
        for (Listener l : now.values()) {
            out.add(new WatchEvent.Present(at, l));
        }
        out.sort(Comparator.comparing(WatchEvent::place, ORDER));
        return out;
    }

    /** Whether both reads know the principal owner and it is another process (pid, or start time for a reused pid). */
    static boolean ownerChanged(Listener before, Listener now) {
        ProcessInfo a = principal(before);
        ProcessInfo b = principal(now);
        if (a == null || b == null) {
            return false;
        }
        return a.pid() != b.pid() || !Objects.equals(a.startTime(), b.startTime());
    }

    /**
     * The principal holder of a listener: a known owner none of whose ancestors is also an owner,
     * the earliest started (then lowest pid) if there are several.
     *
     * @param l a listener
     * @return the principal process, or null when no owner is known
     */
    public static @Nullable ProcessInfo principal(Listener l) {
        List<ProcessInfo> holders = l.processes();
        if (holders.isEmpty()) {
            return null;
        }
        Set<Integer> pids = new HashSet<>();
        holders.forEach(p -> pids.add(p.pid()));
        ProcessInfo best = null;
        for (ProcessInfo p : holders) {
            if (hasHoldingAncestor(p, pids)) {
                continue;
            }
            if (best == null || earlier(p, best)) {
                best = p;
            }
        }
        return best != null ? best : holders.get(0);
    }

    private static boolean hasHoldingAncestor(ProcessInfo p, Set<Integer> pids) {
        if (p.ppid() != p.pid() && pids.contains(p.ppid())) {
            return true;
        }
        for (ProcessRef r : p.ancestry()) {
            if (r.pid() != p.pid() && pids.contains(r.pid())) {
                return true;
            }
        }
        return false;
    }

    private static boolean earlier(ProcessInfo p, ProcessInfo q) {
        if (p.startTime() != null && q.startTime() != null && !p.startTime().equals(q.startTime())) {
            return p.startTime().isBefore(q.startTime());
        }
        if (p.startTime() != null && q.startTime() == null) {
            return true;
        }
        return p.startTime() == null && q.startTime() != null ? false : p.pid() < q.pid();
    }
}
