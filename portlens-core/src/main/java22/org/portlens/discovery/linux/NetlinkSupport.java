package org.portlens.discovery.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Whether this JVM can open sock_diag netlink sockets: the JDK 22+ class, in the jar's
 * {@code META-INF/versions/22}, which makes the system calls through the foreign function API. Only
 * Linux on amd64 or aarch64 (the constants below are that ABI's), and only with native access enabled
 * for portlens ({@code java -jar portlens.jar} has it from the manifest's {@code Enable-Native-Access};
 * otherwise the JDK would warn on stderr at the first restricted call, so nothing is called).
 */
final class NetlinkSupport {

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int EINTR = 4;

    private NetlinkSupport() {}

    /**
     * Whether {@link #opener()} may find one, without binding anything (which costs more than a busy
     * host's proc read: bench/README.md): a
     * cheap check for choosing.
     *
     * @return true on Linux amd64 or aarch64 with native access enabled for portlens
     */
    static boolean possible() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return org.portlens.internal.OperatingSystem.current() == org.portlens.internal.OperatingSystem.LINUX
                && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))
                && NetlinkSupport.class.getModule().isNativeAccessEnabled();
    }

    /**
     * The opener of sock_diag sockets, if this JVM has one that works (a socket opened and closed); found
     * once per JVM, binding the calls the first time. Prints nothing, whatever the outcome.
     *
     * @return the opener, or empty when the calls cannot be made here
     */
    static Optional<NetlinkChannel.Opener> opener() {
        return Optional.ofNullable(Found.OPENER);
    }

    /**
     * Runs {@code work} on a thread of its own that has entered another network namespace, and waits for
     * it. Sockets the work opens, and threads it starts, are in that namespace; the thread ends after,
     * so no thread of the JVM stays there. Needs CAP_SYS_ADMIN (root) and native access.
     *
     * @param namespace the namespace's file, {@code /proc/PID/ns/net}
     * @param work      what to run there
     * @param <T>       what it returns
     * @return what the work returned
     * @throws IOException when the calls cannot be made here, the namespace cannot be entered, or the work
     *     failed
     */
    static <T> T callIn(Path namespace, Callable<T> work) throws IOException {
        if (Found.OPENER == null) {
            throw new IOException("entering another network namespace needs the foreign function API with native"
                    + " access (java -jar portlens.jar has it)");
        }
        Foreign foreign = (Foreign) Found.OPENER;
        List<T> result = new ArrayList<>(1);
        Exception[] failure = {null};
        Thread t = new Thread(
                () -> {
                    try {
                        foreign.enter(namespace);
                        result.add(work.call());
                    } catch (Exception e) {
                        failure[0] = e;
                    } catch (LinkageError e) {
                        failure[0] = new IOException("setns " + namespace + ": " + e, e);
                    }
                },
                "portlens-netns-work");
        runToItsEnd(t);
        if (failure[0] instanceof IOException io) {
            throw io;
        }
        if (failure[0] != null) {
            throw new IOException(String.valueOf(failure[0].getMessage()), failure[0]);
        }
        return result.get(0);
    }

    /**
     * Starts a thread that enters another namespace and waits for it to end, an interrupt meanwhile kept
     * for the caller: the thread must not outlive the call, or a JVM thread would stay in that namespace.
     */
    private static void runToItsEnd(Thread t) {
        t.setDaemon(true);
        t.start();
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

    /** Binds the calls and tries them once, on first use. */
    private static final class Found {
        static final NetlinkChannel.@Nullable Opener OPENER = find();

        private Found() {}

        private static NetlinkChannel.@Nullable Opener find() {
            if (!possible()) {
                return null;
            }
            try {
                Foreign foreign = new Foreign();
                foreign.open().close();
                return foreign;
            } catch (IOException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    }

    /** The system calls, bound once; the sockets they open. */
    @SuppressWarnings("restricted") // binding is why this class exists; native access is checked before
    private static final class Foreign implements NetlinkChannel.Opener {
        private final MethodHandle socket;
        private final MethodHandle send;
        private final MethodHandle recv;
        private final MethodHandle close;
        private final MethodHandle open;
        private final MethodHandle setns;
        private final StructLayout capture;
        private final VarHandle errno;

        Foreign() {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Linker.Option withErrno = Linker.Option.captureCallState("errno");
            capture = Linker.Option.captureStateLayout();
            errno = capture.varHandle(MemoryLayout.PathElement.groupElement("errno"));
            ValueLayout.OfInt i = ValueLayout.JAVA_INT;
            ValueLayout.OfLong l = ValueLayout.JAVA_LONG;
            ValueLayout p = ValueLayout.ADDRESS;
            socket = bind(linker, libc, "socket", FunctionDescriptor.of(i, i, i, i), withErrno);
            send = bind(linker, libc, "send", FunctionDescriptor.of(l, i, p, l, i), withErrno);
            recv = bind(linker, libc, "recv", FunctionDescriptor.of(l, i, p, l, i), withErrno);
            close = bind(linker, libc, "close", FunctionDescriptor.of(i, i));
            open = bind(linker, libc, "open", FunctionDescriptor.of(i, p, i), withErrno);
            setns = bind(linker, libc, "setns", FunctionDescriptor.of(i, i, i), withErrno);
        }

        private static MethodHandle bind(
                Linker linker, SymbolLookup libc, String name, FunctionDescriptor d, Linker.Option... options) {
            MemorySegment symbol =
                    libc.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name + "()"));
            return linker.downcallHandle(symbol, d, options);
        }

        @Override
        public NetlinkChannel open() throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                return new Channel(this, newSocket(arena.allocate(capture)));
            }
        }

        /**
         * Enters the namespace on a thread of its own, opens the socket there, and goes back; the thread
         * then ends, so no thread of the JVM is left in another namespace even if going back failed.
         */
        @Override
        public NetlinkChannel openIn(Path namespace) throws IOException {
            int[] fd = {-1};
            IOException[] failure = {null};
            Thread t = new Thread(
                    () -> {
                        try {
                            fd[0] = socketIn(namespace);
                        } catch (IOException e) {
                            failure[0] = e;
                        } catch (RuntimeException | LinkageError e) {
                            failure[0] = new IOException("socket in " + namespace + ": " + e, e);
                        }
                    },
                    "portlens-netns");
            runToItsEnd(t);
            if (failure[0] != null) {
                throw failure[0];
            }
            return new Channel(this, fd[0]);
        }

        /** Moves the calling thread into {@code namespace} for good: for a thread that ends after its work. */
        void enter(Path namespace) throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(capture);
                int target = openFile(arena, state, namespace.toString());
                try {
                    check(state, (int) setns.invokeExact(state, target, CLONE_NEWNET), "setns " + namespace);
                } finally {
                    closeFd(target);
                }
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        private int socketIn(Path namespace) throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(capture);
                int home = openFile(arena, state, "/proc/thread-self/ns/net");
                try {
                    int target = openFile(arena, state, namespace.toString());
                    try {
                        check(state, (int) setns.invokeExact(state, target, CLONE_NEWNET), "setns " + namespace);
                    } finally {
                        closeFd(target);
                    }
                    try {
                        return newSocket(state);
                    } finally {
                        // back home; should it fail, the thread ends here anyway
                        int ignored = (int) setns.invokeExact(state, home, CLONE_NEWNET);
                    }
                } finally {
                    closeFd(home);
                }
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        private int openFile(Arena arena, MemorySegment state, String path) throws Throwable {
            int fd = (int) open.invokeExact(state, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC);
            return check(state, fd, "open " + path);
        }

        private int newSocket(MemorySegment state) throws IOException {
            try {
                int fd = (int)
                        socket.invokeExact(state, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, SockDiag.NETLINK_SOCK_DIAG);
                return check(state, fd, "socket(AF_NETLINK, NETLINK_SOCK_DIAG)");
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        private int check(MemorySegment state, int result, String what) throws IOException {
            if (result < 0) {
                throw new IOException(what + ": errno " + (int) errno.get(state, 0L));
            }
            return result;
        }

        void closeFd(int fd) {
            try {
                int ignored = (int) close.invokeExact(fd);
            } catch (Throwable e) {
                // close(2) through a bound handle does not throw
            }
        }
    }

    /** One socket, with its buffers; one thread at a time. */
    private static final class Channel implements NetlinkChannel {
        private final Foreign calls;
        private final int fd;
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment state;
        private final MemorySegment buffer;
        private boolean closed;

        Channel(Foreign calls, int fd) {
            this.calls = calls;
            this.fd = fd;
            this.state = arena.allocate(calls.capture);
            this.buffer = arena.allocate(SockDiag.RECEIVE_BUFFER, 8);
        }

        @Override
        public void send(ByteBuffer request) throws IOException {
            int n = request.remaining();
            MemorySegment.copy(MemorySegment.ofBuffer(request), 0, buffer, 0, n);
            try {
                while (true) {
                    long sent = (long) calls.send.invokeExact(state, fd, buffer, (long) n, 0);
                    if (sent == n) {
                        return;
                    }
                    int e = (int) calls.errno.get(state, 0L);
                    if (sent >= 0 || e != EINTR) {
                        throw new IOException(
                                "send to sock_diag: " + (sent >= 0 ? sent + " of " + n + " bytes" : "errno " + e));
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public ByteBuffer receive() throws IOException {
            try {
                while (true) {
                    long got = (long) calls.recv.invokeExact(state, fd, buffer, (long) SockDiag.RECEIVE_BUFFER, 0);
                    if (got >= 0) {
                        return buffer.asSlice(0, got).asByteBuffer().order(ByteOrder.nativeOrder());
                    }
                    int e = (int) calls.errno.get(state, 0L);
                    if (e != EINTR) {
                        throw new IOException("recv from sock_diag: errno " + e);
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                calls.closeFd(fd);
                arena.close();
            }
        }
    }
}
