package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.testkit.Needs;

/**
 * A read of one port on this machine, which stops reading descriptors once the port's sockets are
 * found: real processes that share a listener by fork (a parent, its child and grandchild), all found;
 * and a listener handed over a Unix socket (SCM_RIGHTS) to an unrelated process, which a read of every
 * port finds and a read of the port may not (the documented limit).
 */
class PortReadIT {

    /** Listens, forks a child and a grandchild that keep the listener, hands it to a stranger; prints pids. */
    private static final String SCRIPT = """
            import os, socket, sys, time
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            s.listen()
            a, b = socket.socketpair()
            stranger = os.fork()
            if stranger == 0:
                # not a descendant of the holder below: it gets the listener over the Unix socket
                os.setsid()
                s.close()
                msg, fds, _, _ = socket.recv_fds(b, 16, 1)
                time.sleep(120)
                os._exit(0)
            holder = os.fork()
            if holder == 0:
                child = os.fork()
                if child == 0:
                    grandchild = os.fork()
                    if grandchild == 0:
                        time.sleep(120)
                        os._exit(0)
                    time.sleep(120)
                    os._exit(0)
                # one write() per line: two processes write to the same pipe
                os.write(1, ("port %d holder %d child %d\\n" % (s.getsockname()[1], os.getpid(), child)).encode())
                time.sleep(120)
                os._exit(0)
            socket.send_fds(a, [b"x"], [s.fileno()])
            s.close()
            os.write(1, ("stranger %d\\n" % stranger).encode())
            time.sleep(120)
            """;

    @Test
    void aPortsReadFindsEveryHolderInTheFamilyAndAFullReadFindsTheStrangerToo() throws Exception {
        Needs.binary("python3", "python3", "/usr/bin/python3");
        Process p = new ProcessBuilder("python3", "-c", SCRIPT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = 0;
            int holder = 0;
            int stranger = 0;
            for (int i = 0; i < 2; i++) {
                String[] f = in.readLine().split(" ");
                if (f[0].equals("port")) {
                    port = Integer.parseInt(f[1]);
                    holder = Integer.parseInt(f[3]);
                } else {
                    stranger = Integer.parseInt(f[1]);
                }
            }
            // the child and grandchild are forked after the port is printed: wait for them
            List<Integer> family = new ArrayList<>();
            long forked = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do {
                family.clear();
                int h = holder;
                ProcessHandle.of(h).ifPresent(ph -> {
                    family.add((int) ph.pid());
                    ph.descendants().forEach(d -> family.add((int) d.pid()));
                });
                if (family.size() < 3) {
                    Thread.sleep(20);
                }
            } while (family.size() < 3 && System.nanoTime() < forked);
            assertThat(family).as("the holder, its child and grandchild").hasSize(3);
            List<Integer> every = new ArrayList<>(family);
            every.add(stranger);

            LinuxSocketTable table = LinuxSocketTable.system();
            Discovery all = waitForHolders(table, Query.all(), port, every.size());
            assertThat(pids(all, port)).as("a full read").containsExactlyInAnyOrderElementsOf(every);
            assertThat(all.coverage().processesSkipped()).isZero();

            Discovery one = table.read(Query.ports(PortRange.of(port), Transport.TCP));
            List<Integer> seen = pids(one, port);
            // the stranger (pid below the holder's) is found first, and the holder's family is not its kin:
            // a descriptor handed to an unrelated process in no unit of the holder's is the documented limit
            assertThat(seen).isNotEmpty().isSubsetOf(every);
            if (seen.contains(holder)) {
                assertThat(seen)
                        .as("fork shares the descriptor: every descendant of a holder is read")
                        .containsAll(family);
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Only a family: a parent, a child and a grandchild that share the listener by fork. */
    private static final String FAMILY = """
            import os, socket, time
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            s.listen()
            child = os.fork()
            if child == 0:
                if os.fork() == 0:
                    time.sleep(120)
                    os._exit(0)
                time.sleep(120)
                os._exit(0)
            print(s.getsockname()[1], flush=True)
            time.sleep(120)
            """;

    @Test
    void aPortsReadFindsTheHoldersChildrenAndGrandchildren() throws Exception {
        Needs.binary("python3", "python3", "/usr/bin/python3");
        Process p = new ProcessBuilder("python3", "-c", FAMILY)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            int port = Integer.parseInt(
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                            .readLine()
                            .strip());
            List<Integer> family = new ArrayList<>();
            family.add((int) p.pid());
            LinuxSocketTable table = LinuxSocketTable.system();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (family.size() < 3 && System.nanoTime() < deadline) {
                family.subList(1, family.size()).clear();
                p.descendants().forEach(d -> family.add((int) d.pid()));
                Thread.sleep(20);
            }
            Discovery one = waitForHolders(table, Query.ports(PortRange.of(port), Transport.TCP), port, 3);
            assertThat(pids(one, port)).containsExactlyInAnyOrderElementsOf(family);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<Integer> pids(Discovery d, int port) {
        List<Integer> out = new ArrayList<>();
        d.listeners().stream()
                .filter(l -> l.local().port() == port)
                .forEach(l -> l.processes().forEach(x -> out.add(x.pid())));
        return out;
    }

    /** Reads until the forks have all started holding (they start after the port is printed). */
    private static Discovery waitForHolders(LinuxSocketTable table, Query q, int port, int atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Discovery d = table.read(q);
        while (pids(d, port).size() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
            d = table.read(q);
        }
        return d;
    }
}
