package org.portlens.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reading an input whole, bounded in bytes and in time: a file that never ends ({@code /dev/zero},
 * a pipe), a huge one, or a server that streams forever stops with {@link TooLarge} or
 * {@link TooSlow} instead of filling the memory or hanging. Static methods only; safe from any thread.
 */
public final class BoundedRead {

    private BoundedRead() {}

    /** The input holds more than the limit; nothing beyond the limit was read. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        private final long limit;

        TooLarge(long limit) {
            super("more than " + size(limit));
            this.limit = limit;
        }

        /** The limit in bytes. */
        public long limit() {
            return limit;
        }
    }

    /** The input did not end within the time limit. */
    public static final class TooSlow extends IOException {
        private static final long serialVersionUID = 1L;
        private final Duration limit;
        private final long received;

        TooSlow(Duration limit, long received) {
            super("not done after " + seconds(limit) + " (" + received + " bytes received)");
            this.limit = limit;
            this.received = received;
        }

        /** The time limit. */
        public Duration limit() {
            return limit;
        }

        /** How many bytes had come by then. */
        public long received() {
            return received;
        }
    }

    /**
     * A file's bytes, at most {@code maxBytes}, read within {@code timeout}. A regular file larger than
     * the limit fails before a byte is read (a huge sparse file costs nothing).
     *
     * @throws TooLarge when the file holds more than {@code maxBytes}
     * @throws TooSlow  when it did not end within {@code timeout} (a pipe, a device)
     * @throws IOException when it cannot be opened or read
     */
    public static byte[] file(Path file, long maxBytes, Duration timeout) throws IOException {
        if (Files.isRegularFile(file)) {
            if (Files.size(file) > maxBytes) {
                throw new TooLarge(maxBytes);
            }
            return stream(Files.newInputStream(file), maxBytes, timeout);
        }
        // a pipe or a device: opening a FIFO blocks until a writer comes, so even the open has a deadline
        long start = System.nanoTime();
        InputStream in = openWithin(file, timeout);
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        return stream(in, maxBytes, left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left);
    }

    /** Opens {@code file} on a thread of its own, giving up after {@code timeout}. */
    private static InputStream openWithin(Path file, Duration timeout) throws IOException {
        CompletableFuture<InputStream> opened = new CompletableFuture<>();
        Thread opener = new Thread(
                () -> {
                    try {
                        InputStream in = Files.newInputStream(file);
                        if (!opened.complete(in)) {
                            in.close(); // opened after the deadline: nobody reads it
                        }
                    } catch (IOException | RuntimeException e) {
                        opened.completeExceptionally(e);
                    }
                },
                "portlens-open-deadline");
        opener.setDaemon(true); // a FIFO that never gets a writer keeps it blocked; it must not keep the JVM
        opener.start();
        try {
            try {
                opened.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                opened.completeExceptionally(new TooSlow(timeout, 0)); // unless it opened just now
            }
            return opened.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot open " + file + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening " + file);
        }
    }

    /**
     * The rest of a stream, at most {@code maxBytes}, read within {@code timeout}; the stream is closed
     * in every case. The stream is closed from another thread at the deadline, which ends a blocked read
     * of a socket, an HTTP body or a file channel.
     *
     * @throws TooLarge when the stream holds more than {@code maxBytes}
     * @throws TooSlow  when it did not end within {@code timeout}
     * @throws IOException when reading fails
     */
    public static byte[] stream(InputStream in, long maxBytes, Duration timeout) throws IOException {
        AtomicBoolean late = new AtomicBoolean();
        long timeoutMillis = Math.max(1, timeout.toMillis());
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(timeoutMillis);
                    } catch (InterruptedException done) {
                        return;
                    }
                    late.set(true);
                    try {
                        in.close(); // ends the blocked read
                    } catch (IOException ignored) {
                        // closing is all that can be done
                    }
                },
                "portlens-read-deadline");
        watchdog.setDaemon(true);
        watchdog.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try (in) {
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    if (late.get()) {
                        throw new TooSlow(timeout, out.size());
                    }
                    throw e;
                }
                if (n < 0) {
                    break;
                }
                if (out.size() + (long) n > maxBytes) {
                    throw new TooLarge(maxBytes);
                }
                out.write(buf, 0, n);
                if (late.get()) {
                    throw new TooSlow(timeout, out.size());
                }
            }
            if (late.get()) {
                throw new TooSlow(timeout, out.size());
            }
            return out.toByteArray();
        } finally {
            watchdog.interrupt();
        }
    }

    /** "50 MB", "1 MB", "512 KB", "100 bytes": a limit for people (decimal units). */
    public static String size(long bytes) {
        if (bytes >= 1_000_000 && bytes % 1_000_000 == 0) {
            return bytes / 1_000_000 + " MB";
        }
        if (bytes >= 1000 && bytes % 1000 == 0) {
            return bytes / 1000 + " KB";
        }
        return bytes + " bytes";
    }

    /** "20 s", "1.5 s". */
    public static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms / 1000.0 + " s";
    }
}
