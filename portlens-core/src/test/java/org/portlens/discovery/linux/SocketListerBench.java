package org.portlens.discovery.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.portlens.discovery.Query;
import org.portlens.model.PortRange;

/**
 * Not a test: bench/sockets.sh runs it to time one lister's reads of the socket tables (no owners).
 * Arguments: {@code proc|netlink READS [PORT]}. Prints one line: the lister, the cost of choosing it
 * (binding the foreign calls, for netlink), the first read, and per read over the later ones: wall,
 * CPU of the reading thread (utime + stime of /proc/thread-self/stat), and CPU of the whole process
 * (/proc/self/stat: every thread, netlink's namespace threads, the JIT, the GC), in milliseconds at
 * the kernel's 10 ms tick, so over many reads; then the rows found.
 */
final class SocketListerBench {

    private SocketListerBench() {}

    public static void main(String[] args) throws IOException {
        String which = args[0];
        int reads = Integer.parseInt(args[1]);
        Query query = args.length > 2 ? Query.ports(PortRange.of(Integer.parseInt(args[2]))) : Query.all();
        ProcRoot root = ProcRoot.system();
        List<Path> dirs = List.of(Path.of("/run/netns"));

        long t0 = System.nanoTime();
        SocketLister lister = SocketListers.choose(root, dirs, which);
        long chosen = System.nanoTime() - t0;
        if (!lister.name().startsWith(which)) {
            throw new IllegalStateException("asked for " + which + ", got " + lister.name()
                    + " (netlink needs JDK 22+ and --enable-native-access=ALL-UNNAMED)");
        }
        List<Integer> pids = root.pids();
        long t1 = System.nanoTime();
        SocketTables.Result first = lister.read(pids, query, true);
        long firstRead = System.nanoTime() - t1;
        for (int i = 0; i < 5; i++) { // warm-up
            lister.read(pids, query, true);
        }

        long wall0 = System.nanoTime();
        long thread0 = ticks("thread-self");
        long ticks0 = ticks("self");
        int rows = 0;
        for (int i = 0; i < reads; i++) {
            rows = lister.read(pids, query, true).sockets().size();
        }
        double wall = (System.nanoTime() - wall0) / 1e6 / reads;
        double thread = (ticks("thread-self") - thread0) * 10.0 / reads; // USER_HZ = 100
        double process = (ticks("self") - ticks0) * 10.0 / reads;
        System.out.printf(
                Locale.ROOT,
                "lister=%s choose_ms=%.1f first_read_ms=%.1f wall_ms=%.2f thread_cpu_ms=%.2f process_cpu_ms=%.2f"
                        + " rows=%d first_rows=%d established=%d reads=%d%n",
                lister.name().replace(' ', '_'),
                chosen / 1e6,
                firstRead / 1e6,
                wall,
                thread,
                process,
                rows,
                first.sockets().size(),
                first.established(),
                reads);
    }

    /** utime + stime of this process or thread, in clock ticks (fields 14 and 15 of /proc/self/stat). */
    private static long ticks(String self) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + self + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
