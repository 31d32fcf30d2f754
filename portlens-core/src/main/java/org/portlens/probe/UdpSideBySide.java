package org.portlens.probe;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.portlens.probe.ProbePlan.Step;

/**
 * The UDP probes side by side, for this host's own listeners: each probe's datagram from a socket of
 * its own, at most {@link ProbeOptions#connections()} sent at once, all answers awaited together on
 * one selector for one probe timeout; the first answer that decides the result wins. A port that
 * answers with ICMP port unreachable is closed at once, as in {@link UdpExchange}. Stateless; safe
 * from any thread.
 */
final class UdpSideBySide {

    private UdpSideBySide() {}

    static Wire run(Attempt a, List<Step> planned, int connections) {
        Evidence ev = a.evidence();
        List<Step> steps = new ArrayList<>();
        for (Step s : planned) {
            if (s.sig() != null) {
                steps.add(s);
            }
        }
        for (int from = 0; from < steps.size() && !a.outOfTime(); from += connections) {
            Wire done = wave(a, steps.subList(from, Math.min(steps.size(), from + connections)));
            if (done != null) {
                return done;
            }
        }
        return ev.finish();
    }

    private static boolean earlierAnswered(boolean[] answered, int index) {
        for (int j = 0; j < index; j++) {
            if (!answered[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sends each step's datagram and reads the answers for one probe timeout; a result when one
     * decides: of several, the earliest step's in the plan, once the steps before it answered or
     * {@link ParallelRun#GRACE_MILLIS} passed.
     */
    private static @Nullable Wire wave(Attempt a, List<Step> steps) {
        Evidence ev = a.evidence();
        List<DatagramChannel> channels = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            int pending = 0;
            for (Step step : steps) {
                Signature sig = Objects.requireNonNull(step.sig(), "a udp step sends a datagram");
                DatagramChannel ch = DatagramChannel.open();
                channels.add(ch);
                ev.tried(step.name());
                try {
                    ch.connect(a.target());
                    ch.configureBlocking(false);
                    ch.write(ByteBuffer.wrap(sig.payload()));
                    ch.register(selector, SelectionKey.OP_READ, step);
                    pending++;
                } catch (PortUnreachableException e) {
                    return ev.noConnection(Wire.ConnectFailure.REFUSED, "port unreachable");
                } catch (IOException e) {
                    ev.lastError(Exchange.describe(e));
                    if (ev.triedCount() == 1) {
                        return ev.noConnection(Attempt.classifyConnect(e), ev.lastError());
                    }
                }
            }
            long deadline = System.nanoTime()
                    + TimeUnit.MILLISECONDS.toNanos(a.options().probeTimeout().toMillis());
            ByteBuffer buf = ByteBuffer.allocate(a.options().maxBytes());
            boolean[] answered = new boolean[steps.size()];
            Wire best = null;
            int bestAt = Integer.MAX_VALUE;
            while (pending > 0) {
                if (best != null && earlierAnswered(answered, bestAt)) {
                    return best;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || Thread.currentThread().isInterrupted()) {
                    break;
                }
                selector.select(left);
                for (SelectionKey key : selector.selectedKeys()) {
                    Step step = (Step) key.attachment();
                    int index = steps.indexOf(step);
                    answered[index] = true;
                    DatagramChannel ch = (DatagramChannel) key.channel();
                    key.cancel();
                    pending--;
                    buf.clear();
                    int n;
                    try {
                        n = ch.read(buf);
                    } catch (PortUnreachableException e) {
                        return ev.noConnection(Wire.ConnectFailure.REFUSED, "port unreachable");
                    } catch (IOException e) {
                        ev.lastError(Exchange.describe(e));
                        continue;
                    }
                    if (n < 0) {
                        continue;
                    }
                    byte[] data = new byte[n];
                    buf.flip();
                    buf.get(data);
                    Signature sig = Objects.requireNonNull(step.sig(), "a udp step sends a datagram");
                    Exchange.Response r = new Exchange.Response(data, n, false, "");
                    Wire done = ev.consider(Matching.identify(sig.matchers(), data, n), r, step.name());
                    if (done != null && index < bestAt) {
                        if (best == null) {
                            // answers come in any order: the more plausible probes get a moment more
                            deadline = Math.min(
                                    deadline,
                                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ParallelRun.GRACE_MILLIS));
                        }
                        best = done;
                        bestAt = index;
                    }
                }
                selector.selectedKeys().clear();
            }
            if (best != null) {
                return best;
            }
            for (int i = 0; i < pending; i++) {
                ev.silent();
            }
            return null;
        } catch (IOException e) {
            ev.lastError(Exchange.describe(e));
            return null;
        } finally {
            for (DatagramChannel ch : channels) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }
}
