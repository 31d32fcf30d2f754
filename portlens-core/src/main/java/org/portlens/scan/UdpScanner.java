package org.portlens.scan;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import org.jspecify.annotations.Nullable;
import org.portlens.model.Transport;

/**
 * A UDP scan: for each port, a {@link DatagramChannel} connected to it sends one datagram (a NUL byte,
 * or a protocol request for a few well-known ports: DNS on 53, NTP on 123). A reply is
 * {@link PortState#OPEN}; an ICMP "port unreachable", which a connected datagram socket reports as a
 * {@link PortUnreachableException}, is {@link PortState#CLOSED}; another ICMP error is
 * {@link PortState#FILTERED}; silence through the timeout and the {@linkplain ScanOptions#retries() retries}
 * is {@link PortState#OPEN_FILTERED}.
 *
 * <p><b>ICMP rate limits.</b> Linux sends at most about 1000 ICMP errors a second per network namespace
 * ({@code net.ipv4.icmp_msgs_per_sec}, burst {@code icmp_msgs_burst} = 50), and per destination
 * {@code net.ipv4.icmp_ratelimit} (except to loopback); other systems have similar limits. When more
 * closed ports are probed than that, the missing "port unreachable" replies turn closed ports into
 * open|filtered. Keep {@link ScanOptions#rate()} under the target's limit (e.g. 900) for an exact
 * answer over many ports, or, in a test namespace you own, lift the limit with
 * {@code sysctl -w net.ipv4.icmp_ratemask=0 net.ipv4.icmp_ratelimit=0}.
 *
 * <p>Every socket is closed before {@link #scan} returns, also when it fails or is interrupted.
 *
 * <p>Thread-safe: a scanner holds only its immutable options, and several threads may scan with one
 * scanner at once (each scan has its own sockets and threads).
 */
public final class UdpScanner extends PortScanner {

    private final UdpPayloads payloads;

    /** A scanner with {@link ScanOptions#defaults()}. */
    public UdpScanner() {
        this(ScanOptions.defaults());
    }

    /**
     * A scanner with the given options ({@link ScanOptions#engine()} does not apply: UDP always runs on NIO).
     *
     * @param options the limits of every scan
     * @throws IllegalArgumentException when {@code options} is null
     */
    public UdpScanner(ScanOptions options) {
        this(options, UdpPayloads.wellKnown());
    }

    /** A scanner that sends what {@code payloads} says (tests). */
    UdpScanner(ScanOptions options, UdpPayloads payloads) {
        this(options, payloads, null);
    }

    UdpScanner(ScanOptions options, UdpPayloads payloads, @Nullable OpenFileLimit limit) {
        super(options, limit);
        if (payloads == null) {
            throw new IllegalArgumentException("payloads are required");
        }
        this.payloads = payloads;
    }

    @Override
    ScanReport run(Sweep sweep, InetAddress host, ProgressListener progress) throws IOException {
        return sweep.run(Transport.UDP, ScanReport.Engine.NIO, "portlens-scan-udp", new Factory(payloads), progress);
    }

    private static final class Factory implements Sweep.WorkerFactory {
        private final UdpPayloads payloads;

        Factory(UdpPayloads payloads) {
            this.payloads = payloads;
        }

        @Override
        public SweepWorker newWorker(Sweep sweep) {
            return new Worker(sweep, payloads);
        }
    }

    /** One selector thread of a UDP scan. */
    private static final class Worker extends SweepWorker {
        private final UdpPayloads payloads;
        private final int retries;
        /** Replies are read into this and dropped: only their arrival matters. */
        private final ByteBuffer sink = ByteBuffer.allocateDirect(2048);

        private int selfConnects;

        Worker(Sweep sweep, UdpPayloads payloads) {
            super(sweep);
            this.payloads = payloads;
            this.retries = sweep.options.retries();
        }

        @Override
        boolean begin(int port, long deadline) throws IOException {
            DatagramChannel ch = open(DatagramChannel::open);
            if (ch == null) {
                return false;
            }
            try {
                ch.configureBlocking(false);
                ch.connect(new InetSocketAddress(address, port));
                if (TcpConnectScanner.isSelfConnect(ch.getLocalAddress(), address, port)) {
                    // the socket was given the target port as its own: it would read its own probe
                    // back. The kernel only hands out a port nothing is bound to, so it is closed.
                    selfConnects++;
                    decide(port, PortState.CLOSED);
                    closeQuietly(ch);
                    return true;
                }
                send(ch, port);
            } catch (PortUnreachableException e) {
                decide(port, PortState.CLOSED);
                closeQuietly(ch);
                return true;
            } catch (IOException e) {
                decide(port, PortState.FILTERED);
                closeQuietly(ch);
                return true;
            }
            track(port, ch, deadline, SelectionKey.OP_READ);
            return true;
        }

        @Override
        void ready(SelectionKey key, Slot slot) {
            DatagramChannel ch = (DatagramChannel) slot.channel;
            if (ch == null) {
                return; // decided already
            }
            PortState state;
            try {
                sink.clear();
                // receive, not read: it tells an empty reply (an address) from no reply (null)
                if (ch.receive(sink) == null) {
                    return;
                }
                state = PortState.OPEN;
            } catch (PortUnreachableException e) {
                state = PortState.CLOSED;
            } catch (IOException e) {
                state = PortState.FILTERED;
            }
            decide(slot, state);
        }

        @Override
        void timedOut(SelectableChannel channel, int port, int tries, long now) {
            if (tries <= retries) {
                try {
                    send((DatagramChannel) channel, port);
                    retrack(channel, port, tries + 1, now + timeoutNanos);
                    return;
                } catch (PortUnreachableException e) {
                    decide(port, PortState.CLOSED);
                    closeQuietly(channel);
                    return;
                } catch (IOException e) {
                    decide(port, PortState.FILTERED);
                    closeQuietly(channel);
                    return;
                }
            }
            decide(port, PortState.OPEN_FILTERED);
            closeQuietly(channel);
        }

        private void send(DatagramChannel ch, int port) throws IOException {
            ByteBuffer b = payloads.payload(port);
            ch.write(b == null || !b.hasRemaining() ? UdpProbes.NUL.duplicate() : b.duplicate());
        }

        @Override
        void handOver() {
            sweep.addSelfConnects(selfConnects);
        }
    }
}
