package org.portlens.scan;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.portlens.internal.Addresses;
import org.portlens.model.Transport;

/**
 * One scan of one host: hands out the ports to a few {@link SweepThread}s in chunks, keeps the
 * state of every port in one byte array (each port is written by exactly one worker), reports progress
 * on the caller's thread, and turns the states into a {@link ScanReport}.
 */
final class Sweep {

    /** Ports handed to a worker at a time: small enough to balance two threads, large enough not to contend. */
    static final int CHUNK = 256;
    /** Below this many ports per thread a second thread is not worth starting. */
    static final int PORTS_PER_THREAD = 1024;

    final InetAddress address;
    final int[] ports;
    final byte[] states = new byte[PortSet.MAX_PORT + 1];
    final ScanOptions options;
    final int workerCount;
    /** In-flight probes allowed per worker. */
    final int capacityPerWorker;

    private final AtomicInteger cursor = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger selfConnects = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<SweepThread> workers = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    Sweep(InetAddress address, PortSet ports, ScanOptions options, OpenFileLimit limit) {
        this.address = address;
        this.ports = ports.toArray();
        this.options = options;
        this.workerCount = Math.max(1, Math.min(options.threads(), this.ports.length / PORTS_PER_THREAD));
        this.capacityPerWorker = Math.max(1, limit.budget(options.maxInFlight()) / workerCount);
    }

    /** Makes the workers of a sweep. (An interface implemented by plain classes: no lambdas at start-up.) */
    interface WorkerFactory {
        SweepThread newWorker(Sweep sweep);
    }

    /** The start index of the next chunk of {@link #ports} for a worker, or -1 when all are handed out. */
    int claim() {
        if (stopped) {
            return -1;
        }
        int start = cursor.getAndAdd(CHUNK);
        return start < ports.length ? start : -1;
    }

    boolean stopped() {
        return stopped;
    }

    void addDone(int n) {
        done.addAndGet(n);
    }

    void addSelfConnects(int n) {
        selfConnects.addAndGet(n);
    }

    /** A worker died: remember the first cause and stop the others. */
    void fail(Throwable t) {
        failure.compareAndSet(null, t);
        stop();
    }

    /** Makes every worker close its sockets and end, waking those blocked in select. */
    private void stop() {
        stopped = true;
        for (SweepThread w : workers) {
            w.wakeUp();
        }
    }

    /**
     * Runs the workers to the end and builds the report.
     *
     * @throws InterruptedIOException if the calling thread was interrupted (the workers are stopped and
     *                                their sockets closed first; the interrupt flag is set again)
     * @throws IOException            if a worker failed, e.g. could not open a selector or any socket
     */
    ScanReport run(
            Transport transport,
            ScanReport.Engine engine,
            String threadName,
            WorkerFactory factory,
            ProgressListener progress)
            throws IOException {
        long t0 = System.nanoTime();
        CountDownLatch finished = new CountDownLatch(workerCount);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workerCount; i++) {
            SweepThread worker = factory.newWorker(this);
            worker.finished = finished;
            workers.add(worker);
            Thread t = new Thread(worker, threadName + "-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
        }
        for (Thread t : threads) {
            t.start();
        }
        boolean interrupted = false;
        int reported = -1;
        while (true) {
            try {
                if (finished.await(100, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
                stop();
                awaitUninterruptibly(finished);
                break;
            }
            int d = done.get();
            if (d != reported) {
                progress.progress(d, ports.length);
                reported = d;
            }
        }
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("scan of " + Addresses.format(address) + " interrupted");
        }
        Throwable t = failure.get();
        if (t instanceof IOException) {
            throw (IOException) t;
        }
        if (t instanceof UncheckedIOException) {
            throw ((UncheckedIOException) t).getCause();
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        progress.progress(ports.length, ports.length);
        return report(transport, engine, elapsed);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean again = true;
        while (again) {
            try {
                latch.await();
                again = false;
            } catch (InterruptedException ignored) {
                // keep waiting: the workers are closing their sockets
            }
        }
    }

    private ScanReport report(Transport transport, ScanReport.Engine engine, long elapsedMillis) {
        PortSet.Builder[] byState = new PortSet.Builder[PortState.values().length];
        for (int i = 0; i < byState.length; i++) {
            byState[i] = new PortSet.Builder();
        }
        for (int p : ports) {
            byte code = states[p];
            if (code != 0) {
                byState[code - 1].add(p);
            }
        }
        EnumMap<PortState, PortSet> sets = new EnumMap<>(PortState.class);
        for (PortState s : PortState.values()) {
            sets.put(s, byState[s.ordinal()].build());
        }
        return new ScanReport(Addresses.format(address), transport, sets, elapsedMillis, selfConnects.get(), engine);
    }
}
