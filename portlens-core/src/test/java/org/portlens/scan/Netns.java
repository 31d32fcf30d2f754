package org.portlens.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one test class ({@code ip netns add portlens-scan-<random>}) with
 * only its own loopback, up. Everything started in it through {@link #start} is killed, and the
 * namespace deleted, by {@link #close()}, which also runs from a shutdown hook if the JVM exits first.
 */
final class Netns implements AutoCloseable {

    private final String name;
    private final List<Process> started = Collections.synchronizedList(new ArrayList<>());
    private final Thread hook;
    private boolean closed;

    private Netns(String name) {
        this.name = name;
        this.hook = new Thread(this::cleanUp, "netns-cleanup-" + name);
    }

    /**
     * Creates the namespace and brings its loopback up.
     *
     * @throws IOException (with the command's message) if it cannot be made: not root, no iproute2
     */
    static Netns create(String tag) throws IOException, InterruptedException {
        String name = "portlens-scan-" + tag + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        run(List.of("ip", "netns", "add", name));
        Netns ns = new Netns(name);
        Runtime.getRuntime().addShutdownHook(ns.hook);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (IOException | InterruptedException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    String name() {
        return name;
    }

    /** Runs a command inside the namespace to its end; returns its stdout; fails on a non-zero exit. */
    String exec(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full);
    }

    /** Starts a long-running command inside the namespace; it is killed by {@link #close()}. */
    Process start(List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        Process p = new ProcessBuilder(full)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        started.add(p);
        return p;
    }

    /** Waits for a started process to print a line equal to {@code marker}; fails if it exits first. */
    static void awaitLine(Process p, String marker) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.strip().equals(marker)) {
                return;
            }
        }
        throw new IOException("process ended before printing '" + marker + "'");
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ": " + text.strip());
        }
        return text;
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook is running or ran
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (started) {
            for (Process p : started) {
                p.destroyForcibly();
            }
            for (Process p : started) {
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            // anything left in the namespace was started by this test (through start or exec)
            for (String pid : run(List.of("ip", "netns", "pids", name)).split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // best effort: deleting the namespace below is what matters
        }
        try {
            run(List.of("ip", "netns", "del", name));
        } catch (IOException | InterruptedException e) {
            System.err.println("could not delete network namespace " + name + ": " + e.getMessage());
        }
    }
}
