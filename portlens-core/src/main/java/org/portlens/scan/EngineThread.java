package org.portlens.scan;

import java.io.IOException;
import java.net.InetAddress;
import org.portlens.scan.spi.ScanEngine;

/**
 * One thread of a {@link Sweep} run by a {@link ScanEngine} found through the SPI: the sweep's side of
 * {@link ScanEngine.Lane} (ports, states, pacing from {@link SweepThread}), the engine's side in its
 * {@link ScanEngine.Worker}.
 */
final class EngineThread extends SweepThread {

    private final ScanEngine.Worker worker;
    private int selfConnects;

    EngineThread(Sweep sweep, ScanEngine engine) {
        super(sweep);
        this.worker = engine.newWorker(new Lane());
    }

    @Override
    void work() throws IOException {
        worker.work();
    }

    @Override
    boolean begin(int port, long deadline) throws IOException {
        return worker.begin(port, deadline);
    }

    @Override
    void shutdown() {
        worker.shutdown();
    }

    @Override
    void wakeUp() {
        // an engine's worker checks Lane.stopped() between its waits
    }

    @Override
    void handOver() {
        sweep.addSelfConnects(selfConnects);
    }

    /** The sweep as the engine's worker sees it. */
    private final class Lane implements ScanEngine.Lane {

        @Override
        public InetAddress target() {
            return sweep.address;
        }

        @Override
        public int capacity() {
            return sweep.capacityPerWorker;
        }

        @Override
        public boolean stopped() {
            return sweep.stopped();
        }

        @Override
        public boolean claimChunk() {
            return EngineThread.this.claimChunk();
        }

        @Override
        public boolean startBatch(boolean more, long now, int room) throws IOException {
            return EngineThread.this.startBatch(more, now, room);
        }

        @Override
        public boolean canStart(boolean more, long now, int room) {
            return EngineThread.this.canStart(more, now, room);
        }

        @Override
        public long nanosUntilNextProbe(long now) {
            return pacer == null ? -1 : pacer.nanosUntilNext(now);
        }

        @Override
        public void decide(int port, PortState state) {
            EngineThread.this.decide(port, state);
        }

        @Override
        public void selfConnect() {
            selfConnects++;
        }
    }
}
