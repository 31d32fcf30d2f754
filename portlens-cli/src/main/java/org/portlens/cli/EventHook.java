package org.portlens.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code watch --exec CMD}: runs {@code sh -c CMD} once per event, one at a time and in order, on
 * a thread of its own so that a slow command never delays the watch. The event's JSON line is the
 * command's stdin; {@code PORTLENS_EVENT} (the event or finding kind) and {@code PORTLENS_PORT} (a port, or
 * the range of a missing expect entry) are in its environment. Its
 * stdout and stderr go to portlens's stderr (never mixed into {@code --jsonl} on stdout), at most
 * {@link #OUTPUT_LIMIT} bytes of each run. A run longer than {@link #TIMEOUT} is killed. At most
 * {@link #QUEUE} events wait; beyond that, events are dropped and the drop is said on stderr.
 */
final class EventHook implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int QUEUE = 1000;
    static final int OUTPUT_LIMIT = 64 * 1024;

    /** One run to do. */
    private record Run(String kind, String port, String json) {}

    private static final Run STOP = new Run("", "", "");

    private final String command;
    private final PrintWriter err;
    private final BlockingQueue<Run> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread worker;
    private int dropped;

    EventHook(String command, PrintWriter err) {
        this.command = command;
        this.err = err;
        this.worker = new Thread(this::work, "portlens-exec");
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues a run for an event; never blocks. */
    void submit(String kind, String port, String jsonLine) {
        if (!queue.offer(new Run(kind, port, jsonLine))) {
            synchronized (this) {
                if (dropped++ % 100 == 0) {
                    err.println("portlens: --exec is " + QUEUE + " events behind; dropping events (" + dropped
                            + " so far)");
                    err.flush();
                }
            }
        }
    }

    private void work() {
        try {
            while (true) {
                Run r = queue.take();
                if (r == STOP) {
                    return;
                }
                run(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Run r) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PORTLENS_EVENT", r.kind());
        env.put("PORTLENS_PORT", r.port());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            say("portlens: --exec could not start /bin/sh: " + e.getMessage());
            return;
        }
        Thread reader = new Thread(() -> copyBounded(p.getInputStream()), "portlens-exec-output");
        reader.setDaemon(true);
        reader.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((r.json() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the command did not read its stdin: its choice
        }
        if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            say("portlens: --exec command ran longer than " + TIMEOUT.toSeconds() + " s and was killed");
        } else if (p.exitValue() != 0) {
            say("portlens: --exec command exited with status " + p.exitValue() + " for a " + r.kind() + " event");
        }
        reader.join(1000);
    }

    private void copyBounded(InputStream in) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                int room = OUTPUT_LIMIT - kept.size();
                kept.write(buf, 0, Math.max(0, Math.min(room, n)));
            }
        } catch (IOException e) {
            // the command closed its output
        }
        if (kept.size() > 0) {
            // the command's output is its own, but escaped like any text portlens did not write
            say(kept.toString(StandardCharsets.UTF_8)
                    .lines()
                    .map(Style::safe)
                    .collect(Collectors.joining(System.lineSeparator())));
        }
    }

    private synchronized void say(String line) {
        err.println(line);
        err.flush();
    }

    /** Lets the queued runs finish, for at most {@code wait}. */
    void drain(Duration wait) throws InterruptedException {
        queue.offer(STOP, wait.toMillis(), TimeUnit.MILLISECONDS);
        worker.join(wait.toMillis());
    }

    @Override
    public void close() {
        worker.interrupt();
    }
}
