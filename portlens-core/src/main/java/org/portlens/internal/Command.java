package org.portlens.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a program and reads its output whole, bounded in bytes and in time (through {@link
 * BoundedRead}): a program that hangs or floods is killed, and the caller gets {@link
 * BoundedRead.TooSlow} or {@link BoundedRead.TooLarge}. Its standard input is empty; its standard
 * error is kept apart (the first 64 KB). {@code LC_ALL=C}, so that messages are in English. Static
 * methods only; safe from any thread.
 */
public final class Command {

    private static final int MAX_STDERR = 64 * 1024;

    private Command() {}

    /**
     * What a program did. Immutable; safe from any thread.
     *
     * @param exit   its exit status
     * @param stdout its standard output, as UTF-8
     * @param stderr the start of its standard error, as UTF-8
     */
    public record Result(int exit, String stdout, String stderr) {
        /** The first line of standard error, or of standard output when there is none; for messages. */
        public String firstLine() {
            String s = stderr.isBlank() ? stdout : stderr;
            String line = s.strip().split("\n", 2)[0];
            return Text.escapeControls(line.length() > 200 ? line.substring(0, 200) + "…" : line);
        }
    }

    /**
     * Runs {@code argv} to its end.
     *
     * @param timeout  how long the program may run
     * @param maxBytes the most standard output read
     * @throws IOException when it cannot start (no such program: the message says so), or its output
     *     is larger than {@code maxBytes}, or it runs longer than {@code timeout}; the program is
     *     killed in those last two cases
     */
    public static Result run(List<String> argv, Duration timeout, long maxBytes) throws IOException {
        return run(argv, "C", timeout, maxBytes);
    }

    /**
     * Runs {@code argv} to its end in a locale of the caller's choice: a tool whose output holds names
     * (lsof, ps) escapes every byte beyond ASCII in the C locale, so it runs in an English UTF-8 one.
     *
     * @param locale   the value of {@code LC_ALL}, such as {@code C} or {@code en_US.UTF-8}
     * @param timeout  how long the program may run
     * @param maxBytes the most standard output read
     * @return what it did
     * @throws IOException as {@link #run(List, Duration, long)} does
     */
    public static Result run(List<String> argv, String locale, Duration timeout, long maxBytes) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("LC_ALL", locale);
        long start = System.nanoTime();
        Process p = pb.start();
        AtomicBoolean late = new AtomicBoolean();
        // At the deadline the program and its children die: closing the pipe alone does not end a read
        // blocked on it while a child (sh -c's sleep) still holds its other end.
        Thread deadline = new Thread(
                () -> {
                    try {
                        Thread.sleep(Math.max(1, timeout.toMillis()));
                    } catch (InterruptedException done) {
                        return;
                    }
                    late.set(true);
                    kill(p);
                },
                "portlens-command-deadline");
        deadline.setDaemon(true);
        deadline.start();
        try {
            p.getOutputStream().close();
            CompletableFuture<byte[]> err = new CompletableFuture<>();
            Thread drain = new Thread(() -> err.complete(head(p.getErrorStream())), "portlens-command-stderr");
            drain.setDaemon(true);
            drain.start();
            byte[] out = BoundedRead.stream(p.getInputStream(), maxBytes, timeout.plusSeconds(5));
            Duration left = timeout.minusNanos(System.nanoTime() - start);
            if (late.get() || !p.waitFor(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS)) {
                throw new BoundedRead.TooSlow(timeout, out.length);
            }
            byte[] stderr = err.get(Math.max(1000, left.toMillis()), TimeUnit.MILLISECONDS);
            return new Result(
                    p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(stderr, StandardCharsets.UTF_8));
        } catch (BoundedRead.TooSlow e) {
            throw late.get() ? new BoundedRead.TooSlow(timeout, e.received()) : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + argv.get(0) + " ran", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(argv.get(0) + ": its standard error did not end", e);
        } finally {
            deadline.interrupt();
            // an early end (too much output, interrupted): it and its children stop here. After a normal
            // exit there is nothing to kill: its children, if any, now belong to init, and looking for
            // them would read every process of the host.
            if (p.isAlive()) {
                kill(p);
            }
        }
    }

    /**
     * A failure of {@link #run} in a few words: "not found" for a program that is not installed (the
     * JDK's "Cannot run program … error=2" on every system), else the exception's message.
     *
     * @param e what {@link #run} threw
     * @return such as "not found" or "ran longer than 10 s"
     */
    public static String why(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Cannot run program") && (m.contains("error=2,") || m.contains("error=2 "))) {
            return "not found";
        }
        return m;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** The first {@link #MAX_STDERR} bytes of a stream, the rest read and dropped so the program never blocks. */
    private static byte[] head(InputStream in) {
        try (in) {
            byte[] head = in.readNBytes(MAX_STDERR);
            in.transferTo(OutputStream.nullOutputStream());
            return head;
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
