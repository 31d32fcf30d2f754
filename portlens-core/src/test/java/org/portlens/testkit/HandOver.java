package org.portlens.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A listener that passes from one process to another, as a supervisor hands its socket to a new
 * server: a python3 parent listens on 127.0.0.1:PORT; on {@link #handOver()} it starts a child that
 * inherits the socket, says its pid and exits; {@link #close()} ends the child and the port closes.
 * (The parent says the child's pid: Java closes a process's output pipe when that process exits,
 * whoever else still holds it.)
 */
public final class HandOver implements AutoCloseable {

    private static final String SCRIPT = """
            import os, socket, subprocess, sys
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", int(sys.argv[1])))
            s.listen()
            print("parent", os.getpid(), flush=True)
            sys.stdin.readline()
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                pass_fds=[s.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
            print("child", child.pid, flush=True)
            os._exit(0)
            """;

    private final Process parent;
    private final BufferedReader lines;
    private final OutputStream stdin;
    private final int parentPid;
    private int childPid;

    private HandOver(Process parent) throws IOException {
        this.parent = parent;
        this.lines = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        this.stdin = parent.getOutputStream();
        this.parentPid = pidFrom(lines.readLine(), "parent");
    }

    /**
     * Starts the parent; returns once it listens.
     *
     * @param port a free loopback port
     */
    public static HandOver start(int port) throws IOException {
        Path python = Needs.binary("python3", "python3", "/usr/bin/python3");
        Process p = new ProcessBuilder(python.toString(), "-c", SCRIPT, Integer.toString(port))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new HandOver(p);
    }

    /** The pid of the process that opened the listener. */
    public int parentPid() {
        return parentPid;
    }

    /** The pid of the process that holds it after {@link #handOver()}; 0 before. */
    public int childPid() {
        return childPid;
    }

    /** Makes the parent start the child with the socket and exit; returns once the parent is gone. */
    public void handOver() throws IOException, InterruptedException {
        stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        childPid = pidFrom(lines.readLine(), "child");
        if (!parent.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the parent did not exit after handing over");
        }
    }

    private static int pidFrom(String line, String who) {
        if (line == null || !line.startsWith(who + " ")) {
            throw new IllegalStateException("hand-over script said " + line + ", expected '" + who + " PID'");
        }
        return Integer.parseInt(line.substring(who.length() + 1).strip());
    }

    /** Ends whichever process holds the socket, and waits until it is gone. */
    @Override
    public void close() throws InterruptedException {
        parent.destroyForcibly();
        parent.waitFor(10, TimeUnit.SECONDS);
        if (childPid > 0) {
            ProcessHandle.of(childPid).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        }
    }
}
