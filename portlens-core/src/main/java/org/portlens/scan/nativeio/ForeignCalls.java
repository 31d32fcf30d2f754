package org.portlens.scan.nativeio;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@link SocketCalls} through the JDK's foreign function API ({@code java.lang.foreign}, final in JDK
 * 22): {@code socket}, {@code connect}, {@code poll}, {@code getsockname} and {@code close} from libc.
 * portlens is compiled for Java 17, so the API is bound by reflection and every handle is adapted to
 * types Java 17 can name ({@code Object} for a memory segment; the memory itself is direct byte
 * buffers). A socket is reset for the next port by a second {@code connect}, which returns the
 * attempt's error.
 */
final class ForeignCalls extends SocketCalls {

    private static final int SOCKADDR_MAX = 28;

    private final int family;
    private final int addrLen;
    private final boolean v6;
    private final byte[] target;
    private final int[] fds;

    private final ByteBuffer capture;
    private final Object captureSeg;
    private final ByteBuffer addr;
    private final Object addrSeg;
    private final Object pollSeg;
    private final ByteBuffer name;
    private final Object nameSeg;
    private final ByteBuffer nameLen;
    private final Object nameLenSeg;

    ForeignCalls(InetAddress address, int slots) {
        super(slots);
        this.v6 = address instanceof Inet6Address;
        this.family = v6 ? NativeSockets.AF_INET6 : NativeSockets.AF_INET;
        this.addrLen = v6 ? 28 : 16;
        this.target = address.getAddress();
        this.fds = new int[slots];
        Arrays.fill(fds, -1);
        this.capture = direct(Math.max(Handles.CAPTURE_SIZE, 4));
        this.captureSeg = segment(capture);
        this.addr = direct(SOCKADDR_MAX);
        this.addrSeg = segment(addr);
        this.pollSeg = segment(pollfds);
        this.name = direct(SOCKADDR_MAX);
        this.nameSeg = segment(name);
        this.nameLen = direct(4);
        this.nameLenSeg = segment(nameLen);
        encodeTarget(addr, v6, target, v6 ? ((Inet6Address) address).getScopeId() : 0);
    }

    /** Binds the calls now (loads {@link Handles}); throws what binding threw. */
    static void bind() throws ClassNotFoundException {
        Class.forName(Handles.class.getName(), true, ForeignCalls.class.getClassLoader());
    }

    /**
     * Writes {@code struct sockaddr_in} (16 bytes) or {@code sockaddr_in6} (28 bytes, with the scope of a
     * link-local address) for the target with port 0; {@link #setPort} fills the port in before each connect.
     */
    static void encodeTarget(ByteBuffer b, boolean v6, byte[] address, int scopeId) {
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) 0);
        }
        b.putShort(0, (short) (v6 ? NativeSockets.AF_INET6 : NativeSockets.AF_INET)); // host byte order
        int at = v6 ? 8 : 4; // sin_addr, or sin6_addr after sin6_flowinfo
        for (int i = 0; i < address.length; i++) {
            b.put(at + i, address[i]);
        }
        if (v6) {
            b.putInt(24, scopeId); // sin6_scope_id, host byte order
        }
    }

    /** Port in network byte order at offset 2, the same place in both structures. */
    static void setPort(ByteBuffer b, int port) {
        b.put(2, (byte) (port >>> 8));
        b.put(3, (byte) port);
    }

    /** The port of a {@code sockaddr_in}/{@code sockaddr_in6}. */
    static int port(ByteBuffer b) {
        return (b.get(2) & 0xff) << 8 | b.get(3) & 0xff;
    }

    /** True if {@code b} holds exactly the target's family, address and port: a socket connected to itself. */
    static boolean isSelf(ByteBuffer b, boolean v6, byte[] address, int port) {
        if (b.getShort(0) != (v6 ? NativeSockets.AF_INET6 : NativeSockets.AF_INET) || port(b) != port) {
            return false;
        }
        int at = v6 ? 8 : 4;
        for (int i = 0; i < address.length; i++) {
            if (b.get(at + i) != address[i]) {
                return false;
            }
        }
        return true;
    }

    private static ByteBuffer direct(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    private static Object segment(ByteBuffer b) {
        try {
            return Handles.SEGMENT_OF.invokeExact((Buffer) b);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private int errno() {
        return capture.getInt(Handles.ERRNO_OFFSET);
    }

    @Override
    int open(int slot) {
        if (fds[slot] >= 0) {
            return 0;
        }
        try {
            int fd = (int) Handles.SOCKET.invokeExact(
                    captureSeg,
                    family,
                    NativeSockets.SOCK_STREAM | NativeSockets.SOCK_NONBLOCK | NativeSockets.SOCK_CLOEXEC,
                    0);
            if (fd < 0) {
                return errno();
            }
            fds[slot] = fd;
            return 0;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    boolean isOpen(int slot) {
        return fds[slot] >= 0;
    }

    @Override
    int fd(int slot) {
        return fds[slot];
    }

    @Override
    int connect(int slot, int port) {
        setPort(addr, port);
        return connectNow(slot);
    }

    /** connect(2) of the socket in {@code slot} to {@link #addr} as it stands: 0, or errno. */
    private int connectNow(int slot) {
        try {
            int r = (int) Handles.CONNECT.invokeExact(captureSeg, fds[slot], addrSeg, addrLen);
            return r == 0 ? 0 : errno();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    int finish(int slot) {
        // a second connect on an attempt that ended returns its error and leaves the socket unconnected;
        // on one that completed it returns 0; on one still under way, EALREADY. The address is whatever
        // port was written last: Linux does not look at it for a socket that is connecting, which is the
        // only kind the worker calls this for (a socket that was not would start a new connect and return
        // EINPROGRESS, which the worker does not expect and answers by closing the socket).
        return connectNow(slot);
    }

    @Override
    int poll(int n, int timeoutMillis) {
        try {
            int r = (int) Handles.POLL.invokeExact(captureSeg, pollSeg, (long) n, timeoutMillis);
            return r >= 0 ? r : -errno();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    boolean selfConnected(int slot, int port) {
        nameLen.putInt(0, SOCKADDR_MAX);
        try {
            int r = (int) Handles.GETSOCKNAME.invokeExact(fds[slot], nameSeg, nameLenSeg);
            return r == 0 && isSelf(name, v6, target, port);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    void close(int slot) {
        int fd = fds[slot];
        if (fd >= 0) {
            fds[slot] = -1;
            try {
                int ignored = (int) Handles.CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                // close(2) through a bound handle does not throw
            }
        }
    }

    /**
     * The bound calls, as constants (the JIT inlines a {@code static final} method handle); initialising
     * this class binds them. Every handle that reports errno takes a capture segment first.
     */
    static final class Handles {
        /** {@code int socket(int domain, int type, int protocol)}: (capture, int, int, int) int. */
        static final MethodHandle SOCKET;
        /** {@code int connect(int fd, const struct sockaddr *addr, socklen_t len)}: (capture, int, addr, int) int. */
        static final MethodHandle CONNECT;
        /** {@code int poll(struct pollfd *fds, nfds_t n, int timeout)}: (capture, fds, long, int) int. */
        static final MethodHandle POLL;
        /** {@code int getsockname(int fd, struct sockaddr *addr, socklen_t *len)}: (int, addr, len) int. */
        static final MethodHandle GETSOCKNAME;
        /** {@code int close(int fd)}: (int) int. */
        static final MethodHandle CLOSE;
        /** {@code MemorySegment.ofBuffer(Buffer)}: (Buffer) Object. */
        static final MethodHandle SEGMENT_OF;
        /** Bytes of the capture segment, and where errno is in it. */
        static final int CAPTURE_SIZE;

        static final int ERRNO_OFFSET;

        static {
            try {
                Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
                Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
                Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
                Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> pathC = Class.forName("java.lang.foreign.MemoryLayout$PathElement");
                Class<?> valueC = Class.forName("java.lang.foreign.ValueLayout");
                Class<?> descC = Class.forName("java.lang.foreign.FunctionDescriptor");
                Class<?> segC = Class.forName("java.lang.foreign.MemorySegment");

                Object linker = linkerC.getMethod("nativeLinker").invoke(null);
                Object lookup = linkerC.getMethod("defaultLookup").invoke(linker);
                Method find = lookupC.getMethod("find", String.class);
                Object jint = valueC.getField("JAVA_INT").get(null);
                Object jlong = valueC.getField("JAVA_LONG").get(null);
                Object address = valueC.getField("ADDRESS").get(null);
                Method descOf = descC.getMethod("of", layoutC, layoutC.arrayType());
                Method downcall = linkerC.getMethod("downcallHandle", segC, descC, optionC.arrayType());
                Object errno = optionC.getMethod("captureCallState", String[].class)
                        .invoke(null, (Object) new String[] {"errno"});
                Object withErrno = Array.newInstance(optionC, 1);
                Array.set(withErrno, 0, errno);
                Object none = Array.newInstance(optionC, 0);

                Object captureLayout = optionC.getMethod("captureStateLayout").invoke(null);
                CAPTURE_SIZE = (int) (long) layoutC.getMethod("byteSize").invoke(captureLayout);
                Object path = Array.newInstance(pathC, 1);
                Array.set(path, 0, pathC.getMethod("groupElement", String.class).invoke(null, "errno"));
                ERRNO_OFFSET = (int) (long)
                        layoutC.getMethod("byteOffset", pathC.arrayType()).invoke(captureLayout, path);

                Binding b = new Binding(linker, lookup, find, descOf, downcall, layoutC, jint);
                SOCKET = b.bind(
                        "socket",
                        withErrno,
                        new Object[] {jint, jint, jint},
                        MethodType.methodType(int.class, Object.class, int.class, int.class, int.class));
                CONNECT = b.bind(
                        "connect",
                        withErrno,
                        new Object[] {jint, address, jint},
                        MethodType.methodType(int.class, Object.class, int.class, Object.class, int.class));
                POLL = b.bind(
                        "poll",
                        withErrno,
                        new Object[] {address, jlong, jint},
                        MethodType.methodType(int.class, Object.class, Object.class, long.class, int.class));
                GETSOCKNAME = b.bind(
                        "getsockname",
                        none,
                        new Object[] {jint, address, address},
                        MethodType.methodType(int.class, int.class, Object.class, Object.class));
                CLOSE = b.bind("close", none, new Object[] {jint}, MethodType.methodType(int.class, int.class));
                SEGMENT_OF = MethodHandles.publicLookup()
                        .findStatic(segC, "ofBuffer", MethodType.methodType(segC, Buffer.class))
                        .asType(MethodType.methodType(Object.class, Buffer.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        private Handles() {}
    }

    /** What {@link Handles} needs to make one downcall handle. */
    private static final class Binding {
        private final Object linker;
        private final Object lookup;
        private final Method find;
        private final Method descOf;
        private final Method downcall;
        private final Class<?> layoutC;
        private final Object jint;

        Binding(
                Object linker,
                Object lookup,
                Method find,
                Method descOf,
                Method downcall,
                Class<?> layoutC,
                Object jint) {
            this.linker = linker;
            this.lookup = lookup;
            this.find = find;
            this.descOf = descOf;
            this.downcall = downcall;
            this.layoutC = layoutC;
            this.jint = jint;
        }

        /** A handle for {@code int name(args)} from libc, adapted to {@code type}. */
        MethodHandle bind(String name, Object options, Object[] args, MethodType type)
                throws ReflectiveOperationException {
            Optional<?> symbol = (Optional<?>) find.invoke(lookup, name);
            if (symbol.isEmpty()) {
                throw new NoSuchMethodException("libc has no " + name);
            }
            Object argLayouts = Array.newInstance(layoutC, args.length);
            for (int i = 0; i < args.length; i++) {
                Array.set(argLayouts, i, args[i]);
            }
            Object desc = descOf.invoke(null, jint, argLayouts);
            MethodHandle mh = (MethodHandle) downcall.invoke(linker, symbol.get(), desc, options);
            return mh.asType(type);
        }
    }
}
