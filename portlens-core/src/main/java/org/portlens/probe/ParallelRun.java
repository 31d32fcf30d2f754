package org.portlens.probe;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.portlens.probe.ProbePlan.Step;

/**
 * The TCP side of an identification with the probes side by side: for this host's own listeners,
 * where a silent port would otherwise cost one probe timeout per probe. The steps are the
 * sequential run's, in the same order; each is tried once, on a connection of its own, by one of at
 * most {@link ProbeOptions#connections()} workers, so the listener never sees more connections at
 * once from one identification. The first connection is made before the others, so a port that
 * refuses gets one connection, not a burst. A step that decides the result wins once the steps
 * before it in the plan have ended, or after {@link #GRACE_MILLIS} (so the more plausible step's
 * answer wins, as in the sequential run), and the other connections are closed; steps after it do
 * not start, and after a soft match only steps that can confirm it start.
 *
 * <p>It gives up early when no probe can still be answered: when nothing has been heard on any
 * connection and every connection it holds still waits in the listener's {@link AcceptQueue}, read
 * twice, {@link #QUEUE_CHECKS_MILLIS} apart.
 *
 * <p>The wait for a banner runs as in the sequential run, only when it is the most plausible step:
 * servers that speak first are recognised in every probe's answer anyway.
 *
 * <p>Safe from any thread: the state of a run is in its {@link Attempt} and locals.
 */
final class ParallelRun {

    /** When the accept queue is read, in ms after the probes started (when nothing was heard). */
    static final long[] QUEUE_CHECKS_MILLIS = {40, 80};

    /**
     * How long a result waits for the steps before it in the plan: answers come in any order side
     * by side, and of two the more plausible step's is the one the sequential run would have given
     * (a DNS server answers an mDNS query too; an HTTP proxy may also speak HTTP/2).
     */
    static final long GRACE_MILLIS = 50;

    private final ProbePlan plan;
    private final TlsExchange tls;

    ParallelRun(ProbePlan plan) {
        this.plan = plan;
        this.tls = new TlsExchange(plan);
    }

    Wire run(Attempt a, List<Step> planned, int connections, AcceptQueue queue) {
        Evidence ev = a.evidence();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            if (!planned.get(i).banner() || i == 0) {
                steps.add(planned.get(i));
            }
        }
        if (steps.isEmpty()) {
            return ev.finish();
        }
        Socket first;
        try {
            first = a.connect();
        } catch (IOException e) {
            return ev.noConnection(Attempt.classifyConnect(e), a.describeConnect(e));
        }
        int workers = Math.min(connections, steps.size());
        Shared run = new Shared(first, workers, steps.size());
        for (int t = 0; t < workers; t++) {
            Thread worker = new Thread(() -> work(a, steps, run), "portlens-probe-step-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        try {
            long started = System.nanoTime();
            int queueFull = 0;
            for (long at : QUEUE_CHECKS_MILLIS) {
                if (!run.awaitUntil(started + TimeUnit.MILLISECONDS.toNanos(at))) {
                    break; // decided, or every step done
                }
                int mine = run.open.size();
                if (ev.heardAnything() || mine == 0) {
                    break;
                }
                OptionalInt waiting = queue.waiting(); // outside the lock: it reads the kernel's tables
                if (waiting.isEmpty() || waiting.getAsInt() < mine) {
                    break; // accepted, or unknown: wait the probes out
                }
                if (++queueFull == QUEUE_CHECKS_MILLIS.length && !ev.heardAnything()) {
                    run.decide(ev.notAccepting(waiting.getAsInt(), mine));
                }
            }
            run.awaitResult(TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.decide(ev.none("interrupted"));
        } finally {
            Socket unused = run.takeFirst();
            if (unused != null) {
                Attempt.close(unused);
            }
        }
        Wire decided = run.decided();
        return decided != null ? decided : ev.finish();
    }

    /** One worker: takes the next step until none is left, the result is decided or time is up. */
    private void work(Attempt a, List<Step> steps, Shared run) {
        Evidence ev = a.evidence();
        try {
            while (!run.over() && !a.outOfTime()) {
                int i = run.next.getAndIncrement();
                if (i >= steps.size()) {
                    return;
                }
                Step step = steps.get(i);
                Signature sig = step.sig();
                Optional<String> soft = ev.softProtocol();
                if ((sig != null && soft.isPresent() && !plan.canConfirm(sig, soft.get())) || run.beyondBest(i)) {
                    run.finished(i);
                    continue;
                }
                Socket s = i == 0 ? run.takeFirst() : null;
                if (s == null) {
                    try {
                        s = a.connect();
                    } catch (IOException e) {
                        ev.lastError(a.describeConnect(e));
                        run.finished(i);
                        continue;
                    }
                }
                if (!run.hold(s)) {
                    run.finished(i);
                    return;
                }
                Wire done;
                try {
                    if (sig != null) {
                        ev.tried(step.name()); // the banner wait notes itself
                    }
                    done = step(a, s, sig);
                } finally {
                    run.release(s);
                }
                if (done != null) {
                    run.offer(i, done);
                    return;
                }
                run.finished(i);
            }
        } catch (RuntimeException e) {
            ev.lastError("probe failed: " + e);
        } finally {
            run.workerDone();
        }
    }

    private @Nullable Wire step(Attempt a, Socket s, @Nullable Signature sig) {
        List<ResponseMatcher> passive = plan.passiveTcpMatchers();
        if (sig == null) {
            PlainExchange.Banner b = PlainExchange.banner(a, s, passive);
            if (b instanceof PlainExchange.Banner.Silent silent) {
                Attempt.close(silent.connection()); // every probe's answer is read for a banner too
            }
            return b instanceof PlainExchange.Banner.Done done ? done.wire() : null;
        }
        return switch (sig.handler()) {
            case NONE -> PlainExchange.probe(a, s, sig, passive);
            case TLS -> tls.probe(a, s, sig, passive);
        };
    }

    /** What the workers and the waiting thread share: the next step, the open connections, the result. */
    private static final class Shared {
        final AtomicInteger next = new AtomicInteger();
        final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private final AtomicReference<@Nullable Socket> first;
        private @Nullable Wire decided;
        private int working;
        /** Steps that ended, with a result or without, by their index in the plan. */
        private final boolean[] finished;
        /** Results of steps, by their index in the plan; the lowest index is the best. */
        private final TreeMap<Integer, Wire> results = new TreeMap<>();

        private long firstResultAt;

        Shared(Socket first, int workers, int steps) {
            this.first = new AtomicReference<>(first);
            this.working = workers;
            this.finished = new boolean[steps];
        }

        /** Step {@code i} ended without a result. */
        synchronized void finished(int i) {
            finished[i] = true;
            notifyAll();
        }

        /** Step {@code i} came to a result; the best of them is decided once the steps before it ended. */
        synchronized void offer(int i, Wire w) {
            finished[i] = true;
            if (results.isEmpty()) {
                firstResultAt = System.nanoTime();
            }
            results.put(i, w);
            notifyAll();
        }

        /** Whether a step before {@code i} already has a result, so {@code i} need not start. */
        synchronized boolean beyondBest(int i) {
            return !results.isEmpty() && results.firstKey() < i;
        }

        /**
         * Waits for the result: the best one once every step before it ended, or once {@code
         * graceNanos} passed since the first; nothing (null) when every step ended without one.
         */
        synchronized void awaitResult(long graceNanos) throws InterruptedException {
            while (decided == null) {
                if (!results.isEmpty()) {
                    int best = results.firstKey();
                    boolean before = true;
                    for (int j = 0; j < best && before; j++) {
                        before = finished[j];
                    }
                    long left = graceNanos - (System.nanoTime() - firstResultAt);
                    if (before || working == 0 || left <= 0) {
                        decide(results.firstEntry().getValue());
                        return;
                    }
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } else if (working == 0) {
                    return;
                } else {
                    wait(1000);
                }
            }
        }

        /** The connection made before the workers started, once; null after. */
        @Nullable
        Socket takeFirst() {
            return first.getAndSet(null);
        }

        synchronized boolean over() {
            return decided != null;
        }

        synchronized @Nullable Wire decided() {
            return decided;
        }

        /**
         * Waits until {@code deadline} (nanoTime) at most; true when it passed with nothing heard
         * back yet and a worker still working, false once a result came, or all are done.
         */
        synchronized boolean awaitUntil(long deadline) throws InterruptedException {
            while (decided == null && working > 0 && results.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return false;
        }

        /** Keeps {@code s} to close when the result is decided; false (and closes it) when it already is. */
        boolean hold(Socket s) {
            open.add(s);
            if (over()) {
                open.remove(s);
                Attempt.close(s);
                return false;
            }
            return true;
        }

        void release(Socket s) {
            open.remove(s);
        }

        synchronized void decide(Wire w) {
            if (decided == null) {
                decided = w;
                for (Socket s : open) {
                    Attempt.close(s);
                }
            }
            notifyAll();
        }

        synchronized void workerDone() {
            working--;
            notifyAll();
        }
    }
}
