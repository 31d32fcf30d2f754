package org.portlens.scan.nativeio;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import org.jspecify.annotations.Nullable;

/**
 * {@link SocketCalls} through the JDK's own native socket methods in {@code sun.nio.ch}, the ones NIO is
 * built on, for JDKs without the foreign function API (17-21). They are internal, so the package must
 * be opened to portlens ({@code Add-Opens: java.base/sun.nio.ch} in the jar's manifest, or
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}); they are bound by name and signature, and a
 * JDK where any of them differs is simply not used (scans stay on NIO).
 *
 * <p>A socket is reset for the next port in two steps, neither of which throws: {@code getsockopt(SO_ERROR)}
 * takes the attempt's error, and {@code connect(AF_UNSPEC)} (the method a datagram channel disconnects
 * with) leaves the socket unconnected. The methods report errors as exceptions; those are turned back
 * into errno values, and only happen for immediate failures (a refused or unroutable first connect).
 */
final class InternalCalls extends SocketCalls {

    private static final int SOL_SOCKET = 1;
    private static final int SO_ERROR = 4;
    /** {@code sun.nio.ch.IOStatus.UNAVAILABLE}: a non-blocking connect under way. */
    private static final int UNAVAILABLE = -2;
    /** {@code sun.nio.ch.IOStatus.INTERRUPTED}: a signal came first; the attempt goes on. */
    private static final int INTERRUPTED = -3;

    private final InetAddress target;
    private final ProtocolFamily family;
    private final boolean v6;
    private final FileDescriptor[] fds;
    private final int[] fdNumbers;
    private final long pollAddress;
    /** Whether the JDK can open IPv6 sockets ({@code Net.isIPv6Available}). */
    private final boolean ipv6;
    /** The message of the last exception turned into an errno, for {@link #describe}. */
    private @Nullable String lastError;

    InternalCalls(InetAddress address, int slots) {
        super(slots);
        this.target = address;
        this.v6 = address instanceof Inet6Address;
        this.family = v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        this.fds = new FileDescriptor[slots];
        this.fdNumbers = new int[slots];
        try {
            this.pollAddress = (long) Handles.ADDRESS.invokeExact((Object) pollfds);
            this.ipv6 = (boolean) Handles.IPV6_AVAILABLE.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Binds the methods now (loads {@link Handles}); throws what binding threw. */
    static void bind() throws ClassNotFoundException {
        Class.forName(Handles.class.getName(), true, InternalCalls.class.getClassLoader());
    }

    /** The errno a socket method's exception stands for. */
    static int errnoOf(IOException e) {
        if (e instanceof BindException) {
            // the JDK's name for EACCES (a "prohibit" route: filtered) as well as EADDRNOTAVAIL and
            // EADDRINUSE, which cannot be told apart here; the one that ends a scan, a family the host
            // lacks, is caught before connecting (open returns EAFNOSUPPORT)
            return EOTHER;
        }
        if (e instanceof ConnectException) {
            return NativeSockets.ECONNREFUSED;
        }
        if (e instanceof NoRouteToHostException) {
            return NativeSockets.EHOSTUNREACH;
        }
        return EOTHER;
    }

    @Override
    int open(int slot) {
        if (fds[slot] != null) {
            return 0;
        }
        if (v6 && !ipv6) {
            // the JDK found no IPv6 at start-up: its socket() would quietly make an IPv4 socket instead
            return NativeSockets.EAFNOSUPPORT;
        }
        try {
            FileDescriptor fd = (FileDescriptor) Handles.SOCKET.invokeExact(family, true);
            try {
                Handles.CONFIGURE_BLOCKING.invokeExact(fd, false);
            } catch (Throwable t) {
                Handles.CLOSE.invokeExact(fd);
                throw t;
            }
            fds[slot] = fd;
            fdNumbers[slot] = (int) Handles.FD_VAL.invokeExact(fd);
            return 0;
        } catch (IOException e) {
            lastError = e.getMessage();
            return NativeSockets.EMFILE; // socket(2) fails for want of descriptors or memory, mostly
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    boolean isOpen(int slot) {
        return fds[slot] != null;
    }

    @Override
    int fd(int slot) {
        return fdNumbers[slot];
    }

    @Override
    int connect(int slot, int port) {
        try {
            int r = (int) Handles.CONNECT.invokeExact(v6, fds[slot], target, port);
            return r == UNAVAILABLE || r == INTERRUPTED ? NativeSockets.EINPROGRESS : r > 0 ? 0 : EOTHER;
        } catch (IOException e) {
            lastError = e.getMessage();
            return errnoOf(e);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    int finish(int slot) {
        try {
            int error = (int) Handles.GET_INT_OPTION.invokeExact(fds[slot], false, SOL_SOCKET, SO_ERROR);
            if (error == 0) {
                return EOTHER; // an error or hang-up without an error code: not a state to reuse
            }
            try {
                Handles.DISCONNECT.invokeExact(fds[slot], v6);
            } catch (IOException e) {
                close(slot); // not reusable after all; the attempt's error still stands
            }
            return error;
        } catch (IOException e) {
            return EOTHER;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    int poll(int n, int timeoutMillis) {
        try {
            int r = (int) Handles.POLL.invokeExact(pollAddress, n, timeoutMillis);
            return r >= 0 ? r : -NativeSockets.EINTR; // the JDK's poll returns a negative status only for EINTR
        } catch (IOException e) {
            return -NativeSockets.EIO; // "poll failed": the JDK threw instead of returning errno
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    boolean selfConnected(int slot, int port) {
        try {
            InetSocketAddress local = (InetSocketAddress) Handles.LOCAL_ADDRESS.invokeExact(fds[slot]);
            // connected to itself: its own end is the target address and port (as the NIO engine checks)
            return local != null && local.getPort() == port && target.equals(local.getAddress());
        } catch (IOException e) {
            return false;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    void close(int slot) {
        FileDescriptor fd = fds[slot];
        if (fd != null) {
            fds[slot] = null;
            try {
                Handles.CLOSE.invokeExact(fd);
            } catch (Throwable ignored) {
                // nothing to do about a failed close of a probe socket
            }
        }
    }

    @Override
    String describe(int errno) {
        // EMFILE stands for "socket() threw": the JDK's message says more
        return errno == NativeSockets.EMFILE && lastError != null ? lastError : super.describe(errno);
    }

    /** The bound methods, as constants; initialising this class binds them. */
    static final class Handles {
        /** {@code Net.socket(ProtocolFamily, boolean stream)}: a blocking socket. */
        static final MethodHandle SOCKET;
        /** {@code IOUtil.configureBlocking(FileDescriptor, boolean)}. */
        static final MethodHandle CONFIGURE_BLOCKING;
        /** {@code IOUtil.fdVal(FileDescriptor)}: the descriptor number. */
        static final MethodHandle FD_VAL;
        /** {@code Net.connect0(boolean preferIPv6, FileDescriptor, InetAddress, int)}: 1, UNAVAILABLE, or throws. */
        static final MethodHandle CONNECT;
        /** {@code Net.getIntOption0(FileDescriptor, boolean, int level, int name)}: getsockopt. */
        static final MethodHandle GET_INT_OPTION;
        /** {@code DatagramChannelImpl.disconnect0(FileDescriptor, boolean isIPv6)}: connect(AF_UNSPEC). */
        static final MethodHandle DISCONNECT;
        /** {@code PollSelectorImpl.poll(long address, int n, int timeout)}. */
        static final MethodHandle POLL;
        /** {@code Net.localAddress(FileDescriptor)}: getsockname. */
        static final MethodHandle LOCAL_ADDRESS;
        /** {@code Net.isIPv6Available()}. */
        static final MethodHandle IPV6_AVAILABLE;
        /** {@code FileDispatcherImpl.close0(FileDescriptor)} (JDK 17-19; {@code UnixDispatcher} from 20 on). */
        static final MethodHandle CLOSE;
        /** {@code ((DirectBuffer) buffer).address()}, as (Object) long. */
        static final MethodHandle ADDRESS;

        static {
            try {
                MethodHandles.Lookup self = MethodHandles.lookup();
                Class<?> net = Class.forName("sun.nio.ch.Net");
                Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
                Class<?> datagram = Class.forName("sun.nio.ch.DatagramChannelImpl");
                Class<?> pollSelector = Class.forName("sun.nio.ch.PollSelectorImpl");
                Class<?> directBuffer = Class.forName("sun.nio.ch.DirectBuffer");
                MethodHandles.Lookup inNet = MethodHandles.privateLookupIn(net, self);
                SOCKET = inNet.findStatic(
                        net,
                        "socket",
                        MethodType.methodType(FileDescriptor.class, ProtocolFamily.class, boolean.class));
                CONNECT = inNet.findStatic(
                        net,
                        "connect0",
                        MethodType.methodType(
                                int.class, boolean.class, FileDescriptor.class, InetAddress.class, int.class));
                GET_INT_OPTION = inNet.findStatic(
                        net,
                        "getIntOption0",
                        MethodType.methodType(int.class, FileDescriptor.class, boolean.class, int.class, int.class));
                LOCAL_ADDRESS = inNet.findStatic(
                        net, "localAddress", MethodType.methodType(InetSocketAddress.class, FileDescriptor.class));
                IPV6_AVAILABLE = inNet.findStatic(net, "isIPv6Available", MethodType.methodType(boolean.class));
                MethodHandles.Lookup inIo = MethodHandles.privateLookupIn(ioUtil, self);
                CONFIGURE_BLOCKING = inIo.findStatic(
                        ioUtil,
                        "configureBlocking",
                        MethodType.methodType(void.class, FileDescriptor.class, boolean.class));
                FD_VAL = inIo.findStatic(ioUtil, "fdVal", MethodType.methodType(int.class, FileDescriptor.class));
                DISCONNECT = MethodHandles.privateLookupIn(datagram, self)
                        .findStatic(
                                datagram,
                                "disconnect0",
                                MethodType.methodType(void.class, FileDescriptor.class, boolean.class));
                POLL = MethodHandles.privateLookupIn(pollSelector, self)
                        .findStatic(
                                pollSelector,
                                "poll",
                                MethodType.methodType(int.class, long.class, int.class, int.class));
                CLOSE = findClose(self);
                ADDRESS = MethodHandles.privateLookupIn(directBuffer, self)
                        .findVirtual(directBuffer, "address", MethodType.methodType(long.class))
                        .asType(MethodType.methodType(long.class, Object.class));
                // the natives of these classes are registered by their initialisers
                Class.forName("sun.nio.ch.PollSelectorImpl", true, null);
                Class.forName("sun.nio.ch.DatagramChannelImpl", true, null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        private static MethodHandle findClose(MethodHandles.Lookup self) throws ReflectiveOperationException {
            MethodType type = MethodType.methodType(void.class, FileDescriptor.class);
            for (String name : new String[] {"sun.nio.ch.FileDispatcherImpl", "sun.nio.ch.UnixDispatcher"}) {
                try {
                    Class<?> c = Class.forName(name);
                    return MethodHandles.privateLookupIn(c, self).findStatic(c, "close0", type);
                } catch (ClassNotFoundException | NoSuchMethodException e) {
                    // try the next JDK's name
                }
            }
            throw new NoSuchMethodException(
                    "close0(FileDescriptor) in sun.nio.ch.FileDispatcherImpl or UnixDispatcher");
        }

        private Handles() {}
    }
}
