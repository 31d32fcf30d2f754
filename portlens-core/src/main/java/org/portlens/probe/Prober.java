package org.portlens.probe;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.portlens.model.Transport;

/**
 * Finds out what a port speaks by talking to it.
 *
 * <pre>{@code
 * Wire r = Prober.withDefaults().probe(new InetSocketAddress("127.0.0.1", 6379), Transport.TCP,
 *         new Hints(List.of("redis"), List.of("redis-server")));
 * r.protocol();  // "redis"
 * r.version();   // "7.0.15"
 * }</pre>
 *
 * <p>TCP: one connection waits {@link ProbeOptions#bannerWait()} for a server that speaks first; then
 * probes run in order, each on a fresh connection (the silent first one is reused), each bounded by
 * {@link ProbeOptions#probeTimeout()} and {@link ProbeOptions#maxBytes()}, until one matches. The
 * order is the signatures' own (user signatures before the built-in ones) with the plausible ones
 * first: a process name named in a probe's hints counts most, then the port, then an IANA service
 * name. When the most plausible probe is not the banner wait, the wait is skipped: answers of
 * servers that speak first are recognised in any probe's response. No new probe starts after
 * {@link #BUDGET_PROBES} probe timeouts (plus the banner wait and a connect) have passed.
 *
 * <p>With {@link ProbeOptions#connections()} above 1 (as {@link ProbeOptions#loopback()} has, for this
 * host's own listeners) the same steps run side by side instead, each once, on at most that many
 * connections at once; a listener whose process takes none of them from its {@link AcceptQueue} is
 * given up on at once. Other hosts get one probe after another unless asked otherwise.
 *
 * <p>UDP: each probe is one datagram, answered within the probe timeout or not at all.
 *
 * <p>Never throws for network trouble: the result's outcome is {@link Wire.Outcome#NONE}, with the reason in
 * {@link Wire#error()}. Every TCP connection is opened by the {@link Connector} given to the
 * {@link #builder()}.
 *
 * <p>Immutable; safe from any thread, also for many probes at once.
 */
public final class Prober {

    /** How many probe timeouts one identification may spend, beyond the banner wait. */
    public static final int BUDGET_PROBES = 6;

    private final ProbeOptions options;
    private final Connector connector;
    private final List<Signature> extra;
    private final List<Signature> fallback;
    /** The plan and its runs, made on first use: parsing the signatures and compiling their patterns
     * costs a start-up that an explanation with nothing listening never needs. */
    private volatile @Nullable Engines engines;

    /** The signatures in their order and the runs over them. */
    private record Engines(ProbePlan plan, TcpRun tcp, ParallelRun parallel) {}

    private Prober(Builder b) {
        this.options = b.options;
        this.connector = b.connector;
        this.extra = b.extraSignatures;
        this.fallback = b.fallbackSignatures;
        if (!extra.isEmpty() || !fallback.isEmpty()) {
            engines(); // the user's signatures are checked when the prober is built, as documented
        }
    }

    private Engines engines() {
        Engines e = engines;
        if (e == null) {
            synchronized (this) {
                e = engines;
                if (e == null) {
                    List<Signature> all = new ArrayList<>(extra);
                    all.addAll(SignatureFile.builtIn());
                    all.addAll(fallback);
                    ProbePlan plan = new ProbePlan(all);
                    e = new Engines(plan, new TcpRun(plan), new ParallelRun(plan));
                    engines = e;
                }
            }
        }
        return e;
    }

    /**
     * The built-in signatures with {@link ProbeOptions#defaults()}, connecting through {@link Connector#SYSTEM}.
     *
     * @return a new prober with the default configuration
     */
    public static Prober withDefaults() {
        return builder().build();
    }

    /**
     * A builder that starts from {@link ProbeOptions#defaults()}, the built-in signatures only and
     * {@link Connector#SYSTEM}.
     *
     * <pre>{@code
     * Prober p = Prober.builder()
     *         .options(ProbeOptions.loopback())
     *         .extraSignatures(SignatureFile.parse(Files.readString(file), file.toString()))
     *         .build();
     * }</pre>
     *
     * @return a builder with the default configuration
     */
    public static Builder builder() {
        return new Builder(ProbeOptions.defaults(), List.of(), List.of(), Connector.SYSTEM);
    }

    /**
     * The configuration of a {@link Prober}. Immutable; safe from any thread: each method returns a
     * new builder and leaves this one as it was.
     */
    public static final class Builder {
        private final ProbeOptions options;
        private final List<Signature> extraSignatures;
        private final List<Signature> fallbackSignatures;
        private final Connector connector;

        private Builder(
                ProbeOptions options,
                List<Signature> extraSignatures,
                List<Signature> fallbackSignatures,
                Connector connector) {
            this.options = Objects.requireNonNull(options, "options");
            this.extraSignatures = List.copyOf(extraSignatures);
            this.fallbackSignatures = List.copyOf(fallbackSignatures);
            this.connector = Objects.requireNonNull(connector, "connector");
        }

        /**
         * The limits of each identification (default {@link ProbeOptions#defaults()}).
         *
         * @param options the timeouts and byte limit of each identification
         * @return a new builder with these options and the rest of this one
         */
        public Builder options(ProbeOptions options) {
            return new Builder(options, extraSignatures, fallbackSignatures, connector);
        }

        /**
         * Signatures tried before the built-in ones (default none); one with the name and transport
         * of a built-in signature replaces it.
         *
         * @param signatures the user's signatures, in the order to try them; copied
         * @return a new builder with these signatures in place of earlier extra ones
         */
        public Builder extraSignatures(List<Signature> signatures) {
            return new Builder(options, signatures, fallbackSignatures, connector);
        }

        /**
         * Signatures tried after the built-in ones (default none), such as {@link NmapProbes}'; one
         * with the name and transport of an earlier signature is left out.
         *
         * @param signatures the signatures to try last, in order; copied
         * @return a new builder with these signatures in place of earlier fallback ones
         */
        public Builder fallbackSignatures(List<Signature> signatures) {
            return new Builder(options, extraSignatures, signatures, connector);
        }

        /**
         * What opens the TCP connections (default {@link Connector#SYSTEM}).
         *
         * @param connector opens every TCP connection of the prober
         * @return a new builder with this connector and the rest of this one
         */
        public Builder connector(Connector connector) {
            return new Builder(options, extraSignatures, fallbackSignatures, connector);
        }

        /**
         * A prober with the extra signatures first, then the built-in ones, then the fallback ones;
         * of signatures with the same name and transport, the first wins.
         *
         * @return a new prober; the builder can be used again
         * @throws IllegalArgumentException when a tls probe runs an unknown probe inside
         */
        public Prober build() {
            return new Prober(this);
        }
    }

    /**
     * The limits of each identification.
     *
     * @return the options this prober was built with
     */
    public ProbeOptions options() {
        return options;
    }

    /**
     * All signatures in their default order (before hints reorder them).
     *
     * @return the extra, built-in and fallback signatures, the duplicates left out
     */
    public List<Signature> signatures() {
        return engines().plan().signatures();
    }

    /**
     * The names of the steps a probe of {@code port} would try, in order, before any answer cuts
     * the list short: "banner" for the wait for a server that speaks first, else probe names.
     *
     * @param port      the port the probe would go to
     * @param transport tcp or udp
     * @param hints     what is known about the port beforehand
     * @return the step names, most plausible first
     */
    public List<String> order(int port, Transport transport, Hints hints) {
        return engines().plan().order(port, transport, hints);
    }

    /**
     * Identifies what {@code target} speaks. Never throws for network failures.
     *
     * @param target    where to connect; an unresolved address gives outcome {@link Wire.Outcome#NONE}
     * @param transport tcp or udp; any other gives outcome {@link Wire.Outcome#NONE}
     * @param hints     what is known about the port beforehand, to try the likely probes first
     * @return what the port speaks, or outcome {@link Wire.Outcome#NONE} with the reason in {@link Wire#error()}
     */
    public Wire probe(InetSocketAddress target, Transport transport, Hints hints) {
        return probe(target, transport, hints, AcceptQueue.UNKNOWN, options.connections());
    }

    /**
     * Identifies what {@code target}, a listener of this host, speaks; like {@link #probe(InetSocketAddress,
     * Transport, Hints)}, and with {@link ProbeOptions#connections()} above 1 it stops as soon as
     * {@code queue} shows that the listening process takes none of the connections.
     *
     * @param target    where to connect
     * @param transport tcp or udp
     * @param hints     what is known about the port beforehand
     * @param queue     the listener's accept queue, read again at each call
     * @return what the port speaks, or outcome {@link Wire.Outcome#NONE} with the reason in {@link Wire#error()}
     */
    public Wire probe(InetSocketAddress target, Transport transport, Hints hints, AcceptQueue queue) {
        return probe(target, transport, hints, queue, options.connections());
    }

    private Wire probe(InetSocketAddress target, Transport transport, Hints hints, AcceptQueue queue, int connections) {
        Attempt run = new Attempt(target, options, connector, BUDGET_PROBES);
        Engines e = engines();
        ProbePlan plan = e.plan();
        run.evidence().answerMatchers(plan.answerMatchers(transport)); // to describe an answer nothing matched
        if (target.isUnresolved()) {
            return run.evidence().none("unresolved host " + Matching.clean(target.getHostString()));
        }
        return switch (transport) {
            case TCP ->
                connections > 1
                        ? e.parallel().run(run, plan.plan(target.getPort(), Transport.TCP, hints), connections, queue)
                        : e.tcp().run(run, plan.plan(target.getPort(), Transport.TCP, hints));
            case UDP ->
                connections > 1
                        ? UdpSideBySide.run(run, plan.plan(target.getPort(), Transport.UDP, hints), connections)
                        : UdpExchange.run(run, plan.plan(target.getPort(), Transport.UDP, hints));
            default -> run.evidence().none("cannot probe " + transport.label() + ": only tcp and udp");
        };
    }

    /**
     * One endpoint to identify. Immutable; safe from any thread.
     *
     * @param address   where to connect
     * @param transport tcp or udp
     * @param hints     what is known beforehand, to try the likely probes first
     * @param queue     its accept queue when it is a listener of this host, else {@link AcceptQueue#UNKNOWN}
     */
    public record Target(InetSocketAddress address, Transport transport, Hints hints, AcceptQueue queue) {
        /**
         * A target whose accept queue is not known.
         *
         * @param address   where to connect
         * @param transport tcp or udp
         * @param hints     what is known beforehand
         */
        public Target(InetSocketAddress address, Transport transport, Hints hints) {
            this(address, transport, hints, AcceptQueue.UNKNOWN);
        }
    }

    /**
     * How many connections at once each of {@code targets} identified side by side may hold: the
     * options' {@link ProbeOptions#connections()}, shared out so that all of them together hold at
     * most {@link ProbeOptions#MAX_CONNECTIONS}, and never fewer than 2 when the options allow more
     * than 1.
     */
    private int connectionsEach(int targetsAtOnce) {
        int c = options.connections();
        if (c <= 1 || targetsAtOnce <= 1) {
            return c;
        }
        return Math.max(2, Math.min(c, ProbeOptions.MAX_CONNECTIONS / targetsAtOnce));
    }

    /**
     * Identifies every target, at most {@code parallelism} at once, each on connections of its own.
     * Returns one result per target, in the targets' order. A target that could not be probed has a
     * result with outcome {@link Wire.Outcome#NONE} saying why: the calling thread was interrupted
     * before its turn, or the probe failed unexpectedly (a {@link Connector} that threw).
     *
     * @param targets     the endpoints to identify
     * @param parallelism most targets probed at once; at least 1
     * @return one result per target, in the targets' order
     * @throws IllegalArgumentException when parallelism is below 1
     */
    public List<Wire> probeAll(List<Target> targets, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        Wire[] results = new Wire[targets.size()];
        AtomicInteger next = new AtomicInteger();
        Thread[] threads = new Thread[Math.min(parallelism, targets.size())];
        int connections = connectionsEach(threads.length);
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(
                    () -> {
                        int i;
                        while (!Thread.currentThread().isInterrupted()
                                && (i = next.getAndIncrement()) < targets.size()) {
                            Target target = targets.get(i);
                            try {
                                results[i] = probe(
                                        target.address(),
                                        target.transport(),
                                        target.hints(),
                                        target.queue(),
                                        connections);
                            } catch (RuntimeException e) {
                                results[i] = unprobed("probe failed: " + e);
                            }
                        }
                    },
                    "portlens-probe-" + t);
            threads[t].setDaemon(true);
            threads[t].start();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join(); // every worker ends: a probe is bounded by its time budget
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    for (Thread u : threads) {
                        u.interrupt();
                    }
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<Wire> out = new ArrayList<>(results.length);
        for (Wire w : results) {
            out.add(w != null ? w : unprobed("not probed: interrupted"));
        }
        return out;
    }

    private static Wire unprobed(String why) {
        return new Wire(Wire.Outcome.NONE, "", "", "", Map.of(), null, false, 0, "", List.of(), 0, why);
    }
}
