package org.portlens.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Opens the TCP connections a {@link Prober} talks over: every banner wait, probe and TLS session
 * gets its socket here. {@link #SYSTEM} is the real one; tests pass a fake to count connections or
 * to fail one on purpose.
 *
 * <p>Implementations must be safe from any thread: one prober connects from every thread that
 * probes through it.
 */
@FunctionalInterface
public interface Connector {

    /**
     * A plain {@link Socket} with {@code TCP_NODELAY}, connected within the timeout. Stateless; safe
     * from any thread.
     */
    Connector SYSTEM = (address, timeout) -> {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    };

    /**
     * A socket connected to {@code address}, which the caller closes.
     *
     * @param address where to connect; resolved
     * @param timeout how long the connect may take
     * @return a connected socket
     * @throws IOException when no connection was made: {@link java.net.ConnectException} when it was
     *                     refused, {@link java.net.SocketTimeoutException} when it timed out,
     *                     {@link java.net.NoRouteToHostException} when there is no route
     */
    Socket connect(InetSocketAddress address, Duration timeout) throws IOException;
}
