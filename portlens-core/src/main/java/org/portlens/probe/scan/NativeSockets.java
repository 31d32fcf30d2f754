package org.portlens.probe.scan;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.util.Locale;
import java.util.Optional;

/**
 * The Linux socket calls a TCP sweep needs ({@code socket}, {@code connect}, {@code poll},
 * {@code getsockname}, {@code close}), called straight from Java through the JDK's foreign function API
 * ({@code java.lang.foreign}, final in JDK 22). portlens is built for Java 17, so the API is bound here
 * by reflection and every handle is adapted to types Java 17 can name ({@code Object} for a memory
 * segment); on a JDK without the API, or where native access is not enabled, nothing is bound and the
 * scanner keeps to NIO.
 *
 * <p>Why bother: NIO can only open a socket, connect it once and close it. A refused connect leaves a
 * Linux socket reusable (a second {@code connect} returns the error and resets it), which saves the
 * kernel a socket allocation, a close and two {@code fcntl}s per port: a full loopback sweep takes about
 * a third less time ({@code bench/scan-README.md}).
 *
 * <p>Binding takes 70-120 ms (the JDK generates the call stubs), so {@link #prefer()} starts it on a
 * background thread and {@link #bound()} waits for it.
 */
final class NativeSockets {

    /** System property that turns the native engine off ({@code -Dportlens.nativeSockets=false}). */
    static final String PROPERTY = "portlens.nativeSockets";

    // Linux values, the same on x86_64 and aarch64 (the generic tables); other architectures are not bound.
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EPIPE = 32;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETDOWN = 100;
    static final int ENETUNREACH = 101;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;
    static final int ENOBUFS = 105;
    static final int EISCONN = 106;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EHOSTDOWN = 112;
    static final int EHOSTUNREACH = 113;
    static final int EALREADY = 114;
    static final int EINPROGRESS = 115;

    private static final Object LOCK = new Object();
    /** Guarded by LOCK. */
    private static Thread binder;
    /** Why the native engine is not in use; null while it is (or may still be) available. */
    private static volatile String unavailable = "not requested";
    private static volatile boolean bound;

    private NativeSockets() {
    }

    /**
     * Starts binding the calls in the background, if this JVM can: JDK 22+, Linux on x86_64 or aarch64,
     * native access enabled for this code (as {@code java -jar portlens.jar} does through its manifest),
     * and {@value #PROPERTY} not {@code false}. Idempotent.
     *
     * @return false if the native engine cannot be used here ({@link #reason()} says why)
     */
    static boolean prefer() {
        synchronized (LOCK) {
            if (bound || binder != null) {
                return true;
            }
            String no = whyNot();
            if (no != null) {
                unavailable = no;
                return false;
            }
            unavailable = null;
            binder = new Thread(new Binder(), "portlens-native-bind");
            binder.setDaemon(true);
            binder.start();
            return true;
        }
    }

    /** Waits for a binding started by {@link #prefer()}; true if the calls are ready. */
    static boolean bound() {
        Thread t;
        synchronized (LOCK) {
            t = binder;
        }
        if (t != null) {
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return bound;
    }

    /** Why the native engine is not in use, or null when it is bound. */
    static String reason() {
        return bound ? null : unavailable == null ? "still binding" : unavailable;
    }

    /** The first check that rules the native engine out in this JVM, or null if none does. */
    static String whyNot() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return "turned off by -D" + PROPERTY + "=false";
        }
        int feature = Runtime.version().feature();
        if (feature < 22) {
            return "Java " + feature + " has no foreign function API (JDK 22+)";
        }
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.equals("Linux")) {
            return "not Linux (" + os + ")";
        }
        if (!(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return "architecture " + arch + " (only amd64 and aarch64 are bound)";
        }
        try {
            Method m = Module.class.getMethod("isNativeAccessEnabled");
            if (!Boolean.TRUE.equals(m.invoke(NativeSockets.class.getModule()))) {
                return "native access not enabled (java --enable-native-access=ALL-UNNAMED,"
                        + " or the Enable-Native-Access manifest attribute of portlens.jar)";
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "cannot tell whether native access is enabled: " + e;
        }
        return null;
    }

    /** Binds {@link Calls} (its class initialiser does the work) and records the outcome. */
    private static final class Binder implements Runnable {
        @Override
        public void run() {
            try {
                Class.forName(Calls.class.getName(), true, NativeSockets.class.getClassLoader());
                bound = true;
            } catch (Throwable t) {
                Throwable cause = t instanceof ExceptionInInitializerError && t.getCause() != null ? t.getCause() : t;
                if (cause instanceof InvocationTargetException && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                unavailable = "binding failed: " + cause;
            }
        }
    }

    /**
     * The bound calls, as constants (the JIT inlines a {@code static final} method handle). Only touched
     * after {@link #bound()} returned true. Every handle that reports errno takes a capture segment first.
     */
    static final class Calls {
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
                ERRNO_OFFSET = (int) (long) layoutC.getMethod("byteOffset", pathC.arrayType()).invoke(captureLayout, path);

                Binding b = new Binding(linker, lookup, find, descOf, downcall, layoutC, jint);
                SOCKET = b.bind("socket", withErrno, new Object[] {jint, jint, jint},
                        MethodType.methodType(int.class, Object.class, int.class, int.class, int.class));
                CONNECT = b.bind("connect", withErrno, new Object[] {jint, address, jint},
                        MethodType.methodType(int.class, Object.class, int.class, Object.class, int.class));
                POLL = b.bind("poll", withErrno, new Object[] {address, jlong, jint},
                        MethodType.methodType(int.class, Object.class, Object.class, long.class, int.class));
                GETSOCKNAME = b.bind("getsockname", none, new Object[] {jint, address, address},
                        MethodType.methodType(int.class, int.class, Object.class, Object.class));
                CLOSE = b.bind("close", none, new Object[] {jint}, MethodType.methodType(int.class, int.class));
                SEGMENT_OF = java.lang.invoke.MethodHandles.publicLookup()
                        .findStatic(segC, "ofBuffer", MethodType.methodType(segC, Buffer.class))
                        .asType(MethodType.methodType(Object.class, Buffer.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        private Calls() {
        }
    }

    /** What {@link Calls} needs to make one downcall handle. */
    private static final class Binding {
        private final Object linker;
        private final Object lookup;
        private final Method find;
        private final Method descOf;
        private final Method downcall;
        private final Class<?> layoutC;
        private final Object jint;

        Binding(Object linker, Object lookup, Method find, Method descOf, Method downcall, Class<?> layoutC,
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
