package org.portlens.scan.nativeio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The socket calls of one {@link NativeTcpWorker}, on a fixed number of slots, each holding at most one
 * non-blocking TCP socket aimed at one target address. Two bindings: {@link ForeignCalls} (the JDK's
 * foreign function API, JDK 22+) and {@link InternalCalls} (the JDK's own native socket methods, JDK
 * 17-21). Results are Linux errno values ({@link NativeSockets}), so the worker's logic is the same
 * for both. Not thread-safe: one worker thread uses an instance.
 */
abstract class SocketCalls {

    /** An error the binding cannot name: the worker treats it as "nothing answered" and drops the socket. */
    static final int EOTHER = -1;

    /** {@code struct pollfd[slots]}: int fd, short events, short revents; filled by the worker. */
    final ByteBuffer pollfds;

    SocketCalls(int slots) {
        this.pollfds = ByteBuffer.allocateDirect(8 * slots).order(ByteOrder.nativeOrder());
    }

    /** Opens the socket of {@code slot} if it has none; 0, or the errno why none could be opened. */
    abstract int open(int slot);

    /** True if {@code slot} holds a socket. */
    abstract boolean isOpen(int slot);

    /** The descriptor number of the socket in {@code slot}, for {@link #pollfds}. */
    abstract int fd(int slot);

    /**
     * Starts a connect to {@code port}: 0 if connected at once, {@code EINPROGRESS} while under way, or the
     * errno of an immediate failure ({@code ECONNREFUSED} leaves the socket reusable).
     */
    abstract int connect(int slot, int port);

    /**
     * After poll reported an error or hang-up on {@code slot}: the errno the attempt ended with
     * ({@code ECONNREFUSED}, {@code EHOSTUNREACH}, ...), the socket left unconnected and reusable;
     * 0 if it is connected after all; {@code EALREADY} if still under way. For any other value the
     * worker closes the socket.
     */
    abstract int finish(int slot);

    /** {@code poll(2)} over the first {@code n} entries of {@link #pollfds}: how many have events, or -errno. */
    abstract int poll(int n, int timeoutMillis);

    /** True if the connected socket in {@code slot} is connected to itself (its own address and {@code port}). */
    abstract boolean selfConnected(int slot, int port);

    /** Closes the socket of {@code slot}, if any. Never throws. */
    abstract void close(int slot);

    /**
     * For the {@code catch (Throwable)} around a method handle call, which declares Throwable: rethrows
     * what is unchecked, wraps the rest (the bound calls report errors as values or IOException).
     */
    static IllegalStateException unexpected(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }

    /** Words for an errno this instance returned, for an error message. */
    String describe(int errno) {
        return NativeSockets.describe(errno);
    }
}
