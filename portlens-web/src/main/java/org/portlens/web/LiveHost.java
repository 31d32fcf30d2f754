package org.portlens.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.portlens.Explainer;
import org.portlens.Explanation;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.model.Listener;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.packages.PackageLookup;
import org.portlens.policy.Audit;
import org.portlens.policy.AuditSentences;
import org.portlens.policy.Policy;
import org.portlens.policy.PolicyFinding;
import org.portlens.probe.Prober;
import org.portlens.registry.KnownUses;
import org.portlens.registry.Registry;
import org.portlens.watch.WatchEvent;
import org.portlens.watch.Watcher;
import org.portlens.web.json.Json;

/**
 * What is on this host now, for the live pages, the API and the metrics: explanations of single ports
 * (kept for {@link #FRESH}; one read at a time per port however many ask at once, the others served
 * the last answer meanwhile if it is younger than {@link #STALE}), and the whole
 * listener table, read by one watcher while anyone follows {@code /listeners} and handed to them as
 * events.
 *
 * <p>Thread-safe.
 */
final class LiveHost implements AutoCloseable {

    /** How long an answer is reused: a page hammered by many readers reads the host once a second. */
    static final Duration FRESH = Duration.ofSeconds(1);

    /**
     * While one request reads the host again, the others get the last answer if it is younger than
     * this, rather than all waiting for the read: a page hammered by many never stalls on it.
     */
    static final Duration STALE = Duration.ofSeconds(3);

    private final Explainer explainer;
    private final Explainer registryOnly;
    private final Supplier<Registry> registry;
    private final SocketTable sockets;
    private final @Nullable Policy policy;
    private final Duration interval;
    private final Clock clock;

    private final Map<String, Slot> explanations = new ConcurrentHashMap<>();
    private final List<Follower> followers = new CopyOnWriteArrayList<>();

    /** How often a follower is sent a comment, so that a client that went away is noticed. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    /** One who follows the table: gets each change as a JSON line, and heartbeats. Must not block. */
    interface Follower {
        void change(String json);

        void heartbeat();
    }

    private @Nullable Watcher watcher;
    private @Nullable Table table;
    private @Nullable Thread poller;
    private volatile boolean closed;
    private volatile @Nullable String registryDate;

    /** A value and when it was made. */
    record Timed<T>(T value, Instant at) {}

    /** The listener table and what the policy says of it. */
    record Table(
            Discovery discovery,
            Instant at,
            Map<String, List<String>> findings,
            @Nullable Audit audit,
            Duration took) {}

    LiveHost(
            Supplier<Registry> registry,
            @Nullable Prober prober,
            SocketTable sockets,
            @Nullable Policy policy,
            Duration interval,
            Clock clock) {
        this.registry = registry;
        // the known uses parsed once, not at every explanation
        KnownUses uses = KnownUses.bundled();
        Explainer.Builder b = Explainer.builder().registry(registry).knownUses(uses);
        this.registryOnly = b.build();
        b = b.socketTable(sockets).packages(PackageLookup.system());
        this.explainer = (prober == null ? b : b.prober(prober)).build();
        this.sockets = sockets;
        this.policy = policy;
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * A port explained, reusing an answer younger than {@link #FRESH}.
     *
     * @param port      0-65535
     * @param transport one, or null for both
     * @return the explanation and when it was made
     */
    Timed<Explanation> explain(int port, @Nullable Transport transport) {
        String key = port + "/" + (transport == null ? "" : transport.label());
        if (explanations.size() > 1024 && !explanations.containsKey(key)) {
            explanations.clear(); // bounded: a crawl over every port keeps no more
        }
        Slot slot = explanations.computeIfAbsent(key, k -> new Slot());
        Timed<Explanation> v = slot.value;
        if (v != null && age(v).compareTo(FRESH) < 0) {
            return v;
        }
        CompletableFuture<Timed<Explanation>> mine = null;
        CompletableFuture<Timed<Explanation>> running;
        synchronized (slot) {
            running = slot.running;
            if (running == null) {
                mine = new CompletableFuture<>();
                slot.running = mine;
            }
        }
        if (mine == null && running != null) {
            // another request reads the host now: an answer up to STALE old is given meanwhile
            if (v != null && age(v).compareTo(STALE) < 0) {
                return v;
            }
            try {
                return running.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
            }
        }
        if (mine == null) {
            throw new IllegalStateException("unreachable: no read under way and none started");
        }
        try {
            Explanation e = explainer.explain(PortRange.of(port), Optional.ofNullable(transport));
            Timed<Explanation> t = new Timed<>(e, clock.instant());
            slot.value = t;
            mine.complete(t);
            return t;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (slot) {
                slot.running = null;
            }
        }
    }

    private Duration age(Timed<?> t) {
        return Duration.between(t.at(), clock.instant());
    }

    /** One port's last answer and the read under way, if any. */
    private static final class Slot {
        volatile @Nullable Timed<Explanation> value;

        @Nullable
        CompletableFuture<Timed<Explanation>> running;
    }

    /**
     * A port explained from the registry alone: no read of the host.
     *
     * @param port      0-65535
     * @param transport one, or null for both
     * @return the explanation
     */
    Explanation registryOnly(int port, @Nullable Transport transport) {
        return registryOnly.explain(PortRange.of(port), Optional.ofNullable(transport));
    }

    /** @return the registry, loaded at the first call */
    Registry registry() {
        return registry.get();
    }

    /** @return the date of the registry in use */
    String registryDate() {
        String d = registryDate;
        if (d == null) {
            d = registry.get().info().updated(); // walks every record: once
            registryDate = d;
        }
        return d;
    }

    /**
     * The listener table, read now unless the last read is younger than {@link #FRESH}.
     *
     * @return the table
     */
    synchronized Table table() {
        Table t = table;
        if (t != null && Duration.between(t.at(), clock.instant()).compareTo(FRESH) < 0) {
            return t;
        }
        poll();
        Table now = table;
        if (now == null) {
            throw new IllegalStateException("no read");
        }
        return now;
    }

    /** One read of the whole table; events go to the followers. */
    private synchronized List<WatchEvent> poll() {
        if (watcher == null) {
            watcher = new Watcher(
                    sockets.feed(new Query(EnumSet.of(Transport.TCP, Transport.UDP), Optional.empty())), clock);
        }
        long t0 = System.nanoTime();
        List<WatchEvent> events = watcher.poll();
        Discovery d = watcher.lastRead();
        Map<String, List<String>> findings = new HashMap<>();
        Audit audit = null;
        if (policy != null) {
            audit = Audit.of(policy, d);
            for (PolicyFinding f : audit.findings()) {
                if (f.subject().isPresent()) {
                    findings.computeIfAbsent(ListenerView.id(f.subject().get()), k -> new ArrayList<>())
                            .add(AuditSentences.of(f));
                }
            }
        }
        Table t = new Table(d, clock.instant(), findings, audit, Duration.ofNanos(System.nanoTime() - t0));
        table = t;
        // whoever read (the poller, a page, a scrape), the followers get every change
        if (!followers.isEmpty()) {
            for (WatchEvent e : events) {
                if (e.kind() == WatchEvent.Kind.PRESENT) {
                    continue; // a follower starts from the table it was given
                }
                String line;
                try {
                    line = Json.COMPACT.writeValueAsString(row(e.kind().label(), e.listener(), t));
                } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
                    throw new IllegalStateException(x);
                }
                for (Follower f : followers) {
                    f.change(line);
                }
            }
        }
        return events;
    }

    /**
     * Follows the table: the follower gets every change as one JSON line ({@code kind}, {@code id},
     * {@code row}) until {@link #unfollow}, from whichever thread read the host.
     *
     * @param follower called with the lock of this object held: it must hand the line on, not write it
     */
    void follow(Follower follower) {
        followers.add(follower);
        startPoller();
    }

    /**
     * Hands {@code first} the table as of now and follows it from there, both under this object's lock,
     * so that no change falls between the table and the first event.
     *
     * @param follower the follower
     * @param first    called with the table before any change is sent; must not block
     */
    synchronized void follow(Follower follower, java.util.function.Consumer<Table> first) {
        first.accept(table());
        follow(follower);
    }

    void unfollow(Follower follower) {
        followers.remove(follower);
    }

    /** @return how many follow the table now */
    int followers() {
        return followers.size();
    }

    private synchronized void startPoller() {
        if (poller != null && poller.isAlive()) {
            return;
        }
        Thread t = new Thread(this::run, "portlens-listeners");
        t.setDaemon(true);
        poller = t;
        t.start();
    }

    private void run() {
        long lastBeat = System.nanoTime();
        while (!closed && !followers.isEmpty()) {
            try {
                poll();
                if (System.nanoTime() - lastBeat >= HEARTBEAT.toNanos()) {
                    lastBeat = System.nanoTime();
                    for (Follower f : followers) {
                        f.heartbeat();
                    }
                }
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a failed read is tried again at the next interval
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        synchronized (this) {
            poller = null;
        }
        if (!followers.isEmpty() && !closed) {
            startPoller(); // one followed while this thread was leaving
        }
    }

    /**
     * One listener as the page script reads it: the JSON schema's listener, and its id, scope label,
     * owner summary and policy findings.
     */
    static ObjectNode row(String kind, Listener l, Table t) {
        ListenerView v = new ListenerView(l, null, "", null, t.findings().getOrDefault(ListenerView.id(l), List.of()));
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kind", kind);
        n.put("id", v.id());
        n.put("transport", v.transport());
        n.put("hostPort", v.hostPort());
        n.put("port", v.port());
        n.put("scope", v.scope());
        n.put("scopeKey", v.scopeKey());
        n.put("namespace", v.namespace());
        n.put("owner", v.ownerSummary());
        n.putPOJO("findings", v.findings());
        n.set("listener", Json.listener(l));
        return n;
    }

    /** @return the rows of the table, by id, in the table's order */
    static Map<String, ListenerView> views(Table t) {
        Map<String, ListenerView> out = new LinkedHashMap<>();
        for (Listener l : t.discovery().listeners()) {
            ListenerView v =
                    new ListenerView(l, null, "", null, t.findings().getOrDefault(ListenerView.id(l), List.of()));
            out.putIfAbsent(v.id(), v);
        }
        return out;
    }

    @Nullable
    Policy policy() {
        return policy;
    }

    @Override
    public void close() {
        closed = true;
        Thread t = poller;
        if (t != null) {
            t.interrupt();
        }
    }
}
