package org.portlens.scan.nativeio;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.portlens.internal.OperatingSystem;

/**
 * Whether this JVM can run the native TCP engine ({@link NativeTcpWorker}), and which binding of the
 * socket calls it uses ({@link SocketCalls}):
 *
 * <ul>
 *   <li>JDK 22+: {@link ForeignCalls}, the foreign function API, when native access is enabled for
 *       portlens ({@code java -jar portlens.jar} has it from the manifest's {@code Enable-Native-Access});</li>
 *   <li>JDK 17-21: {@link InternalCalls}, the JDK's own socket natives, when {@code java.base/sun.nio.ch}
 *       is opened to portlens (the manifest's {@code Add-Opens}).</li>
 * </ul>
 *
 * <p>Why bother: NIO can only open a socket, connect it once and close it. A refused connect leaves a
 * Linux socket reusable, which saves the kernel a socket allocation, a close and two {@code fcntl}s per
 * port: a full loopback sweep takes about 40% less time ({@code bench/scan-README.md}).
 *
 * <p>Binding the foreign calls takes 70-120 ms (the JDK generates call stubs), so {@link #prepare(int)}
 * binds on a background thread and {@link #bound()} waits for it. Only Linux on amd64 or aarch64 is
 * bound: the constants below are that ABI's.
 */
final class NativeSockets {

    /**
     * System property: {@code false} turns the native engine off; {@code internal} picks the JDK-internal
     * binding on JDK 22+ too (its layout from JDK 20 on is the same, which lets tests cover JDK 20-21
     * where only a newer JDK is at hand).
     */
    static final String PROPERTY = "portlens.nativeSockets";

    static final String FOREIGN = "java.lang.foreign";
    static final String INTERNAL = "JDK internals (sun.nio.ch)";

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
    static final int EIO = 5;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int EPIPE = 32;
    static final int EAFNOSUPPORT = 97;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETDOWN = 100;
    static final int ENETUNREACH = 101;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;
    static final int EISCONN = 106;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EHOSTDOWN = 112;
    static final int EHOSTUNREACH = 113;
    static final int EALREADY = 114;
    static final int EINPROGRESS = 115;

    /** A name for the errno values the engine reports in messages. */
    static String describe(int errno) {
        switch (errno) {
            case EMFILE:
                return "EMFILE: too many open files in this process";
            case ENFILE:
                return "ENFILE: too many open files in the system";
            case EAGAIN:
                return "EAGAIN: no free local port";
            case EADDRNOTAVAIL:
                return "EADDRNOTAVAIL: address not available, no source address or local port";
            case EAFNOSUPPORT:
                return "EAFNOSUPPORT: IPv6 is not available on this host";
            case EACCES:
                return "EACCES: permission denied";
            default:
                return "errno " + errno;
        }
    }

    private static final Object LOCK = new Object();
    /** Guarded by LOCK. */
    private static @Nullable Thread binder;
    /** Why the native engine is not in use; null while it is (or may still be) available. */
    private static volatile @Nullable String unavailable = "not requested";
    /**
     * Binding the foreign calls takes 70-120 ms, which the native engine wins back at about 7 µs a port
     * on loopback: below this many ports a scan is as fast or faster on NIO (bench/scan-README.md).
     * The internal binding takes a few ms and pays off from the first port.
     */
    static final int FOREIGN_MIN_PORTS = 16384;

    /** The binding in use once bound: {@link #FOREIGN} or {@link #INTERNAL}. */
    private static volatile @Nullable String binding;

    private NativeSockets() {}

    /**
     * Starts binding the calls in the background, if this JVM can (see the class comment), the scan is
     * large enough to win the binding's cost back ({@link #FOREIGN_MIN_PORTS}), and {@value #PROPERTY}
     * is not {@code false}. Idempotent; a later call for a larger scan may bind what a smaller one did not.
     *
     * @param ports how many ports the coming scan has; {@code Integer.MAX_VALUE} for "any scan"
     * @return false if the native engine is ruled out here; true once binding has started (or is done),
     *         which can still fail: {@link #bound()} tells, {@link #reason()} says why
     */
    static boolean prepare(int ports) {
        synchronized (LOCK) {
            if (binding != null || binder != null) {
                return true;
            }
            boolean foreign = useForeign();
            String no = whyNot();
            if (no == null && foreign && ports < FOREIGN_MIN_PORTS) {
                no = "a scan of " + ports + " ports does not win back the 70-120 ms that binding"
                        + " java.lang.foreign takes (" + FOREIGN_MIN_PORTS + " ports or more do)";
            }
            if (no != null) {
                unavailable = no;
                return false;
            }
            unavailable = null;
            binder = new Thread(new Binder(foreign), "portlens-native-bind");
            binder.setDaemon(true);
            binder.start();
            return true;
        }
    }

    /** Waits for a binding started by {@link #prepare(int)}; true if the calls are ready. */
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
        return binding != null;
    }

    /** Why the native engine is not in use, or null when it is bound. */
    static @Nullable String reason() {
        return binding != null ? null : unavailable == null ? "still binding" : unavailable;
    }

    /** The binding in use ({@link #FOREIGN} or {@link #INTERNAL}), or null when none is bound. */
    static @Nullable String binding() {
        return binding;
    }

    /** The calls for one worker of {@code slots} sockets aimed at {@code target}. Only after {@link #bound()}. */
    static SocketCalls newCalls(InetAddress target, int slots) {
        return FOREIGN.equals(binding) ? new ForeignCalls(target, slots) : new InternalCalls(target, slots);
    }

    /** True if this JVM would bind the foreign calls (JDK 22+, unless {@value #PROPERTY} says internal). */
    static boolean useForeign() {
        return Runtime.version().feature() >= 22 && !"internal".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /** The first check that rules the native engine out in this JVM, or null if none does. */
    static @Nullable String whyNot() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return "turned off by -D" + PROPERTY + "=false";
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (OperatingSystem.current() != OperatingSystem.LINUX) {
            return "Linux only, and this is " + System.getProperty("os.name", "another system")
                    + " (the engine calls Linux's own socket functions)";
        }
        if (!(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return "architecture " + arch + " (only amd64 and aarch64 are bound)";
        }
        Module self = NativeSockets.class.getModule();
        if (!useForeign()) {
            if (!Object.class.getModule().isOpen("sun.nio.ch", self)) {
                return "java.base/sun.nio.ch is not opened to portlens (java --add-opens"
                        + " java.base/sun.nio.ch=ALL-UNNAMED, or the Add-Opens manifest attribute of portlens.jar)";
            }
            return null;
        }
        try {
            Method m = Module.class.getMethod("isNativeAccessEnabled");
            if (!Boolean.TRUE.equals(m.invoke(self))) {
                return "native access not enabled (java --enable-native-access=ALL-UNNAMED,"
                        + " or the Enable-Native-Access manifest attribute of portlens.jar)";
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "cannot tell whether native access is enabled: " + e;
        }
        return null;
    }

    /** Binds one of the two bindings (their holder classes' initialisers do the work) and records the outcome. */
    private static final class Binder implements Runnable {
        private final boolean foreign;

        Binder(boolean foreign) {
            this.foreign = foreign;
        }

        @Override
        public void run() {
            try {
                if (foreign) {
                    ForeignCalls.bind();
                } else {
                    InternalCalls.bind();
                }
                binding = foreign ? FOREIGN : INTERNAL;
            } catch (Throwable t) {
                Throwable cause = t instanceof ExceptionInInitializerError && t.getCause() != null ? t.getCause() : t;
                while ((cause instanceof InvocationTargetException || cause instanceof IllegalStateException)
                        && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                unavailable = "binding " + (foreign ? FOREIGN : INTERNAL) + " failed: " + cause;
            }
        }
    }
}
